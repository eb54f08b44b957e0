// Why: the Worker's own check of a Colored-MNIST chain before any peer is asked to replay it — the protocol's
// training objective of the seed's initial weights, of every checkpoint and of the final weights, recomputed in
// float64 on the training set (whole when it is small, a crypto-random subsample otherwise) against the loss
// history at those steps, plus Adam's hard bounds on how far a segment can move the weights and on its moments.
//
// What it establishes, and what it does not. A chain passes only if (1) it starts at restart r's initial
// weights: history[0] is their step-0 objective; (2) every checkpoint lies within Adam's reach of the point
// before it (|Δθᵢ| ≤ lr·Σₜ Bₜ, see adamStepBound) and differs from it, and its moments satisfy |mᵢ| ≤ κₜ·√vᵢ
// (see adamMomentBound) and are not all zero; (3) each point's objective is the history's at its step (the
// history records every historyEvery-th step: a checkpoint between two recorded steps is compared with both,
// the bracket widened by its own width — see HISTORY_SLACK);
// (4) training made progress: the pooled risk (mean BCE over both training environments, the same function at
// every step whatever the method) of the final weights is below the initial weights' by PROGRESS_MARGIN.
// Never-trained chains (initial or zero weights, copies of one checkpoint, another seed's or another run's
// weights, a flat invented history) fail (2)–(4). A chain made of a few cheap descent steps inside Adam's reach
// can pass: which steps the recipe takes is what the peers' replays of every segment establish.
//
// Honest error. Where the training set is evaluated whole (the reduced protocols: 2 × 1,000 images) the
// objective is exact up to float32 rounding, and only the history's own float32 rounding and the unrecorded
// steps between two history values matter (HISTORY_SLACK, measured on honest runs), and the check is two-sided. Where it is a subsample (the paper's protocols: m = CMNIST_CHAIN_SUBSAMPLE
// images per environment out of 25,000, drawn without replacement by crypto.getRandomValues), the check is
// one-sided and needs no assumption on the losses' tails: the per-example BCE clipped at CLIP_NATS is in
// [0, CLIP_NATS], its subsample mean lower-bounds the true mean by Hoeffding's inequality for sampling without
// replacement (Hoeffding 1963, §6): P(mean − est > t) ≤ exp(−2mt²/C²), so with δ = CHAIN_FALSE_REJECTION per
// bound a point is refused only when its lower bound exceeds what the history allows. The penalty terms of IRM
// and REx are non-negative and left out of that lower bound; L2 is exact.
import { coloredMnistInputs, coloredMnistPlan, type CmnistEnvPlan } from "../data/colored-mnist";
import type { MnistPack } from "../data/mnist-pack";
import { cmnistInitialWeights, cmnistMlpSpec } from "../nn/cmnist-model";
import type { AdamSpec } from "../protocols/types";
import type { CmnistProtocol, CmnistTraining } from "../protocols/colored-mnist";
import { objectiveAt, type StepObjective } from "../protocols/cmnist-step-objective";
import { cmnistLogits } from "./cmnist-forward";
import { cmnistHistorySteps, drawSubset, type CmnistSubsetSource } from "./cmnist-verify";
import type { CheckpointLayout } from "./trajectory";
import { reject, type Verdict } from "./verdict";

/** Images per training environment the chain check evaluates when the environment is larger (the paper's 25,000). */
export const CMNIST_CHAIN_SUBSAMPLE = 1000;
/** Per bound: the probability that an honest run's point is refused by the subsample's sampling error. */
export const CHAIN_FALSE_REJECTION = 1e-7;
/** Per-example BCE above this is clipped for the Hoeffding bound (a lower bound stays a lower bound). */
export const CLIP_NATS = 2;
/**
 * How far an honest point's objective may fall outside its bracketing history values [low, high] widened by the
 * bracket's width (high − low) on each side, relative to the nearer end: the history's float32 rounding (~1e-7)
 * and the unrecorded steps between two recorded ones. Measured on real reduced runs trained with the app's
 * trainer (`npm run bench trust-splice` prints each honest point's position): ERM stays inside the bracket
 * itself; IRM's objective after its anneal is not monotone (seed 0: 0.008403 at step 24 between 0.005595 at
 * step 20 and 0.008290 at step 30, 1.4 % above the bracket), well inside the widened one.
 */
export const HISTORY_SLACK = { rel: 0.01, abs: 1e-6 } as const;
/** The final weights' pooled risk must be below the initial weights' by this much (nats). */
export const PROGRESS_MARGIN = 0.005;
/** Adam's reach is compared with a float32 margin: relative, plus a few float32 ulps of a weight of size 1. */
const REACH_SLACK = { rel: 1e-3, abs: 1e-6 } as const;

const sameObjective = (a: StepObjective, b: StepObjective): boolean => JSON.stringify(a) === JSON.stringify(b);

/** One training environment's sums over the images checked: BCE, BCE clipped at CLIP_NATS, (σ(ŷ) − y)·ŷ, ŷ². */
interface EnvSums {
  /** Images in the environment (the protocol's first examplesPerEnv). */
  readonly total: number;
  readonly checked: number;
  readonly bce: number;
  readonly bceClipped: number;
  readonly scaleGradient: number;
  readonly squared: number;
}

/** softplus(z) − y·z, stable for any z. */
const bceWithLogits = (z: number, y: number): number => Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z)));

const BLOCK = 1024;

function envSums(model: CmnistProtocol["model"], weights: Float64Array, pack: MnistPack, plan: CmnistEnvPlan, total: number, positions: Uint32Array): EnvSums {
  let bce = 0;
  let bceClipped = 0;
  let scaleGradient = 0;
  let squared = 0;
  for (let start = 0; start < positions.length; start += BLOCK) {
    const block = positions.subarray(start, start + BLOCK);
    const logits = cmnistLogits(model, weights, coloredMnistInputs(pack, plan, block));
    for (let k = 0; k < block.length; k++) {
      const z = logits[k]!;
      const y = plan.labels[block[k]!]! > 0.5 ? 1 : 0;
      const loss = bceWithLogits(z, y);
      bce += loss;
      bceClipped += Math.min(loss, CLIP_NATS);
      scaleGradient += (1 / (1 + Math.exp(-z)) - y) * z;
      squared += z * z;
    }
  }
  return { total, checked: positions.length, bce, bceClipped, scaleGradient, squared };
}

/** A point's objective as the check sees it: the estimate, a lower bound, and whether it is exact (every image checked). */
export interface ObjectiveEstimate {
  readonly value: number;
  readonly lower: number;
  readonly exact: boolean;
  /** Pooled mean BCE (the ERM risk), its estimate and lower bound. */
  readonly risk: number;
  readonly riskLower: number;
}

/** Hoeffding's deviation for the mean of m draws without replacement of a variable in [0, range], at confidence 1 − δ. */
export const hoeffdingDeviation = (m: number, range: number, delta = CHAIN_FALSE_REJECTION): number => range * Math.sqrt(Math.log(1 / delta) / (2 * m));

function estimate(objective: StepObjective, sums: readonly EnvSums[], sumOfSquares: number): ObjectiveEstimate {
  const mean = (s: EnvSums, v: number) => v / s.checked;
  const exact = sums.every((s) => s.checked >= s.total);
  const riskLowerOf = (s: EnvSums) => (s.checked >= s.total ? mean(s, s.bce) : Math.max(0, mean(s, s.bceClipped) - hoeffdingDeviation(s.checked, CLIP_NATS)));
  const R = sums.map((s) => mean(s, s.bce));
  const RLower = sums.map(riskLowerOf);
  const G = sums.map((s) => mean(s, s.scaleGradient));
  const M = sums.map((s) => mean(s, s.squared));
  const N = sums.reduce((n, s) => n + s.total, 0);
  const pooled = (values: readonly number[]) => values.reduce((acc, v, e) => acc + (sums[e]!.total / N) * v, 0);
  let value: number;
  let lower: number;
  if (objective.kind === "pooled") {
    value = pooled(R.map((r, e) => objective.bce * r + objective.sd * M[e]!));
    // ŷ² ≥ 0: where not exact its mean is bounded below by 0.
    lower = exact ? value : pooled(RLower.map((r) => objective.bce * r));
  } else {
    const risks = objective.risk * R.reduce((a, b) => a + b, 0);
    const penalty = objective.kind === "irm" ? G.reduce((a, g) => a + g * g, 0) : (R[0]! - R[1]!) ** 2;
    value = risks + objective.penalty * penalty + objective.l2 * sumOfSquares;
    lower = exact ? value : objective.risk * RLower.reduce((a, b) => a + b, 0) + objective.l2 * sumOfSquares;
  }
  return { value, lower, exact, risk: pooled(R), riskLower: exact ? pooled(R) : pooled(RLower) };
}

/**
 * Adam's largest possible per-coordinate update at step t (1-based), in units of lr, whatever the gradients:
 * by Cauchy–Schwarz |m_t| ≤ (1 − β1)·sqrt(Σ_{j<t} (β1²/β2)^j)·sqrt(v_t/(1 − β2)), so
 * |m̂_t/(√v̂_t + ε)| ≤ κ_t·sqrt(1 − β2^t)/(1 − β1^t) (needs β1² < β2; ε only shrinks it).
 */
export function adamMomentBound(spec: AdamSpec, t: number): number {
  const ratio = (spec.beta1 * spec.beta1) / spec.beta2;
  if (!(ratio < 1)) throw new RangeError(`Adam bound needs β1² < β2, got β1 ${spec.beta1}, β2 ${spec.beta2}`);
  const geometric = (1 - ratio ** t) / (1 - ratio);
  return ((1 - spec.beta1) / Math.sqrt(1 - spec.beta2)) * Math.sqrt(geometric);
}

export const adamStepBound = (spec: AdamSpec, t: number): number => (adamMomentBound(spec, t) * Math.sqrt(1 - spec.beta2 ** t)) / (1 - spec.beta1 ** t);

/** The most any weight can move in steps from..to − 1 (0-based; Adam's t = step + 1). */
export function adamReach(spec: AdamSpec, from: number, to: number): number {
  let sum = 0;
  for (let step = from; step < to; step++) sum += adamStepBound(spec, step + 1);
  return spec.lr * sum;
}

export interface CmnistChainRequest {
  readonly protocol: CmnistProtocol;
  readonly seed: number;
  readonly layout: CheckpointLayout;
  readonly checkpoints: Float32Array;
  readonly finalWeights: Float32Array;
  readonly lossHistory: readonly number[];
  readonly pack: MnistPack;
  /** The server's randomness: `draw` picks the subsample (sizes are ignored: see CMNIST_CHAIN_SUBSAMPLE). */
  readonly draw: CmnistSubsetSource["draw"];
  /** Images per training environment to evaluate where it has more; default CMNIST_CHAIN_SUBSAMPLE. */
  readonly subsample?: number;
}

/** What the check measured: each point's objective (exact or estimated) and the bracket the history allowed. */
export interface ChainReport {
  readonly points: readonly { readonly label: string; readonly step: number; readonly objective: number; readonly lower: number; readonly historyLow: number; readonly historyHigh: number; readonly risk: number }[];
  readonly imagesPerEnv: number;
}

/**
 * The history values bracketing `step` (recorded steps a ≤ step ≤ b; b = `upTo` when given) whose objective is
 * the step's own (that of `upTo` when given).
 */
function bracket(training: CmnistTraining, recorded: readonly number[], history: readonly number[], step: number, upTo?: number): { low: number; high: number } | null {
  const own = objectiveAt(training, upTo ?? step);
  const values: number[] = [];
  const before = recorded.filter((s) => s <= step).at(-1);
  const after = upTo ?? recorded.find((s) => s >= step);
  for (const s of new Set([before, after])) {
    if (s === undefined || !sameObjective(objectiveAt(training, s), own)) continue;
    values.push(history[recorded.indexOf(s)]!);
  }
  return values.length ? { low: Math.min(...values), high: Math.max(...values) } : null;
}

/**
 * The server's own checks of a Colored-MNIST chain (see the header). Returns a rejection, or what it measured.
 * Shapes (checkpoint count and size, finite values, history length) are checked before this is called.
 */
export function checkCmnistChain(request: CmnistChainRequest): Verdict | ChainReport {
  const { protocol, seed, layout, checkpoints, finalWeights, lossHistory, pack, draw } = request;
  const training = protocol.training;
  const spec = training.optimizer;
  if (spec.kind !== "adam") throw new Error(`${protocol.id}: the chain check knows Adam only`);
  const initial = cmnistInitialWeights(cmnistMlpSpec(protocol.model), seed);
  const n = layout.weights;
  const weightsAt = (k: number): Float32Array => checkpoints.subarray(k * layout.size, k * layout.size + n);
  const chain: { label: string; step: number; weights: Float32Array }[] = [
    { label: "the seed's initial weights", step: 0, weights: initial },
    ...layout.steps.map((step, k) => ({ label: `the checkpoint at step ${step}`, step, weights: weightsAt(k) })),
    { label: "the final weights", step: training.steps, weights: finalWeights },
  ];

  // (2) Motion within Adam's reach, and moments Adam can produce.
  for (let k = 1; k < chain.length; k++) {
    const [a, b] = [chain[k - 1]!, chain[k]!];
    const reach = adamReach(spec, a.step, b.step) * (1 + REACH_SLACK.rel) + REACH_SLACK.abs;
    let farthest = 0;
    let moved = false;
    for (let i = 0; i < n; i++) {
      const d = Math.abs(b.weights[i]! - a.weights[i]!);
      if (d > farthest) farthest = d;
      if (d > 0) moved = true;
    }
    if (!moved) return reject("trajectory_mismatch", `${cap(b.label)} equals ${a.label}: ${b.step - a.step} Adam steps always move the weights. The chain was not trained.`);
    if (farthest > reach) {
      return reject(
        "trajectory_mismatch",
        `${cap(b.label)} is ${farthest.toPrecision(3)} from ${a.label} in one weight; ${b.step - a.step} Adam steps at lr ${spec.lr} can move a weight at most ${reach.toPrecision(3)}. The checkpoints are not one training run of this workunit.`,
      );
    }
  }
  for (let k = 0; k < layout.steps.length; k++) {
    const step = layout.steps[k]!;
    const state = checkpoints.subarray(k * layout.size + n, (k + 1) * layout.size);
    const m = state.subarray(0, n);
    const v = state.subarray(n, 2 * n);
    const kappa = adamMomentBound(spec, step) * (1 + REACH_SLACK.rel);
    let nonzero = false;
    for (let i = 0; i < n; i++) {
      if (!(v[i]! >= 0)) return reject("trajectory_mismatch", `Adam's second moment ${i} at step ${step} is ${v[i]}; it is a running mean of squares, never negative.`);
      if (Math.abs(m[i]!) > kappa * Math.sqrt(v[i]!) + 1e-30) {
        return reject("trajectory_mismatch", `Adam's moments at step ${step} are impossible: |m| = ${Math.abs(m[i]!).toPrecision(3)} exceeds ${kappa.toPrecision(3)}·√v = ${(kappa * Math.sqrt(v[i]!)).toPrecision(3)} for weight ${i}.`);
      }
      if (v[i]! > 0) nonzero = true;
    }
    if (!nonzero) return reject("trajectory_mismatch", `Adam's moments at step ${step} are all zero: no gradient step was taken.`);
  }

  // (3) Each point's objective against the history; (4) progress.
  const recorded = cmnistHistorySteps(training.steps, protocol.evidence.historyEvery);
  if (lossHistory.length !== recorded.length) return reject("evidence_shape", `Expected ${recorded.length} loss-history values; got ${lossHistory.length}.`);
  const [trainA, trainB] = coloredMnistPlan(pack.labels, seed) as [CmnistEnvPlan, CmnistEnvPlan];
  const envs = [trainA, trainB].map((plan) => ({ plan, total: Math.min(protocol.data.examplesPerEnv ?? plan.labels.length, plan.labels.length) }));
  const perEnv = request.subsample ?? CMNIST_CHAIN_SUBSAMPLE;
  // One subsample for every point: the same images, so the points are compared on equal terms.
  const positions = envs.map(({ total }) => drawSubset(total, perEnv, draw));
  const points: ChainReport["points"][number][] = [];
  for (const point of chain) {
    const objectiveStep = Math.min(point.step, training.steps - 1);
    const w64 = Float64Array.from(point.weights);
    let sumOfSquares = 0;
    for (let i = 0; i < w64.length; i++) sumOfSquares += w64[i]! * w64[i]!;
    const sums = envs.map(({ plan, total }, e) => envSums(protocol.model, w64, pack, plan, total, positions[e]!));
    const measured = estimate(objectiveAt(training, objectiveStep), sums, sumOfSquares);
    // The final weights are one step past the last recorded loss, which one step may raise (IRM's objective
    // after its anneal is not monotone): they are compared with the last two recorded values.
    const range = bracket(training, recorded, lossHistory, point.step === training.steps ? recorded.at(-2) ?? objectiveStep : objectiveStep, point.step === training.steps ? objectiveStep : undefined);
    if (!range) throw new Error(`${protocol.id}: no history step shares step ${objectiveStep}'s objective`);
    // The final weights are one step past the last recorded loss: only an excess is refused there.
    // Between two recorded steps the objective need not be monotone (IRM's, after its anneal, is not): the
    // bracket is widened by its own width on each side.
    const width = range.high - range.low;
    const allowedHigh = range.high + width + range.high * HISTORY_SLACK.rel + HISTORY_SLACK.abs;
    const allowedLow = point.step === training.steps ? -Infinity : range.low - width - range.low * HISTORY_SLACK.rel - HISTORY_SLACK.abs;
    points.push({ label: point.label, step: point.step, objective: measured.value, lower: measured.lower, historyLow: range.low, historyHigh: range.high, risk: measured.risk });
    const said = range.low === range.high ? range.low.toPrecision(6) : `${range.low.toPrecision(6)} to ${range.high.toPrecision(6)}`;
    if (measured.lower > allowedHigh || (measured.exact && measured.value < allowedLow)) {
      return reject(
        "evidence_mismatch",
        `${cap(point.label)} ${measured.exact ? `has training objective ${measured.value.toPrecision(6)}` : `has training objective at least ${measured.lower.toPrecision(6)} (measured on ${perEnv.toLocaleString("en-US")} random images per environment)`} at step ${objectiveStep}, but the loss history says ${said} there: the checkpoints and the history are not the same run.`,
      );
    }
  }
  const [first, last] = [points[0]!, points.at(-1)!];
  const finalRiskBound = last.risk;
  if (!(finalRiskBound <= first.risk - PROGRESS_MARGIN)) {
    return reject(
      "evidence_mismatch",
      `The final weights' mean cross-entropy on the training images (${finalRiskBound.toPrecision(5)}) is not below the initial weights' (${first.risk.toPrecision(5)}) by ${PROGRESS_MARGIN}: ${training.steps} steps of training always lower it. The run was not trained.`,
    );
  }
  return { points, imagesPerEnv: Math.min(perEnv, ...envs.map((e) => e.total)) };
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
