// `npm run agreement`: measures how far two honest runs of one seed end apart when trained on different tfjs
// backends — the numbers behind the two-moons AGREEMENT tolerance (shared/metrics/quorum.ts), by which the
// quorum calls a seed "reproduced" or "disputed". For each protocol and seed it trains the run once on each
// backend (wasm, cpu in Node), recomputes its metrics from the final weights as the Worker does
// (twoMoonsFamily.evaluate), and prints per protocol and metric the largest |difference| between backends over
// the seeds, beside the tolerance, and how many same-seed pairs runsAgree would have disputed (target 0).
// It times a short dry run of each protocol on each backend first and prints the estimated training time;
// --dry-run stops there, and a plan over --max-min minutes is refused before anything long starts.
// Usage: npm run agreement [-- --protocols fig1-margin-neg,fig1-margin-pos] [--seeds 0-4] [--backends wasm,cpu]
//        [--max-min 60] [--dry-run] [--json out.json]
import * as tf from "@tensorflow/tfjs";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { measureAgreement, type MeasuredRun } from "../shared/metrics/agreement-measure";
import { AGREEMENT, type Agreement } from "../shared/metrics/quorum";
import { trainMoons } from "../shared/nn/train";
import { familyOf } from "../shared/protocols/families";
import { moonsProtocol } from "../shared/protocols/registry";
import { twoMoonsFamily } from "../shared/protocols/two-moons-family";
import { parseSeeds, progressLines } from "./lib/cli";
import { useNodeBackend, type NodeBackend } from "./lib/node-backend";

const { values: options } = parseArgs({
  options: {
    protocols: { type: "string", default: "fig1-margin-neg,fig1-margin-pos" },
    seeds: { type: "string", default: "0-4" },
    backends: { type: "string", default: "wasm,cpu" },
    "dry-steps": { type: "string", default: "10" },
    "max-min": { type: "string", default: "60" },
    "dry-run": { type: "boolean", default: false },
    progress: { type: "boolean", default: false },
    json: { type: "string" },
  },
});

const protocols = options.protocols.split(",").map((id) => moonsProtocol(id.trim()));
const seeds = parseSeeds(options.seeds);
const backends = options.backends.split(",").map((b) => b.trim()) as NodeBackend[];
if (backends.length < 2 || new Set(backends).size !== backends.length) throw new Error(`--backends needs at least two different backends, got "${options.backends}"`);
const dryStepsCount = Number(options["dry-steps"]);
const maxMin = Number(options["max-min"]);
if (!Number.isInteger(dryStepsCount) || dryStepsCount < 1) throw new Error("--dry-steps must be a positive integer");
if (!(maxMin > 0)) throw new Error("--max-min must be a positive number of minutes");

const wallStart = performance.now();
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
console.log(`GS Lab agreement · ${new Date().toISOString()} · Node ${process.version} · tfjs ${tf.version.tfjs}`);
console.log(`protocols ${protocols.map((p) => p.id).join(", ")} · seeds ${seeds.join(",")} · backends ${backends.join(", ")}`);

// Dry runs: ms a step of each protocol on each backend (after a 2-step warm-up), for the estimate.
const msPerStep = new Map<string, number>();
let estimateMs = 0;
for (const protocol of protocols) {
  const data = twoMoonsFamily.dataset(protocol, seeds[0]!);
  const initialWeights = twoMoonsFamily.initialWeights(protocol, seeds[0]!);
  for (const backend of backends) {
    await useNodeBackend(backend);
    await trainMoons({ protocol, seed: seeds[0]!, data, initialWeights, steps: 2 });
    const started = performance.now();
    await trainMoons({ protocol, seed: seeds[0]!, data, initialWeights, steps: dryStepsCount });
    const ms = (performance.now() - started) / dryStepsCount;
    msPerStep.set(`${protocol.id}/${backend}`, ms);
    const runMs = ms * protocol.training.steps;
    estimateMs += runMs * seeds.length;
    console.log(`dry run: ${protocol.id} on ${backend}: ${ms.toFixed(2)} ms a step (${dryStepsCount} steps) → ${minutes(runMs)} a run of ${protocol.training.steps} steps`);
  }
}
console.log(`estimated training: ${minutes(estimateMs)} (limit --max-min ${maxMin})`);
if (options["dry-run"]) process.exit(0);
if (estimateMs > maxMin * 60_000) {
  console.error(`refused: the estimate exceeds --max-min ${maxMin}; fewer seeds, shorter protocols, or raise --max-min`);
  process.exit(1);
}

interface RunRecord extends MeasuredRun {
  readonly protocolId: string;
  readonly trainMs: number;
}
const records: RunRecord[] = [];
const progress = progressLines(options.progress);
for (const protocol of protocols) {
  const keys = familyOf(protocol).metrics(protocol).map((m) => m.key);
  for (const seed of seeds) {
    const data = twoMoonsFamily.dataset(protocol, seed);
    const initialWeights = twoMoonsFamily.initialWeights(protocol, seed);
    for (const backend of backends) {
      await useNodeBackend(backend);
      const started = performance.now();
      const result = await trainMoons({ protocol, seed, data, initialWeights, progressIntervalMs: 2000, onProgress: progress(`${protocol.id} seed ${seed} ${backend}`) });
      const trainMs = performance.now() - started;
      if (process.stdout.isTTY) process.stdout.write("\r\x1b[K");
      const { metrics } = twoMoonsFamily.evaluate(protocol, data, result.weights);
      records.push({ protocolId: protocol.id, seed, label: backend, recomputed: metrics, trainMs });
      console.log(
        `${protocol.id} seed ${seed} ${backend.padEnd(6)} ${(trainMs / 1000).toFixed(1).padStart(6)} s  ${keys.map((k) => `${k} ${metrics[k as keyof typeof metrics]}`).join("  ")}`,
      );
    }
  }
}

const tableRows: unknown[] = [];
console.log(`\nLargest |difference| between backends (${backends.join(" vs ")}) over seeds ${seeds.join(",")}, per metric, against AGREEMENT (quorum.ts).`);
console.log(
  `${"protocol".padEnd(20)} ${"metric".padEnd(14)} ${"digits".padStart(6)} ${"max |Δ|".padStart(24)} ${"at".padStart(16)} ${"tolerance".padStart(10)} ${"over tol.".padStart(9)} ${"null≠num".padStart(8)}`,
);
for (const protocol of protocols) {
  const definitions = familyOf(protocol).metrics(protocol);
  // As trustBySeed (shared/metrics/aggregate.ts) builds it.
  const tolerance: Agreement = { keys: definitions.map((m) => m.key), ...AGREEMENT[protocol.family] };
  const measured = measureAgreement(
    records.filter((r) => r.protocolId === protocol.id),
    tolerance,
  );
  for (const spread of measured.metrics) {
    const digits = definitions.find((d) => d.key === spread.key)!.digits;
    const at = spread.at ? `s${spread.at.seed} ${spread.at.labels.join("/")}` : "—";
    console.log(
      `${protocol.id.padEnd(20)} ${spread.key.padEnd(14)} ${String(digits).padStart(6)} ${String(spread.largest ?? "—").padStart(24)} ${at.padStart(16)} ${formatTolerance(tolerance).padStart(10)} ${`${spread.overTolerance}/${spread.compared + spread.nullMismatches}`.padStart(9)} ${String(spread.nullMismatches).padStart(8)}`,
    );
  }
  const disputedPairs = measured.pairs.filter((p) => !p.agree);
  console.log(
    `${protocol.id.padEnd(20)} disputed pairs: ${measured.disputed}/${measured.pairs.length}${disputedPairs.length ? ` (${disputedPairs.map((p) => `seed ${p.seed} ${p.labels.join("/")}: ${p.disagreeingKeys.join(", ")}`).join("; ")})` : ""}`,
  );
  tableRows.push({ protocolId: protocol.id, tolerance, ...measured, msPerStep: Object.fromEntries(backends.map((b) => [b, msPerStep.get(`${protocol.id}/${b}`)])) });
}
console.log(`\nWall time: ${minutes(performance.now() - wallStart)}.`);
if (options.json) {
  writeFileSync(options.json, JSON.stringify({ tfjs: tf.version.tfjs, node: process.version, seeds, backends, runs: records, protocols: tableRows }, null, 1));
  console.log(`wrote ${options.json}`);
}

function formatTolerance(tolerance: Agreement): string {
  return tolerance.rel ? `${tolerance.abs}+${tolerance.rel}·|y|` : String(tolerance.abs);
}
