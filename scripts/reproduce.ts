// Command-line reproduction: trains protocols in Node with the same shared code as the browser, prints
// each seed's metrics, the seed-mean ± std and the paper's claims; with --submit it works as a GS Lab
// client instead (the server assigns seeds, every run is verified and lands on the leaderboard).
//
//   npm run reproduce -- fig1 --seeds 0-9                    local, seeds 0..9, both Fig. 1 protocols
//   npm run reproduce -- fig2-margin-pos-sd --seeds 0,3      local, two seeds
//   npm run reproduce -- fig1 --submit http://127.0.0.1:8787 --runs 10 --contributor "cli"
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { createApiClient } from "../shared/client/api-client";
import { runWorkunit } from "../shared/client/run-workunit";
import { judgeClaims, summarize, type AcceptedRun } from "../shared/metrics/aggregate";
import { trainMoons } from "../shared/nn/train";
import { familyOf } from "../shared/protocols/families";
import type { Protocol } from "../shared/protocols/types";
import { useBestNodeBackend, useNodeBackend, type NodeBackend } from "./lib/node-backend";
import { formatStat, parseSeeds, selectProtocols } from "./lib/cli";

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seeds: { type: "string", default: "0-9" },
    backend: { type: "string", default: "best" },
    submit: { type: "string" },
    runs: { type: "string", default: "10" },
    contributor: { type: "string" },
    json: { type: "string" },
  },
});

const protocols = selectProtocols(positionals[0] ?? "fig1");
const backend = options.backend === "best" ? await useBestNodeBackend(true) : (await useNodeBackend(options.backend as NodeBackend), options.backend);
console.log(`GS Lab reproduction · tfjs ${tf.version.tfjs} on ${backend} · ${protocols.map((p) => p.id).join(", ")}`);

const results = new Map<string, AcceptedRun[]>();
const progressLine = (label: string) => (p: { step: number; steps: number; stepsPerSecond: number }) => {
  if (!process.stdout.isTTY || p.step === p.steps) return;
  process.stdout.write(`\r  ${label} ${((100 * p.step) / p.steps).toFixed(0).padStart(3)}% · ${p.stepsPerSecond.toFixed(0)} steps/s   `);
};

for (const protocol of protocols) {
  const runs: AcceptedRun[] = [];
  results.set(protocol.id, runs);
  console.log(`\n${protocol.id} — ${protocol.title} (${protocol.training.steps} steps)`);
  if (options.submit) {
    const api = createApiClient(options.submit);
    for (let k = 0; k < Number(options.runs); k++) {
      const workunit = await api.workunit(protocol.id);
      const run = await runWorkunit({
        api,
        workunit,
        contributor: options.contributor,
        environment: { tfjsVersion: tf.version.tfjs, client: "cli", userAgent: `node ${process.version}` },
        onProgress: progressLine(`seed ${workunit.seed}`),
      });
      const record = await api.submitRun(run.meta, run.weights);
      process.stdout.write("\r");
      console.log(`  seed ${workunit.seed}: ${record.status}${record.reason ? ` (${record.reason}: ${record.message})` : ""} · ${formatMetrics(protocol, run.meta.claimed)} · ${options.submit}/runs/${record.id}`);
      if (record.status === "accepted" && record.recomputed) runs.push({ seed: workunit.seed, contributor: options.contributor ?? null, recomputed: record.recomputed });
    }
  } else {
    const family = familyOf(protocol);
    for (const seed of parseSeeds(options.seeds)) {
      const data = family.dataset(protocol, seed);
      const result = await trainMoons({ protocol, data, initialWeights: family.initialWeights(protocol, seed), onProgress: progressLine(`seed ${seed}`) });
      const { metrics } = family.evaluate(protocol, data, result.weights);
      process.stdout.write("\r");
      console.log(`  seed ${seed}: ${formatMetrics(protocol, metrics)} · ${((result.steps * 1000) / result.elapsedMs).toFixed(0)} steps/s`);
      runs.push({ seed, contributor: null, recomputed: metrics });
    }
  }
}

const summaries = new Map(protocols.map((p) => [p.id, summarize(p, familyOf(p).metrics, results.get(p.id) ?? [])] as const));
console.log("\nSeed-mean ± std (population std over seeds, as the paper's np.std)");
for (const protocol of protocols) {
  const summary = summaries.get(protocol.id)!;
  const cells = familyOf(protocol).metrics.map((m) => `${m.label} ${formatStat(summary.metrics[m.key] ?? null, m.digits)}`);
  console.log(`  ${protocol.id.padEnd(20)} n=${summary.seeds}  ${cells.join(" · ")}`);
}
const claims = protocols.flatMap((p) => judgeClaims(p, summaries).filter((c) => summaries.has(c.otherProtocolId)).map((c) => ({ protocol: p.id, ...c })));
if (claims.length) console.log("\nThe paper's claims");
for (const claim of claims) {
  const verdict = claim.holds === null ? "not enough runs" : claim.holds ? "HOLDS" : "DOES NOT HOLD";
  console.log(`  [${verdict}] ${claim.text}\n      ${claim.metric}: ${claim.protocol} ${formatStat(claim.value, 4)} ${claim.relation} ${claim.otherProtocolId} ${formatStat(claim.other, 4)}`);
}
if (options.json) {
  const { writeFileSync } = await import("node:fs");
  writeFileSync(options.json, JSON.stringify({ backend, tfjs: tf.version.tfjs, runs: Object.fromEntries(results), summaries: Object.fromEntries(summaries), claims }, null, 1));
  console.log(`\nwrote ${options.json}`);
}

function formatMetrics(protocol: Protocol, metrics: Readonly<Record<string, number | null>>): string {
  return familyOf(protocol)
    .metrics.map((m) => `${m.key}=${metrics[m.key] === null ? "—" : metrics[m.key]!.toFixed(m.digits)}`)
    .join(" ");
}

