// `npm run seed:runs -- --runs 100000 --state .scale-state`: writes N synthetic accepted runs (message
// "synthetic", a realistic spread over protocols, seeds, environments and contributors) straight into a local D1
// state folder with `wrangler d1 execute --local --file` (batched multi-row INSERTs), then has the Worker itself
// rebuild its aggregates from them (POST /api/admin/aggregates/rebuild on a short-lived `wrangler dev`), so the
// state is what the same runs accepted one by one would have left. For the scale measurements
// (`npm run bench -- board-scale`); never against a deployed database (everything here is --local).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isPeerReplayed } from "../shared/metrics/peer-replay";
import { familyOf } from "../shared/protocols/families";
import { PROTOCOLS } from "../shared/protocols/registry";
import type { Protocol } from "../shared/protocols/types";
import { rebuildAggregates, runWrangler, startWranglerDev } from "./lib/local-worker";
import { mulberry32 as prng } from "../shared/testing/mulberry32";

/** Runs per generated SQL file (one `wrangler d1 execute` each) and rows per INSERT statement. */
const RUNS_PER_FILE = 10_000;
// D1 refuses a statement over 100 KB: a synthetic row is under 900 bytes.
const ROWS_PER_INSERT = 80;

const pick = <T>(rand: () => number, weighted: readonly (readonly [T, number])[]): T => {
  const total = weighted.reduce((n, [, w]) => n + w, 0);
  let at = rand() * total;
  for (const [value, weight] of weighted) if ((at -= weight) < 0) return value;
  return weighted[weighted.length - 1]![0];
};

/** Where runs come from: backends with the GPUs, browsers and systems seen with them. */
const ENVIRONMENTS = [
  { backend: "webgpu", gpuVendor: "nvidia", gpuArchitecture: "ampere", browser: "chrome", os: "windows", weight: 18 },
  { backend: "webgpu", gpuVendor: "nvidia", gpuArchitecture: "ada", browser: "chrome", os: "linux", weight: 8 },
  { backend: "webgpu", gpuVendor: "apple", gpuArchitecture: "metal-3", browser: "safari", os: "macos", weight: 10 },
  { backend: "webgpu", gpuVendor: "amd", gpuArchitecture: "rdna-3", browser: "edge", os: "windows", weight: 5 },
  { backend: "webgpu", gpuVendor: "intel", gpuArchitecture: "xe", browser: "chrome", os: "chromeos", weight: 4 },
  { backend: "webgl", gpuVendor: "qualcomm", gpuArchitecture: null, browser: "chrome", os: "android", weight: 7 },
  { backend: "webgl", gpuVendor: "apple", gpuArchitecture: null, browser: "safari", os: "ios", weight: 6 },
  { backend: "wasm", gpuVendor: "none", gpuArchitecture: null, browser: "firefox", os: "linux", weight: 15 },
  { backend: "wasm", gpuVendor: "none", gpuArchitecture: null, browser: "node", os: "linux", weight: 15 },
  { backend: "cpu", gpuVendor: "none", gpuArchitecture: null, browser: "node", os: "macos", weight: 4 },
  { backend: "webgpu", gpuVendor: "software", gpuArchitecture: null, browser: "chrome", os: "linux", weight: 3 },
] as const;

/** The Fig. 6 toy protocols are deterministic: every run is seed 0; the others spread over the paper's seeds and beyond. */
const seedsOf = (protocol: Protocol): number => (protocol.family === "toy-dynamics" ? 1 : protocol.family === "colored-mnist" ? 10 : 24);
/** How popular each protocol is: Fig. 1-3 most, the long and paper-scale ones least. */
const popularity = (protocol: Protocol): number =>
  protocol.family === "toy-dynamics" ? 3 : protocol.family === "colored-mnist" ? (protocol.id.endsWith("-reduced") ? 2 : 0.5) : protocol.id.startsWith("fig3-deeper") || protocol.id.startsWith("fig3-longer") ? 1 : 5;

const sqlString = (value: string | null): string => (value === null ? "NULL" : `'${value.replace(/'/g, "''")}'`);

interface Contributor {
  readonly id: string | null;
  readonly name: string | null;
  readonly block: string;
}

function contributors(rand: () => number, count: number): Contributor[] {
  return Array.from({ length: count }, (_, k) => {
    const anonymous = k % 5 === 4;
    const hex = Array.from({ length: 64 }, () => Math.floor(rand() * 16).toString(16)).join("");
    return { id: anonymous ? null : hex, name: k % 3 === 0 ? `synthetic-${k}` : null, block: `10.${(k >> 8) & 255}.${k & 255}.0/24` };
  });
}

/** The SQL of `count` synthetic runs starting at index `from`. */
function runsSql(rand: () => number, from: number, count: number, people: readonly Contributor[], start: number): string {
  const protocols = PROTOCOLS.map((p) => [p, popularity(p)] as const);
  const environments = ENVIRONMENTS.map((e) => [e, e.weight] as const);
  const workunits: string[] = [];
  const runs: string[] = [];
  for (let k = from; k < from + count; k++) {
    const protocol = pick(rand, protocols);
    const seed = Math.floor(rand() ** 1.5 * seedsOf(protocol));
    // A few contributors submit most runs (Zipf-like).
    const person = people[Math.floor(rand() ** 3 * people.length)]!;
    const environment = pick(rand, environments);
    const metrics = familyOf(protocol).metrics(protocol);
    // Runs of one seed agree closely (quorums form); a few are off (disputes).
    const off = rand() < 0.01 ? 0.2 : 0;
    const recomputed = JSON.stringify(Object.fromEntries(metrics.map((m, i) => [m.key, Math.round((0.3 + ((seed * 7 + i * 13) % 50) / 100 + off + (rand() - 0.5) * 1e-4) * 1e6) / 1e6])));
    const peer = isPeerReplayed(protocol) ? pick(rand, [["replayed", 90], ["pending", 6], ["refuted", 4]] as const) : null;
    const replayedSegments = !isPeerReplayed(protocol) && protocol.family !== "toy-dynamics" ? "[0,7,13]" : null;
    const createdAt = start + k * 60_000;
    const id = `run_synthetic-${String(k).padStart(9, "0")}`;
    const workunit = `wu_synthetic-${String(k).padStart(9, "0")}`;
    workunits.push(`(${sqlString(workunit)}, ${sqlString(`synthetic-${k}`)}, ${sqlString(protocol.id)}, ${protocol.version}, ${seed}, ${createdAt - 600_000}, ${createdAt + 3_600_000}, ${createdAt})`);
    runs.push(
      `(${sqlString(id)}, ${sqlString(workunit)}, ${sqlString(protocol.id)}, ${protocol.version}, ${seed}, 'accepted', 'synthetic', ${sqlString(person.name)}, ${sqlString(person.id)}, ${sqlString(recomputed)}, ${sqlString(recomputed)}, ` +
        `${sqlString(JSON.stringify({ backend: environment.backend, tfjsVersion: "4.22.0", client: "web", userAgent: "synthetic" }))}, ${sqlString(environment.backend)}, ${Math.round(500 + rand() * 60_000)}, ${createdAt}, ` +
        `${sqlString(peer)}, ${sqlString(person.block)}, ${sqlString(replayedSegments)}, ${sqlString(environment.gpuVendor)}, ${sqlString(environment.gpuArchitecture)}, ${sqlString(environment.browser)}, ${sqlString(environment.os)})`,
    );
  }
  const statements: string[] = [];
  for (let at = 0; at < count; at += ROWS_PER_INSERT) {
    statements.push(`INSERT INTO workunits (id, token_hash, protocol_id, protocol_version, seed, created_at, expires_at, consumed_at) VALUES ${workunits.slice(at, at + ROWS_PER_INSERT).join(", ")};`);
    statements.push(
      `INSERT INTO runs (id, workunit_id, protocol_id, protocol_version, seed, status, message, contributor, contributor_id, claimed, recomputed, environment, backend, train_ms, created_at, peer_status, address_block, replayed_segments, gpu_vendor, gpu_architecture, browser, os) VALUES ${runs.slice(at, at + ROWS_PER_INSERT).join(", ")};`,
    );
  }
  return statements.join("\n");
}

export interface SeedOptions {
  readonly runs: number;
  readonly state: string;
  readonly port: number;
  readonly seed: number;
}

/** Writes the runs into a fresh state folder and rebuilds the aggregates; returns the seconds each phase took. */
export async function seedRuns(options: SeedOptions): Promise<{ insertSeconds: number; rebuildSeconds: number; rebuildCalls: number }> {
  rmSync(options.state, { recursive: true, force: true });
  mkdirSync(options.state, { recursive: true });
  runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", options.state]);
  const rand = prng(options.seed);
  const people = contributors(rand, Math.max(10, Math.min(2_000, Math.round(options.runs / 50))));
  const start = Date.UTC(2026, 5, 1) - options.runs * 60_000;
  const began = performance.now();
  for (let from = 0; from < options.runs; from += RUNS_PER_FILE) {
    const file = join(options.state, `synthetic-${from}.sql`);
    writeFileSync(file, runsSql(rand, from, Math.min(RUNS_PER_FILE, options.runs - from), people, start));
    runWrangler(["d1", "execute", "DB", "--local", "--persist-to", options.state, "--file", file, "--yes"]);
    rmSync(file);
    console.log(`[seed-runs] ${Math.min(from + RUNS_PER_FILE, options.runs)} / ${options.runs} runs written`);
  }
  const insertSeconds = (performance.now() - began) / 1000;
  const server = await startWranglerDev({ state: options.state, port: options.port, vars: { ADMIN_TOKEN: "seed-runs-local-token" } });
  try {
    const rebuilt = performance.now();
    const calls = await rebuildAggregates(`http://127.0.0.1:${options.port}`, "seed-runs-local-token", (progress) => console.log(`[seed-runs] rebuilding: ${progress.dirtySeeds} seeds and ${progress.staleStandings} keys left`));
    return { insertSeconds, rebuildSeconds: (performance.now() - rebuilt) / 1000, rebuildCalls: calls };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "10000" }, state: { type: "string", default: ".scale-state" }, port: { type: "string", default: "8791" }, seed: { type: "string", default: "14" } },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 1_000_000) throw new Error(`--runs must be an integer in 1..1000000, got ${values.runs}`);
  const result = await seedRuns({ runs, state: values.state, port: Number(values.port), seed: Number(values.seed) });
  console.log(`[seed-runs] ${runs} synthetic runs in ${values.state}: inserted in ${result.insertSeconds.toFixed(1)} s, aggregates rebuilt in ${result.rebuildSeconds.toFixed(1)} s (${result.rebuildCalls} calls)`);
}
