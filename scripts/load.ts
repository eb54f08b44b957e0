// `npm run load`: concurrent clients against a local GS Lab server (loopback only, bounded in count and time).
// Each simulated client has its own address (CF-Connecting-IP: wrangler dev passes it through, Cloudflare sets
// it itself, so the per-address limits apply per client), asks for Fig. 6 toy workunits, submits the honest
// evidence (every --retry-every-th submission twice, as a client retrying a lost response would), and reads
// the leaderboard in between. It prints throughput, p50/p99 latency per request kind and every error, then
// audits the server: each accepted run is stored, and the leaderboard grew by exactly the distinct accepted runs.
import { createApiClient, type ApiClient } from "../shared/client/api-client";
import { TOY_PROTOCOLS } from "../shared/protocols/toy";
import type { RunMeta } from "../shared/api";
import { toyRunEvidence } from "../shared/toy/family";
import { auditStored, LOAD_USAGE, parseLoadArgs, percentile, type LoadOptions } from "./lib/load-stats";

type Kind = "workunit" | "submit" | "retry" | "leaderboard";

interface Sample {
  readonly kind: Kind;
  readonly ms: number;
  readonly status: number | "network";
}

const EVIDENCE = new Map(TOY_PROTOCOLS.map((p) => [p.id, toyRunEvidence(p)]));

/** An API client whose requests carry one client's address and are timed into `samples`. */
function clientApi(options: LoadOptions, client: number, samples: Sample[], kindOf: () => Kind): ApiClient {
  const address = `10.77.${client >> 8}.${(client & 255) + 1}`;
  return createApiClient(options.url.origin, async (input, init) => {
    const started = performance.now();
    const kind = kindOf();
    try {
      const response = await fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), "cf-connecting-ip": address } });
      samples.push({ kind, ms: performance.now() - started, status: response.status });
      return response;
    } catch (error) {
      samples.push({ kind, ms: performance.now() - started, status: "network" });
      throw error;
    }
  });
}

async function runClient(options: LoadOptions, client: number, deadline: number, samples: Sample[], accepted: string[], errors: string[]): Promise<void> {
  let kind: Kind = "workunit";
  const api = clientApi(options, client, samples, () => kind);
  const total = options.runsPerClient;
  const readsAfter = (k: number): number => Math.round(((k + 1) * options.readsPerClient) / Math.max(total, 1)) - Math.round((k * options.readsPerClient) / Math.max(total, 1));
  for (let k = 0; k < Math.max(total, 1) && Date.now() < deadline; k++) {
    try {
      if (k < total) {
        const protocol = TOY_PROTOCOLS[(client + k) % TOY_PROTOCOLS.length]!;
        kind = "workunit";
        const workunit = await api.workunit(protocol.id);
        const evidence = EVIDENCE.get(protocol.id)!;
        const meta: RunMeta = {
          token: workunit.token,
          protocolId: protocol.id,
          protocolVersion: protocol.version,
          seed: workunit.seed,
          contributor: `load-client-${client}`,
          ...evidence,
          environment: { backend: "cpu", tfjsVersion: "none", client: "cli", userAgent: "gs-lab load script" },
          timings: { trainMs: 0, steps: protocol.toy.steps },
        };
        kind = "submit";
        const record = await api.submitRun(meta, new Float32Array(0));
        if (record.status !== "accepted") errors.push(`client ${client}: ${protocol.id} ${record.status} (${record.reason}): ${record.message}`);
        else accepted.push(record.id);
        if (options.retryEvery > 0 && (client * total + k) % options.retryEvery === 0) {
          kind = "retry";
          const again = await api.submitRun(meta, new Float32Array(0));
          if (again.id !== record.id) errors.push(`client ${client}: a retry of run ${record.id} was stored as ${again.id}`);
          else accepted.push(again.id);
        }
      }
      kind = "leaderboard";
      for (let r = 0; r < readsAfter(k) && Date.now() < deadline; r++) await api.leaderboard();
    } catch (error) {
      errors.push(`client ${client}, step ${k} (${kind}): ${(error as Error).message}`);
    }
  }
}

const toyRuns = async (api: ApiClient): Promise<number> =>
  (await api.leaderboard()).filter((e) => TOY_PROTOCOLS.some((p) => p.id === e.protocolId)).reduce((n, e) => n + e.runs, 0);

async function main(): Promise<number> {
  let options: LoadOptions | "help";
  try {
    options = parseLoadArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${LOAD_USAGE}`);
    return 2;
  }
  if (options === "help") {
    console.log(LOAD_USAGE);
    return 0;
  }
  const observer = createApiClient(options.url.origin);
  const before = await toyRuns(observer);
  const samples: Sample[] = [];
  const accepted: string[] = [];
  const errors: string[] = [];
  console.log(`GS Lab load · ${options.url.origin} · ${options.clients} clients × (${options.runsPerClient} toy runs, ${options.readsPerClient} leaderboard reads), every ${options.retryEvery}th submission retried`);
  const started = performance.now();
  const deadline = Date.now() + options.maxSeconds * 1000;
  await Promise.all(Array.from({ length: options.clients }, (_, client) => runClient(options, client, deadline, samples, accepted, errors)));
  const seconds = (performance.now() - started) / 1000;
  if (Date.now() >= deadline) errors.push(`stopped at --max-seconds ${options.maxSeconds}`);

  console.log(`\n${samples.length} requests in ${seconds.toFixed(1)} s: ${(samples.length / seconds).toFixed(1)} requests/s`);
  console.log("  kind          count   p50 ms   p99 ms   max ms   non-2xx");
  for (const kind of ["workunit", "submit", "retry", "leaderboard"] as const) {
    const mine = samples.filter((s) => s.kind === kind);
    if (!mine.length) continue;
    const ms = mine.map((s) => s.ms);
    const bad = mine.filter((s) => s.status === "network" || s.status >= 300).length;
    console.log(`  ${kind.padEnd(12)}  ${String(mine.length).padStart(5)}   ${percentile(ms, 50).toFixed(0).padStart(6)}   ${percentile(ms, 99).toFixed(0).padStart(6)}   ${Math.max(...ms).toFixed(0).padStart(6)}   ${String(bad).padStart(7)}`);
  }
  const statuses = new Map<string, number>();
  for (const s of samples) statuses.set(String(s.status), (statuses.get(String(s.status)) ?? 0) + 1);
  console.log(`  statuses: ${[...statuses].map(([status, n]) => `${status} ×${n}`).join(", ")}`);

  const distinct = [...new Set(accepted)];
  const missing: string[] = [];
  for (const id of distinct) {
    try {
      const run = await observer.run(id);
      if (run.status !== "accepted") missing.push(id);
    } catch {
      missing.push(id);
    }
  }
  const audit = auditStored({ acceptedIds: accepted, missingIds: missing, leaderboardBefore: before, leaderboardAfter: await toyRuns(observer) });
  console.log(`\naudit: ${audit.distinctAccepted} distinct accepted runs · lost ${audit.lost} · duplicated ${audit.duplicated}`);
  console.log(`errors: ${errors.length}`);
  for (const error of errors.slice(0, 20)) console.log(`  ${error}`);
  return audit.lost === 0 && audit.duplicated === 0 && errors.length === 0 ? 0 : 1;
}

process.exit(await main());
