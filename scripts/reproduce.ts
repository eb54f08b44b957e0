// Command-line reproduction: trains protocols in Node with the same shared code as the browser, prints
// each seed's metrics, the seed-mean ± std and the paper's claims; with --submit it works as a GS Lab
// client instead (the server assigns seeds, every run is verified and lands on the leaderboard).
//
//   npm run reproduce -- fig1 --seeds 0-9                    local, seeds 0..9, both Fig. 1 protocols
//   npm run reproduce -- fig2-margin-pos-sd --seeds 0,3      local, two seeds
//   npm run reproduce -- fig1 --submit http://127.0.0.1:8787 --runs 10 --contributor "cli"
//   npm run reproduce -- fig3-dropout --submit http://127.0.0.1:8787 --runs 10 --batch   10 seeds in one computation
//   npm run reproduce -- fig3-deeper --seeds 0-9 --batch --fast-eval --backend webgpu      GPU; float32 evaluation
// Options: --backend best|wasm|cpu|webgpu, --json FILE, --weights-out FILE, --progress (lines when not a TTY).
//
// Colored MNIST (Table 1, Fig. 4) has its own runner, scripts/lib/reproduce-cmnist.ts (`-- cmnist --help`):
//   npm run reproduce -- cmnist --restarts 10                    all five protocols (ERM, SD, IRM, REx, oracle)
//   npm run reproduce -- cmnist-sd --restart-list 0,3 --json sd.json
//   npm run reproduce -- cmnist --reduced --restarts 2 --backend wasm   reduced configuration (not the paper's)
//   Options: --restarts N, --restart-list LIST, --reduced [--step-fraction F --examples-per-env K], --chunk K,
//   --backend best|wasm|cpu|webgpu, --json FILE, --progress.
import * as tf from "@tensorflow/tfjs";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { encodeFloat32 } from "../shared/nn/float32-codec";
import type { RunRecord } from "../shared/api";
import { createApiClient } from "../shared/client/api-client";
import { moonsRunFromResult, runWorkunit, workunitData } from "../shared/client/run-workunit";
import { judgeClaims, summarize, type AcceptedRun } from "../shared/metrics/aggregate";
import type { MoonsData } from "../shared/data/moons";
import { evaluateMoonsWith } from "../shared/metrics/two-moons";
import { tfDecisionFunction } from "../shared/nn/tf-decision";
import { trainBatch, trainMoons } from "../shared/nn/train";
import { familyOf, isMoons } from "../shared/protocols/families";
import { twoMoonsFamily } from "../shared/protocols/two-moons-family";
import { toyRunEvidence } from "../shared/toy/family";
import type { MoonsProtocol, Protocol } from "../shared/protocols/types";
import { selectNodeBackend, useNodeBackend } from "./lib/node-backend";
import { cliContributorKey, cliFetch, cliWorkunit, formatStat, parseSeeds, progressLines, selectProtocols } from "./lib/cli";
import { CMNIST_USAGE, isCmnistInvocation } from "./lib/cmnist-cli";
import { reproduceCmnist } from "./lib/reproduce-cmnist";

const argv = process.argv.slice(2);
if (isCmnistInvocation(argv)) process.exit(await reproduceCmnist(argv));
if (argv.includes("--help") || argv.includes("-h")) {
  console.log("Two-moons and toy protocols: npm run reproduce -- <protocol | fig1 | fig2 | all> [--seeds 0-9] [--submit URL --runs N]");
  console.log("  [--batch] [--fast-eval] [--backend best|wasm|cpu|webgpu] [--json FILE] [--weights-out FILE] [--progress]\n");
  console.log(CMNIST_USAGE);
  process.exit(0);
}

const { values: options, positionals } = parseArgs({
  args: argv,
  allowPositionals: true,
  options: {
    seeds: { type: "string", default: "0-9" },
    backend: { type: "string", default: "best" },
    submit: { type: "string" },
    runs: { type: "string", default: "10" },
    contributor: { type: "string" },
    json: { type: "string" },
    batch: { type: "boolean", default: false },
    "fast-eval": { type: "boolean", default: false },
    progress: { type: "boolean", default: false },
    "weights-out": { type: "string" },
  },
});

const protocols = selectProtocols(positionals[0] ?? "fig1");
const backend = await selectNodeBackend(options.backend);
console.log(`GS Lab reproduction · tfjs ${tf.version.tfjs} on ${backend} · ${protocols.map((p) => p.id).join(", ")}`);

const results = new Map<string, AcceptedRun[]>();
const cliEnvironment = { tfjsVersion: tf.version.tfjs, client: "cli", userAgent: `node ${process.version}` } as const;
const progressLine = progressLines(options.progress);
const contributorKey = cliContributorKey();
const keyOption = contributorKey ? { contributorKey } : {};
/** Metrics of trained weights: the exact float64 evaluation, or (--fast-eval) tfjs' float32 one. */
const evaluate = (protocol: MoonsProtocol, data: MoonsData, weights: Float32Array) => {
  if (!options["fast-eval"]) return twoMoonsFamily.evaluate(protocol, data, weights);
  const decision = tfDecisionFunction(protocol.model, weights);
  try {
    return evaluateMoonsWith(protocol, data, decision.f);
  } finally {
    decision.dispose();
  }
};

for (const protocol of protocols) {
  const runs: AcceptedRun[] = [];
  results.set(protocol.id, runs);
  if (!isMoons(protocol)) {
    // The toy model is deterministic and tiny: one run (seed 0), computed in plain TypeScript.
    console.log(`\n${protocol.id} — ${protocol.title} (${protocol.toy.steps} steps per s1)`);
    if (options.submit) {
      const api = createApiClient(options.submit, cliFetch);
      const workunit = await cliWorkunit(api, protocol.id, options.submit);
      const run = await runWorkunit({ api, workunit, contributor: options.contributor, ...keyOption, environment: { ...cliEnvironment, backend: "cpu" } });
      report(protocol, workunit.seed, run.meta.claimed, await api.submitRun(run.meta, run.weights, run.checkpoints), runs);
    } else {
      const { claimed } = toyRunEvidence(protocol);
      console.log(`  ${formatMetrics(protocol, claimed)}`);
      runs.push({ seed: 0, contributor: null, recomputed: claimed });
    }
    continue;
  }
  console.log(`\n${protocol.id} — ${protocol.title} (${protocol.training.steps} steps)`);
  if (options.submit && options.batch) {
    // Seed-batched training, each seed still its own workunit, submission and verification.
    const api = createApiClient(options.submit, cliFetch);
    const workunits = await Promise.all(Array.from({ length: Number(options.runs) }, () => cliWorkunit(api, protocol.id, options.submit!)));
    const data = await Promise.all(workunits.map((w) => workunitData(api, w)));
    const lanes = workunits.map((w, k) => ({ protocol, seed: w.seed, data: data[k]!, initialWeights: twoMoonsFamily.initialWeights(protocol, w.seed) }));
    const trained = await trainBatch({ lanes, onProgress: progressLine(`seeds ${workunits.map((w) => w.seed).join(",")} together`) });
    process.stdout.write("\r");
    for (const [k, workunit] of workunits.entries()) {
      const run = moonsRunFromResult(protocol, { workunit, environment: cliEnvironment, contributor: options.contributor, ...keyOption }, lanes[k]!.data, lanes[k]!.initialWeights, trained[k]!);
      report(protocol, workunit.seed, run.meta.claimed, await api.submitRun(run.meta, run.weights, run.checkpoints), runs);
    }
  } else if (options.submit) {
    const api = createApiClient(options.submit, cliFetch);
    for (let k = 0; k < Number(options.runs); k++) {
      const workunit = await cliWorkunit(api, protocol.id, options.submit);
      const run = await runWorkunit({ api, workunit, contributor: options.contributor, ...keyOption, environment: cliEnvironment, onProgress: progressLine(`seed ${workunit.seed}`) });
      process.stdout.write("\r");
      report(protocol, workunit.seed, run.meta.claimed, await api.submitRun(run.meta, run.weights, run.checkpoints), runs);
    }
  } else if (options.batch) {
    const seeds = parseSeeds(options.seeds);
    const lanes = seeds.map((seed) => ({ protocol, seed, data: twoMoonsFamily.dataset(protocol, seed), initialWeights: twoMoonsFamily.initialWeights(protocol, seed) }));
    const trained = await trainBatch({ lanes, onProgress: progressLine(`seeds ${options.seeds} together`) });
    process.stdout.write("\r");
    if (options["weights-out"]) saveWeights(options["weights-out"], protocol, seeds, trained.map((r) => r.weights));
    // tfjs reads back synchronously only on CPU backends (webgpu in Node cannot): evaluate there.
    if (options["fast-eval"] && !["wasm", "cpu"].includes(tf.getBackend())) await useNodeBackend("wasm");
    trained.forEach((result, k) => {
      const { metrics } = evaluate(protocol, lanes[k]!.data, result.weights);
      console.log(`  seed ${seeds[k]}: ${formatMetrics(protocol, metrics)} · ${((seeds.length * result.steps * 1000) / result.elapsedMs).toFixed(1)} run-steps/s (batched)`);
      runs.push({ seed: seeds[k]!, contributor: null, recomputed: metrics });
    });
  } else {
    for (const seed of parseSeeds(options.seeds)) {
      const data = twoMoonsFamily.dataset(protocol, seed);
      const result = await trainMoons({ protocol, seed, data, initialWeights: twoMoonsFamily.initialWeights(protocol, seed), onProgress: progressLine(`seed ${seed}`) });
      const { metrics } = evaluate(protocol, data, result.weights);
      process.stdout.write("\r");
      console.log(`  seed ${seed}: ${formatMetrics(protocol, metrics)} · ${((result.steps * 1000) / result.elapsedMs).toFixed(0)} steps/s`);
      runs.push({ seed, contributor: null, recomputed: metrics });
    }
  }
}

const summaries = new Map(protocols.map((p) => [p.id, summarize(p, familyOf(p).metrics(p), results.get(p.id) ?? [])] as const));
console.log("\nSeed-mean ± std (population std over seeds, as the paper's np.std)");
for (const protocol of protocols) {
  const summary = summaries.get(protocol.id)!;
  const cells = familyOf(protocol).metrics(protocol).map((m) => `${m.label} ${formatStat(summary.metrics[m.key] ?? null, m.digits)}`);
  console.log(`  ${protocol.id.padEnd(20)} n=${summary.seeds}  ${cells.join(" · ")}`);
}
const claims = protocols.flatMap((p) => judgeClaims(p, summaries).filter((c) => summaries.has(c.otherProtocolId)).map((c) => ({ protocol: p.id, ...c })));
if (claims.length) console.log("\nThe paper's claims");
for (const claim of claims) {
  const verdict = claim.holds === null ? "not enough runs" : claim.holds ? "HOLDS" : "DOES NOT HOLD";
  console.log(`  [${verdict}] ${claim.text}\n      ${claim.metric}: ${claim.protocol} ${formatStat(claim.value, 4)} ${claim.relation} ${claim.otherProtocolId} ${formatStat(claim.other, 4)}`);
}
if (options.json) {
  writeFileSync(options.json, JSON.stringify({ backend, tfjs: tf.version.tfjs, runs: Object.fromEntries(results), summaries: Object.fromEntries(summaries), claims }, null, 1));
  console.log(`\nwrote ${options.json}`);
}

/** Prints a submitted run's outcome and keeps the accepted ones for the summary. */
function report(protocol: Protocol, seed: number, claimed: Readonly<Record<string, number | null>>, record: RunRecord, runs: AcceptedRun[]): void {
  console.log(`  seed ${seed}: ${record.status}${record.reason ? ` (${record.reason}: ${record.message})` : ""} · ${formatMetrics(protocol, claimed)} · ${options.submit}/runs/${record.id}`);
  if (record.status === "accepted" && record.recomputed) runs.push({ seed, contributor: options.contributor ?? null, recomputed: record.recomputed });
}

function formatMetrics(protocol: Protocol, metrics: Readonly<Record<string, number | null>>): string {
  return familyOf(protocol)
    .metrics(protocol)
    .map((m) => `${m.key}=${metrics[m.key] === null ? "—" : metrics[m.key]!.toFixed(m.digits)}`)
    .join(" ");
}

/**
 * Little-endian float32 weights of every seed, in seed order, in files of at most 12 MB (`path.0`, `path.1`,
 * ...), with a JSON index at `path.json`.
 */
function saveWeights(path: string, protocol: MoonsProtocol, seeds: number[], weights: Float32Array[]): void {
  const seedsPerFile = Math.max(1, Math.floor((12 * 2 ** 20) / (4 * (weights[0]?.length ?? 1))));
  const files: string[] = [];
  for (let start = 0; start < weights.length; start += seedsPerFile) {
    const file = `${path}.${files.length}`;
    writeFileSync(file, Buffer.concat(weights.slice(start, start + seedsPerFile).map((w) => Buffer.from(encodeFloat32(w)))));
    files.push(file);
  }
  writeFileSync(`${path}.json`, JSON.stringify({ protocol: protocol.id, version: protocol.version, seeds, floatsPerSeed: weights[0]?.length ?? 0, seedsPerFile, files }));
  console.log(`  wrote the weights of seeds ${seeds.join(", ")} to ${files.join(", ")}`);
}
