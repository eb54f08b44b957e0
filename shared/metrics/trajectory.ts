// Trajectory evidence for two-moons runs: the checkpoints a client uploads (its weights and optimiser state
// every evidence.checkpointEvery steps), their wire layout, and the server's check of them — each checkpoint
// tied to the loss history, and, for the protocols the Worker replays itself, EVERY segment replayed in float64
// in order, from the seed's initial weights through each checkpoint into the final weights, with the replay's
// loss compared to the history at every recorded step. A chain with any one broken link is refused with
// probability 1; an honest float32 run stays within the measured TRAJECTORY_TOLERANCE and HISTORY_TOLERANCE
// (scripts/replay-tolerance.ts). Protocols peers replay get the cheap checks here (losses, and that the chain moves).
import type { MoonsData } from "../data/moons";
import { mlpParamCount } from "../nn/mlp";
import { checkpointSteps, historySteps, trajectorySegments } from "../protocols/evidence";
import type { MoonsProtocol, OptimizerSpec } from "../protocols/types";
import { REPLAY_TOLERANCE, withinTolerance, type Tolerance } from "./compare";
import { optimizerStateSize, replaySegment, trainableIndices, trainingLoss, trajectoryNetwork, type TrainingState, type TrajectoryProtocol } from "./replay";
import { reject, type Verdict } from "./verdict";

/** How a protocol's checkpoints are laid out on the wire: per checkpoint, every weight then the optimiser state. */
export interface CheckpointLayout {
  readonly weights: number;
  readonly optimizerState: number;
  /** float32 values per checkpoint. */
  readonly size: number;
  /** The step each checkpoint is taken before (see checkpointSteps). */
  readonly steps: readonly number[];
}

export function checkpointLayout(protocol: TrajectoryProtocol, steps = protocol.training.steps): CheckpointLayout | null {
  const every = protocol.evidence.checkpointEvery;
  if (every === undefined) return null;
  const weights = mlpParamCount(trajectoryNetwork(protocol));
  const optimizerState = optimizerStateSize(protocol.training.optimizer, trainableIndices(protocol).length);
  return { weights, optimizerState, size: weights + optimizerState, steps: checkpointSteps(steps, every) };
}

/** Checkpoint k as a training state (a view into the uploaded values, no copy). */
export function checkpointState(layout: CheckpointLayout, checkpoints: Float32Array, k: number): TrainingState & { readonly weights: Float32Array; readonly optimizerState: Float32Array } {
  const base = k * layout.size;
  return {
    step: layout.steps[k]!,
    weights: checkpoints.subarray(base, base + layout.weights),
    optimizerState: checkpoints.subarray(base + layout.weights, base + layout.size),
  };
}

/**
 * How far a replayed segment's end may be from the client's checkpoint, as a fraction of how far the segment
 * moved the weights (see segmentDeviation). Measured with `npm run replay-tolerance` (README, "Trust
 * measurements"): honest float32 segments stay below 3e-4 on wasm, cpu, WebGL and WebGPU (SwiftShader) for
 * Fig. 1, below 3e-3 for SD, dropout and Adam, and reach 1.4e-2 with BatchNorm (float32 batch statistics of
 * nearly constant units), the largest seen; a forged checkpoint — another seed's, another recipe's — is off
 * by 0.25 to 20.
 */
export const TRAJECTORY_TOLERANCE = 0.05;

/** ‖a − b‖ / ‖b − origin‖ over the given positions (all of b's when null; origin null: relative to ‖b‖). */
export function relativeDistance(a: ArrayLike<number>, b: ArrayLike<number>, origin: ArrayLike<number> | null, positions: Int32Array | null): number {
  const length = positions ? positions.length : b.length;
  let difference = 0;
  let scale = 0;
  for (let k = 0; k < length; k++) {
    const i = positions ? positions[k]! : k;
    difference += (a[i]! - b[i]!) ** 2;
    scale += (b[i]! - (origin ? origin[i]! : 0)) ** 2;
  }
  if (difference === 0) return 0;
  return scale === 0 ? Number.POSITIVE_INFINITY : Math.sqrt(difference / scale);
}

export interface SegmentDeviation {
  /** Trainable weights: ‖replayed − claimed‖ / ‖claimed − start‖. */
  readonly weights: number;
  /**
   * Optimiser state, in the same unit: how far the difference between the replayed and the claimed state would
   * move the weights from here on (SGD: lr·Δv/(1 − momentum); Adam: the difference in its next update, over
   * 1 − β1), over ‖claimed − start‖. Null where the segment ends at the final weights (no state submitted).
   */
  readonly optimizerState: number | null;
}

/** The weight displacement a state difference would cause from step `step` on (see SegmentDeviation.optimizerState). */
function stateDisplacement(spec: OptimizerSpec, replayed: ArrayLike<number>, claimed: ArrayLike<number>, step: number): number {
  let sum = 0;
  if (spec.kind === "sgd") {
    for (let k = 0; k < claimed.length; k++) sum += (replayed[k]! - claimed[k]!) ** 2;
    return (spec.lr * Math.sqrt(sum)) / (1 - spec.momentum);
  }
  const n = claimed.length / 2;
  const correction1 = 1 - spec.beta1 ** step;
  const correction2 = 1 - spec.beta2 ** step;
  const update = (state: ArrayLike<number>, k: number): number => state[k]! / correction1 / (Math.sqrt(state[n + k]! / correction2) + spec.eps);
  for (let k = 0; k < n; k++) sum += (update(replayed, k) - update(claimed, k)) ** 2;
  return (spec.lr * Math.sqrt(sum)) / (1 - spec.beta1);
}

export interface SegmentEnd {
  readonly weights: ArrayLike<number>;
  readonly optimizerState: ArrayLike<number> | null;
}

/** Replays segment [start.step, to) from `start` and measures how far its end is from `end`. */
export function segmentDeviation(protocol: MoonsProtocol, data: MoonsData, seed: number, start: TrainingState, end: SegmentEnd, to: number): SegmentDeviation {
  return endDeviation(protocol, start, replaySegment(protocol, data, seed, start, to - start.step), end, to);
}

/** How far a replayed segment end (float64 here, or another backend's) is from the claimed one, the segment having started at `start` and ended before step `to`. */
export function endDeviation(protocol: TrajectoryProtocol, start: TrainingState, replayed: { readonly weights: ArrayLike<number>; readonly optimizerState: ArrayLike<number> }, end: SegmentEnd, to: number): SegmentDeviation {
  const trainable = trainableIndices(protocol);
  let movement = 0;
  for (const i of trainable) movement += (end.weights[i]! - start.weights[i]!) ** 2;
  movement = Math.sqrt(movement);
  const stateShift = end.optimizerState ? stateDisplacement(protocol.training.optimizer, replayed.optimizerState, end.optimizerState, to) : null;
  return {
    weights: relativeDistance(replayed.weights, end.weights, start.weights, trainable),
    optimizerState: stateShift === null ? null : stateShift === 0 ? 0 : movement === 0 ? Number.POSITIVE_INFINITY : stateShift / movement,
  };
}

/** What the trajectory check established about an accepted run. */
export interface TrajectoryReport {
  /** Indices of the segments replayed (see trajectorySegments), and how many the run has. */
  readonly segments: readonly number[];
  readonly segmentCount: number;
  /** The largest deviation seen, in units of TRAJECTORY_TOLERANCE's measure. */
  readonly deviation: number;
}

/** Where segment k of a run starts (the initial weights, or checkpoint k − 1) and ends (checkpoint k, or the final weights, with no optimiser state). */
export function segmentEnds(
  protocol: TrajectoryProtocol,
  run: { readonly initialWeights: Float32Array; readonly checkpoints: Float32Array; readonly finalWeights: Float32Array },
  k: number,
): { readonly from: number; readonly to: number; readonly start: TrainingState; readonly end: SegmentEnd } {
  const layout = checkpointLayout(protocol);
  if (!layout) throw new Error(`${protocol.id} takes no trajectory checkpoints`);
  const all = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery!);
  if (!Number.isInteger(k) || k < 0 || k >= all.length) throw new RangeError(`${protocol.id} has segments 0 to ${all.length - 1}; there is no segment ${k}`);
  const [from, to] = all[k]!;
  const start: TrainingState = k === 0 ? { step: 0, weights: run.initialWeights, optimizerState: null } : checkpointState(layout, run.checkpoints, k - 1);
  const end: SegmentEnd = k === all.length - 1 ? { weights: run.finalWeights, optimizerState: null } : checkpointState(layout, run.checkpoints, k);
  return { from, to, start, end };
}

export interface TrajectoryEvidence {
  readonly protocol: MoonsProtocol;
  readonly seed: number;
  readonly data: MoonsData;
  readonly initialWeights: Float32Array;
  readonly finalWeights: Float32Array;
  readonly lossHistory: readonly number[];
  /** The uploaded checkpoints, concatenated (checkpointLayout); null when none were sent. */
  readonly checkpoints: Float32Array | null;
}

/**
 * How far the float64 replay's loss, inside a segment, may be from the client's float32 loss history at the
 * same step: REPLAY_TOLERANCE, as for the first steps. Each segment starts from the client's own float32
 * checkpoint, so the two runs drift apart only within a segment; `npx tsx scripts/chain-tolerance.ts` measured
 * the honest gap on tfjs wasm at most 3.8e-8 absolute and 1.1e-6 relative mid-segment (fig1, README "Trust
 * measurements"), two orders of magnitude inside it.
 */
export const HISTORY_TOLERANCE: Tolerance = REPLAY_TOLERANCE;

/** Every segment index of a protocol's trajectory, in order (what the Worker replays for a server-replayed protocol). */
export function allSegments(protocol: TrajectoryProtocol): number[] {
  const every = protocol.evidence.checkpointEvery;
  return every === undefined ? [] : trajectorySegments(protocol.training.steps, every).map((_, k) => k);
}

/**
 * Checks a run's checkpoints: their number and finiteness, each one's training loss against the loss history
 * (a cheap forward pass each), then a float64 replay of the given segments IN ORDER, stopping at the first that
 * does not connect; inside each replayed segment the replay's loss at every loss-history step must be the
 * history's (HISTORY_TOLERANCE), so a history invented between checkpoints is refused. `segments`: allSegments
 * for the protocols the server replays; [] for those peers replay (then checkChainMoves applies instead).
 */
export function checkTrajectory(evidence: TrajectoryEvidence, segments: readonly number[]): Verdict | TrajectoryReport {
  const { protocol, seed, data, checkpoints } = evidence;
  const layout = checkpointLayout(protocol);
  if (!layout) {
    return checkpoints && checkpoints.length > 0 ? reject("evidence_shape", `${protocol.id} takes no trajectory checkpoints; the submission has ${checkpoints.length} values.`) : { segments: [], segmentCount: 0, deviation: 0 };
  }
  const shapeProblem = checkpointShape(layout, checkpoints);
  if (shapeProblem || !checkpoints) return shapeProblem ?? reject("evidence_shape", "No trajectory checkpoints.");

  const lossProblem = checkCheckpointLosses(evidence, layout, checkpoints);
  if (lossProblem) return lossProblem;

  const all = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery!);
  const stepsOfHistory = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  const ordered = [...new Set(segments)].sort((a, b) => a - b);
  let deviation = 0;
  for (const index of ordered) {
    const { from, to, start, end } = segmentEnds(protocol, { ...evidence, checkpoints }, index);
    const replayed = replaySegment(protocol, data, seed, start, to - from);
    const historyProblem = checkSegmentHistory(evidence.lossHistory, stepsOfHistory, from, to, replayed.losses);
    if (historyProblem) return historyProblem;
    const measured = endDeviation(protocol, start, replayed, end, to);
    const worst = Math.max(measured.weights, measured.optimizerState ?? 0);
    if (!(worst <= TRAJECTORY_TOLERANCE)) {
      return reject(
        "trajectory_mismatch",
        `Replaying steps ${from}–${to} from ${index === 0 ? "the seed's initial weights" : `the checkpoint at step ${from}`} does not reach the ${index === all.length - 1 ? "submitted final weights" : `checkpoint at step ${to}`}: off by ${measured.weights.toPrecision(3)} of the segment's movement in the weights${measured.optimizerState === null ? "" : ` and ${measured.optimizerState.toPrecision(3)} in the optimiser state`} (tolerance ${TRAJECTORY_TOLERANCE}). The checkpoints are not one training run of this workunit.`,
      );
    }
    deviation = Math.max(deviation, worst);
  }
  return { segments: ordered, segmentCount: all.length, deviation };
}

/** The history's values at steps strictly inside [from, to) (the segment's start is a checkpoint, checked exactly) against the replay's losses. */
function checkSegmentHistory(lossHistory: readonly number[], stepsOfHistory: readonly number[], from: number, to: number, losses: Float64Array): Verdict | null {
  for (let at = 0; at < stepsOfHistory.length; at++) {
    const step = stepsOfHistory[at]!;
    if (step <= from || step >= to) continue;
    const replayed = losses[step - from]!;
    if (!withinTolerance(lossHistory[at]!, replayed, HISTORY_TOLERANCE)) {
      return reject(
        "trajectory_mismatch",
        `Replaying steps ${from}–${to} gives training loss ${replayed.toPrecision(8)} at step ${step}, but the loss history says ${lossHistory[at]!.toPrecision(8)}: the history between the checkpoints is not this run's.`,
      );
    }
  }
  return null;
}

/**
 * The Worker's cheap check of a chain it does not replay (peers do): an honest run moves between checkpoints,
 * and its optimiser state is never zero (the softplus loss has no stationary point at finite weights, so SGD's
 * velocity and Adam's moments are nonzero) and changes from one checkpoint to the next. Refuses a chain with
 * two identical checkpoints (a copy, or the initial weights repeated), a checkpoint equal to the initial or the
 * final weights, or an optimiser state that is all zeros or identical to the previous checkpoint's. One pass
 * over the checkpoints; no replay.
 */
export function checkChainMoves(protocol: TrajectoryProtocol, initialWeights: Float32Array, finalWeights: Float32Array, checkpoints: Float32Array): Verdict | null {
  const layout = checkpointLayout(protocol);
  if (!layout) return null;
  const trainable = trainableIndices(protocol);
  const same = (a: Float32Array, b: Float32Array): boolean => {
    for (const i of trainable) if (a[i] !== b[i]) return false;
    return true;
  };
  const seen = new Map<string, number>();
  let previous: { weights: Float32Array; optimizerState: Float32Array } | null = null;
  for (let k = 0; k < layout.steps.length; k++) {
    const state = checkpointState(layout, checkpoints, k);
    const step = layout.steps[k]!;
    if (same(state.weights, initialWeights)) return reject("trajectory_mismatch", `The checkpoint at step ${step} holds the seed's initial weights: the run did not train.`);
    if (same(state.weights, finalWeights)) return reject("trajectory_mismatch", `The checkpoint at step ${step} holds the submitted final weights: the run did not train after it.`);
    const fingerprint = weightsFingerprint(state.weights, trainable);
    const earlier = seen.get(fingerprint);
    if (earlier !== undefined && same(state.weights, checkpointState(layout, checkpoints, earlier).weights)) {
      return reject("trajectory_mismatch", `The checkpoints at steps ${layout.steps[earlier]} and ${step} hold the same weights: an honest run moves between checkpoints.`);
    }
    seen.set(fingerprint, k);
    if (state.optimizerState.every((v) => v === 0)) return reject("trajectory_mismatch", `The optimiser state at step ${step} is all zeros: a run that trained has a nonzero momentum.`);
    if (previous && state.optimizerState.every((v, i) => v === previous!.optimizerState[i])) {
      return reject("trajectory_mismatch", `The optimiser state at step ${step} is the one at step ${layout.steps[k - 1]}: an honest run's momentum moves.`);
    }
    previous = state;
  }
  return null;
}

/** A cheap key for exact-duplicate detection (FNV-1a over the float32 bits of the trainable values). */
function weightsFingerprint(weights: Float32Array, trainable: Int32Array): string {
  const bits = new Uint32Array(weights.buffer, weights.byteOffset, weights.length);
  let hash = 0x811c9dc5;
  for (const i of trainable) hash = Math.imul(hash ^ bits[i]!, 0x01000193) >>> 0;
  return hash.toString(16);
}

/** The checks every trajectory gets on the server: the number of checkpoints and their sizes, and finite values. */
export function checkpointShape(layout: CheckpointLayout, checkpoints: Float32Array | null): Verdict | null {
  const expected = layout.steps.length * layout.size;
  if (!checkpoints || checkpoints.length !== expected) {
    return reject(
      "evidence_shape",
      `Expected ${layout.steps.length} trajectory checkpoints (steps ${layout.steps[0]}, ${layout.steps[1] ?? ""}, …) of ${layout.size} float32 values (${expected * 4} bytes in the 'checkpoints' part); got ${(checkpoints?.length ?? 0) * 4} bytes. Reload the page (or update the CLI) to get a client that records them.`,
    );
  }
  const bad = checkpoints.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) return reject("weights_not_finite", `Checkpoint value ${bad} (checkpoint ${Math.floor(bad / layout.size) + 1}) is ${checkpoints[bad]}; every value must be finite.`);
  return null;
}

/** Each checkpoint's training loss (the step's dropout mask, BatchNorm on batch statistics) must be the history's value at that step. */
function checkCheckpointLosses(evidence: TrajectoryEvidence, layout: CheckpointLayout, checkpoints: Float32Array): Verdict | null {
  const { protocol, seed, data, lossHistory } = evidence;
  const stepsOfHistory = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  for (let k = 0; k < layout.steps.length; k++) {
    const step = layout.steps[k]!;
    const at = stepsOfHistory.indexOf(step);
    if (at < 0) continue; // registry tests keep checkpointEvery a multiple of historyEvery
    const loss = trainingLoss(protocol, data, seed, checkpointState(layout, checkpoints, k).weights, step);
    if (!withinTolerance(lossHistory[at]!, loss, REPLAY_TOLERANCE)) {
      return reject(
        "trajectory_mismatch",
        `The checkpoint at step ${step} has training loss ${loss.toPrecision(8)}, but the loss history says ${lossHistory[at]!.toPrecision(8)} at that step: the checkpoints and the history are not the same run.`,
      );
    }
  }
  return null;
}

/**
 * `count` distinct segment indices out of `total`, drawn from `randomBytes` (4 bytes per draw, crypto-random):
 * which segments a client's local self-check replays (replaySegments).
 */
export function chooseSegments(count: number, total: number, randomBytes: Uint8Array): number[] {
  const n = Math.min(count, total);
  if (randomBytes.length < 4 * n) throw new RangeError(`choosing ${n} segments needs ${4 * n} random bytes, got ${randomBytes.length}`);
  const pool = Array.from({ length: total }, (_, k) => k);
  const view = new DataView(randomBytes.buffer, randomBytes.byteOffset, randomBytes.byteLength);
  // A partial Fisher–Yates shuffle; the modulo bias of a 32-bit draw over at most a few hundred segments is below 1e-7.
  for (let k = 0; k < n; k++) {
    const pick = k + (view.getUint32(4 * k) % (total - k));
    [pool[k], pool[pick]] = [pool[pick]!, pool[k]!];
  }
  return pool.slice(0, n).sort((a, b) => a - b);
}

/**
 * Always the last segment (it ends at the submitted weights) and `count − 1` of the others drawn from
 * `randomBytes` (see chooseSegments): a client's local self-check before it submits (the server replays all).
 */
export function replaySegments(count: number, total: number, randomBytes: Uint8Array): number[] {
  if (total === 0 || count <= 0) return [];
  return [...chooseSegments(count - 1, total - 1, randomBytes), total - 1];
}
