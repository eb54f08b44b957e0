// `npm run bench trust-cost [-- --repeats 5]`: the server's CPU (process.cpuUsage, user + system, in Node's V8:
// the Worker's own verifier, verifySubmission) for the most expensive refused bodies we can craft against an
// honest body of the same protocol; medians of interleaved repeats, and their ratio (target ≤ 1×).
//   fig1-margin-pos (server-replayed: all 10 segments, in order, before any metric): honest = a real wasm run;
//     refused = the honest chain with one claim off (refused at the very end: the most a refused body can cost),
//     a chain broken at the last link (replayed last), and final weights crafted for cost (first-layer weights
//     scaled ×30 and ×300: a boundary that crosses far more grid edges), with the honest history;
//   cmnist-erm-reduced and cmnist-irm-reduced: honest = a real run (scripts/bench/trust-cmnist-runs.ts);
//     refused = the honest chain claiming +10 points of test accuracy (refused only after the chain check and
//     both accuracies: the most a refused body can cost), a chain broken at the last link (another seed's final
//     weights), and a never-trained chain nudged within Adam's reach with a flat history (refused at the
//     progress check, after every point's objective). Repeats for these: at most 3 (seconds each here).
//   fig3-deeper (peer-replayed: no segment replayed by the server, so crafted final weights are not refused by a
//     replay): honest = the stand-in chain the verify bench uses (shared/testing/placeholder-run.ts, accepted by
//     the server's own checks); refused = weights crafted to cost the most the checks let through — a weak
//     classifier plus a checkerboard gated to a strip where no point lies, its amplitude tuned to the largest
//     boundary under MAX_BOUNDARY_CROSSINGS (so every metric is computed, then the claims are refused), and one
//     just over it (refused as implausible before the boundary is refined), the history's last loss theirs.
// Not measured: the 10,000-step server-replayed protocols (minutes of float64 replay per verification here),
// fig3-longer (its 2-layer net has no gated shape that a loss check lets through) and the paper's Colored-MNIST
// protocols (50,000-image runs cannot be trained on this machine); say so in the README.
import * as tf from "@tensorflow/tfjs";
import type { RunMeta } from "../../shared/api";
import { cryptoSubset } from "../../shared/metrics/cmnist-verify";
import { cmnistRunAccuracies } from "../../shared/metrics/cmnist-forward";
import { allSegments, checkpointLayout } from "../../shared/metrics/trajectory";
import { verifySubmission } from "../../shared/metrics/verify-run";
import type { Verdict } from "../../shared/metrics/verdict";
import { cmnistRestartData } from "../../shared/data/colored-mnist";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import { findParam, mlpParams } from "../../shared/nn/mlp";
import { MAX_BOUNDARY_CROSSINGS } from "../../shared/metrics/two-moons";
import { mlpForward } from "../../shared/metrics/mlp-math";
import { gridAxis, gridCrossingCount, gridPoints, GRID_SIZE } from "../../shared/metrics/boundary";
import { moonsLoss, signedTargets } from "../../shared/metrics/loss";
import { gatedCheckerboardWeights } from "../../shared/testing/crafted-weights";
import { placeholderRun } from "../../shared/testing/placeholder-run";
import type { CmnistProtocol } from "../../shared/protocols/colored-mnist";
import { findProtocol, moonsProtocol } from "../../shared/protocols/registry";
import type { Protocol } from "../../shared/protocols/types";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import type { VerifyResources } from "../../shared/protocols/families";
import { useNodeBackend } from "../lib/node-backend";
import { honestCmnistRun, mnistPack } from "./trust-cmnist-runs";
import { fig1Submission } from "./verify-work";

type Report = (label: string, value: string) => void;

interface Body {
  readonly label: string;
  readonly meta: RunMeta;
  readonly weights: Float32Array;
  readonly checkpoints: Float32Array;
  /** Whether the server must accept it (the honest body) or refuse it. */
  readonly honest: boolean;
}

const environment = { backend: "wasm" as const, tfjsVersion: tf.version.tfjs, client: "cli" as const, userAgent: "bench" };
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** CPU ms of one verification, checking the verdict is the expected one. */
function timed(protocol: Protocol, body: Body, resources: (body: Body) => VerifyResources): { ms: number; verdict: Verdict } {
  const extra = resources(body);
  const start = process.cpuUsage();
  const verdict = verifySubmission({ protocol, seed: body.meta.seed }, body.meta, encodeFloat32(body.weights), extra);
  const used = process.cpuUsage(start);
  if ((verdict.status === "accepted") !== body.honest) throw new Error(`trust-cost: ${protocol.id} "${body.label}" was ${verdict.status}: ${verdict.message}`);
  return { ms: (used.user + used.system) / 1000, verdict };
}

function compare(report: Report, protocol: Protocol, bodies: readonly Body[], repeats: number, resources: (body: Body) => VerifyResources): void {
  const times = bodies.map(() => [] as number[]);
  const reasons = bodies.map(() => "");
  for (let r = 0; r < repeats; r++) {
    bodies.forEach((body, k) => {
      const { ms, verdict } = timed(protocol, body, resources);
      times[k]!.push(ms);
      reasons[k] = verdict.status === "rejected" ? verdict.reason : "accepted";
    });
  }
  const honest = median(times[0]!);
  report(`trust-cost · ${protocol.id} · honest body (median of ${repeats})`, `${honest.toFixed(0)} ms CPU`);
  bodies.slice(1).forEach((body, k) => {
    const ms = median(times[k + 1]!);
    report(`trust-cost · ${protocol.id} · ${body.label} → ${reasons[k + 1]}`, `${ms.toFixed(0)} ms CPU, ${(ms / honest).toFixed(2)}× honest`);
  });
}

async function fig1(report: Report, repeats: number): Promise<void> {
  await useNodeBackend("wasm");
  const { protocol, result, meta } = await fig1Submission();
  const checkpoints = result.checkpoints!;
  const layout = checkpointLayout(protocol)!;
  const last = checkpoints.subarray((layout.steps.length - 1) * layout.size, (layout.steps.length - 1) * layout.size + layout.weights);
  // Broken at the last link: final weights moved half-way back towards the last checkpoint.
  const broken = Float32Array.from(result.weights, (w, i) => w + 0.5 * (last[i]! - w));
  const crafted = (scale: number): Float32Array => {
    const w = result.weights.slice();
    const first = findParam(mlpParams(protocol.model), "weight", 1)!;
    for (let i = first.offset; i < first.offset + first.size; i++) w[i] = w[i]! * scale;
    return w;
  };
  const offClaim = { ...meta, claimed: { ...meta.claimed, curvature: (meta.claimed.curvature ?? 0) + 0.01 } };
  const bodies: Body[] = [
    { label: "honest", meta, weights: result.weights, checkpoints, honest: true },
    { label: "honest chain, one claim off (refused last, after every check)", meta: offClaim, weights: result.weights, checkpoints, honest: false },
    { label: "chain broken at the last link", meta, weights: broken, checkpoints, honest: false },
    { label: "crafted-cost weights (first layer ×30)", meta, weights: crafted(30), checkpoints, honest: false },
    { label: "crafted-cost weights (first layer ×300)", meta, weights: crafted(300), checkpoints, honest: false },
  ];
  compare(report, protocol, bodies, repeats, (body) => ({ trajectory: { checkpoints: body.checkpoints, segments: allSegments(protocol) } }));
}

async function cmnist(report: Report, id: string, repeats: number): Promise<void> {
  const protocol = findProtocol(id) as CmnistProtocol;
  const pack = await mnistPack();
  const [run, other] = [await honestCmnistRun(protocol, 0, (l) => report("trust-cost", l.trim())), await honestCmnistRun(protocol, 1, (l) => report("trust-cost", l.trim()))];
  const claims = cmnistRunAccuracies(protocol.model, run.finalWeights, cmnistRestartData(pack, 0, protocol.data.examplesPerEnv));
  const meta: RunMeta = {
    token: "x".repeat(43),
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed: 0,
    claimed: { ...claims },
    firstLosses: [],
    lossHistory: [...run.lossHistory],
    environment,
    timings: { trainMs: 1, steps: protocol.training.steps },
  };
  const layout = checkpointLayout(protocol)!;
  const init = cmnistInitialWeights(cmnistMlpSpec(protocol.model), 0);
  const nudged = run.checkpoints.slice();
  for (let k = 0; k < layout.steps.length; k++) nudged.set(init.map((w, i) => w + (i % 3 === k ? 1e-6 : 0)), k * layout.size);
  const bodies: Body[] = [
    { label: "honest", meta, weights: run.finalWeights, checkpoints: run.checkpoints, honest: true },
    { label: "honest chain, test accuracy claimed +10 points", meta: { ...meta, claimed: { ...claims, testAccuracy: claims.testAccuracy + 0.1 } }, weights: run.finalWeights, checkpoints: run.checkpoints, honest: false },
    { label: "chain broken at the last link (seed 1's final weights)", meta, weights: other.finalWeights, checkpoints: run.checkpoints, honest: false },
    {
      label: "never trained, nudged within Adam's reach, flat history",
      meta: { ...meta, lossHistory: run.lossHistory.map(() => run.lossHistory[0]!) },
      weights: init.map((w, i) => w + (i % 3 === 2 ? 1e-6 : 0)),
      checkpoints: nudged,
      honest: false,
    },
  ];
  compare(report, protocol, bodies, Math.min(repeats, 3), (body) => ({ mnistPack: pack, cmnistSubset: cryptoSubset(), trajectory: { checkpoints: body.checkpoints, segments: [] } }));
}

/** fig3-deeper, peer-replayed: the server's own checks against weights crafted to cost the most they let through. */
function deeper(report: Report, repeats: number): void {
  const protocol = moonsProtocol("fig3-deeper");
  const run = placeholderRun(protocol, 0, environment);
  const data = twoMoonsFamily.dataset(protocol, 0);
  const targets = signedTargets(data.y);
  let lean = 0;
  for (let i = 0; i < data.n; i++) lean += targets[i]! * data.x[2 * i + 1]!;
  const crossings = (weights: Float32Array): number => gridCrossingCount(mlpForward(protocol.model, weights, gridPoints(gridAxis())), GRID_SIZE);
  const craftedAt = (amplitude: number) => gatedCheckerboardWeights(protocol.model, { w: [0, Math.sign(lean)], b: 0, beta: 0.5 }, amplitude);
  // The amplitude whose boundary crosses the most grid edges at or under the cap, and the first one over it.
  let under: { amplitude: number; n: number } | null = null;
  let over: { amplitude: number; n: number } | null = null;
  for (let amplitude = 0.01; amplitude <= 3 && !over; amplitude *= 1.1) {
    const n = crossings(craftedAt(amplitude));
    if (n <= MAX_BOUNDARY_CROSSINGS) under = { amplitude, n };
    else over = { amplitude, n };
  }
  if (!under || !over) throw new Error("trust-cost: no crafted fig3-deeper weights straddle the crossing cap");
  const meta: RunMeta = { ...run.meta, token: "x".repeat(43) };
  const withWeights = (label: string, weights: Float32Array): Body => {
    const loss = moonsLoss(mlpForward(protocol.model, weights, data.x), targets, protocol.training.sdCoef);
    return { label, meta: { ...meta, lossHistory: [...meta.lossHistory.slice(0, -1), loss] }, weights, checkpoints: run.checkpoints, honest: false };
  };
  const bodies: Body[] = [
    { label: "honest (the stand-in chain)", meta, weights: run.weights, checkpoints: run.checkpoints, honest: true },
    withWeights(`crafted: ${under.n} grid crossings (the most under the cap of ${MAX_BOUNDARY_CROSSINGS}), every metric computed`, craftedAt(under.amplitude)),
    withWeights(`crafted: ${over.n} grid crossings (just over the cap)`, craftedAt(over.amplitude)),
  ];
  compare(report, protocol, bodies, Math.min(repeats, 3), (body) => ({ trajectory: { checkpoints: body.checkpoints, segments: [] } }));
}

export async function benchTrustCost(report: Report, repeats: number): Promise<void> {
  await fig1(report, repeats);
  deeper(report, repeats);
  for (const id of ["cmnist-erm-reduced", "cmnist-irm-reduced"]) await cmnist(report, id, repeats);
}
