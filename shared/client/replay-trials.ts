// How closely an honest run's trajectory checkpoints survive a replay — the measurement behind
// TRAJECTORY_TOLERANCE. Trains a two-moons run on the current tfjs backend, replays its segments in float64
// (the Worker's check) and on other tfjs backends (what a replay on another contributor's machine computes),
// and reports each deviation. Used by `npm run replay-tolerance` (Node: wasm, cpu) and by the /bench page's
// replay-tolerance job (the browser's wasm, cpu, WebGL, WebGPU). peerDeviations measures the float32↔float32
// side behind PEER_TOLERANCE (`npm run replay-tolerance -- --peers`), honest and forged answers alike.
import type { MoonsData } from "../data/moons";
import { replaySegment } from "../metrics/replay";
import { checkpointLayout, endDeviation, segmentDeviation, segmentEnds, TRAJECTORY_TOLERANCE } from "../metrics/trajectory";
import { trainMoons, trainSegment, type BatchTrainRequest, type TrainResult } from "../nn/train";
import { trajectorySegments } from "../protocols/evidence";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import type { MoonsProtocol } from "../protocols/types";

/** One segment of one honest run, replayed once. */
export interface SegmentMeasurement {
  readonly protocolId: string;
  readonly seed: number;
  /** The backend that trained the run (and took its checkpoints). */
  readonly trainedOn: string;
  /** "float64" (the server's replay) or the tfjs backend that replayed the segment. */
  readonly replayedOn: string;
  readonly segment: number;
  readonly from: number;
  readonly to: number;
  /** Trainable weights: ‖replayed − checkpoint‖ / ‖checkpoint − start‖. */
  readonly weights: number;
  /** Optimiser state, as the weight displacement its difference would cause, over the segment's movement (null for the last segment). */
  readonly optimizerState: number | null;
}

export interface HonestRun {
  readonly protocol: MoonsProtocol;
  readonly seed: number;
  readonly data: MoonsData;
  readonly initialWeights: Float32Array;
  readonly result: TrainResult;
}

/** Cancellation and progress for the training a trial does (the browser's worker reports both to its page). */
export type TrialOptions = Pick<BatchTrainRequest, "signal" | "onProgress">;

/** Trains (protocol, seed) on the current backend, recording its checkpoints. */
export async function trainHonestRun(protocol: MoonsProtocol, seed: number, options: TrialOptions = {}): Promise<HonestRun> {
  if (protocol.evidence.checkpointEvery === undefined) throw new Error(`${protocol.id} takes no trajectory checkpoints`);
  const data = twoMoonsFamily.dataset(protocol, seed);
  const initialWeights = twoMoonsFamily.initialWeights(protocol, seed);
  const result = await trainMoons({ protocol, seed, data, initialWeights, progressIntervalMs: 2000, ...options });
  return { protocol, seed, data, initialWeights, result };
}

/** An honest run trained elsewhere (another worker, another backend) from its result: the data and initial weights follow from the seed. */
export const honestRunOf = (protocol: MoonsProtocol, seed: number, result: TrainResult): HonestRun => ({
  protocol,
  seed,
  data: twoMoonsFamily.dataset(protocol, seed),
  initialWeights: twoMoonsFamily.initialWeights(protocol, seed),
  result,
});

/** Where segment k starts and ends in an honest run: the initial weights, its checkpoints, its final weights. */
const segmentEndsOf = (run: HonestRun, k: number) =>
  segmentEnds(run.protocol, { initialWeights: run.initialWeights, checkpoints: run.result.checkpoints!, finalWeights: run.result.weights }, k);

export const segmentCount = (protocol: MoonsProtocol): number => trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery!).length;

/** The server's float64 replay of each of `segments` (default: all) of an honest run. */
export function float64Deviations(run: HonestRun, segments: readonly number[] = range(segmentCount(run.protocol))): SegmentMeasurement[] {
  return segments.map((k) => {
    const { from, to, start, end } = segmentEndsOf(run, k);
    const deviation = segmentDeviation(run.protocol, run.data, run.seed, start, end, to);
    return { protocolId: run.protocol.id, seed: run.seed, trainedOn: run.result.backend, replayedOn: "float64", segment: k, from, to, ...deviation };
  });
}

/** Segment k of an honest run replayed in float32 on the current tfjs backend, from the run's own start of it. */
async function replayOnCurrentBackend(run: HonestRun, k: number, options: TrialOptions) {
  const ends = segmentEndsOf(run, k);
  const { from, to, start } = ends;
  const replayed = await trainSegment({
    lane: { protocol: run.protocol, seed: run.seed, data: run.data },
    start,
    to,
    stateSize: checkpointLayout(run.protocol)!.optimizerState,
    progressIntervalMs: 5000,
    ...options,
  });
  return { ...ends, replayed };
}

/** The run's own end of a replayed segment against the current backend's replay of it (replayedOn: the current backend). */
function againstTheRun(run: HonestRun, k: number, replay: Awaited<ReturnType<typeof replayOnCurrentBackend>>): SegmentMeasurement {
  const { from, to, start, end, replayed } = replay;
  return { protocolId: run.protocol.id, seed: run.seed, trainedOn: run.result.backend, replayedOn: replayed.backend, segment: k, from, to, ...endDeviation(run.protocol, start, replayed, end, to) };
}

/** The same segments replayed in float32 on the current tfjs backend (a replay workunit's computation). */
export async function tfjsDeviations(run: HonestRun, segments: readonly number[]): Promise<SegmentMeasurement[]> {
  const measurements: SegmentMeasurement[] = [];
  for (const k of segments) measurements.push(againstTheRun(run, k, await replayOnCurrentBackend(run, k, {})));
  return measurements;
}

/**
 * Each of `segments` replayed on the current tfjs backend B from the run's start of it, measured twice: B's end
 * against the run's (as tfjsDeviations: trainedOn the run's backend, replayedOn B), and the server's float64
 * replay of the same segment against B's end — the check B would face had it trained that segment itself
 * (trainedOn B, replayedOn "float64"; no optimiser state on the last segment, as in a submission).
 * This is how the browser measures backends too slow for a whole run (WebGL, WebGPU on SwiftShader).
 */
export async function backendSegmentDeviations(run: HonestRun, segments: readonly number[], options: TrialOptions = {}): Promise<SegmentMeasurement[]> {
  const last = segmentCount(run.protocol) - 1;
  const measurements: SegmentMeasurement[] = [];
  for (const k of segments) {
    const replay = await replayOnCurrentBackend(run, k, options);
    const { from, to, start, replayed } = replay;
    const exact = replaySegment(run.protocol, run.data, run.seed, start, to - from);
    const ownEnd = { weights: replayed.weights, optimizerState: k === last ? null : replayed.optimizerState };
    measurements.push(againstTheRun(run, k, replay), {
      protocolId: run.protocol.id,
      seed: run.seed,
      trainedOn: replayed.backend,
      replayedOn: "float64",
      segment: k,
      from,
      to,
      ...endDeviation(run.protocol, start, exact, ownEnd, to),
    });
  }
  return measurements;
}

/**
 * A copy of `protocol` (same data, network and recipe) trained for `steps` steps with a checkpoint every
 * `checkpointEvery` (default: the protocol's own): the first segments of its runs (a prefix), or a small proxy
 * for a protocol too costly to train here. Training does not depend on the step count beyond where it stops.
 */
export function shortenedProtocol(protocol: MoonsProtocol, steps: number, checkpointEvery = protocol.evidence.checkpointEvery): MoonsProtocol {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  if (checkpointEvery === undefined || !Number.isInteger(checkpointEvery) || checkpointEvery < 1) throw new RangeError(`${protocol.id} needs a positive checkpoint interval`);
  return { ...protocol, training: { ...protocol.training, steps }, evidence: { ...protocol.evidence, checkpointEvery } };
}

/**
 * What a peer sends back for a replay workunit: "honest" (the segment trained on the current backend),
 * "unchanged" (the segment's start returned as its end: a replayer that did not train), or "lr×1.5" (the
 * segment trained on the current backend with a learning rate 50 % too large).
 */
export type PeerAnswer = "honest" | "unchanged" | "lr×1.5";

export interface PeerTrialOptions extends TrialOptions {
  /** Default "honest". */
  readonly answer?: PeerAnswer;
  /**
   * The run is the first steps of a longer run (shortenedProtocol): its last segment ends at a checkpoint of
   * that run, so the optimiser state is compared there too, as for any segment but a run's last.
   */
  readonly prefix?: boolean;
}

/** The replayedOn label of a peer's answer on `backend` ("cpu"; "forged: start unchanged", which trains nowhere; "forged: lr×1.5 on cpu"). */
export const peerAnswerLabel = (answer: PeerAnswer, backend: string): string =>
  answer === "honest" ? backend : answer === "unchanged" ? "forged: start unchanged" : `forged: ${answer} on ${backend}`;

/**
 * What PEER_TOLERANCE has to absorb: each of `segments` answered by a peer on the current tfjs backend (see
 * PeerAnswer) from the run's own start of it, measured against the run's own end as the server measures a
 * replay workunit (endDeviation; max(weights, optimizerState) is peerDeviation). replayedOn: peerAnswerLabel.
 */
export async function peerDeviations(run: HonestRun, segments: readonly number[], options: PeerTrialOptions = {}): Promise<SegmentMeasurement[]> {
  const { answer = "honest", prefix = false, ...trial } = options;
  const last = segmentCount(run.protocol) - 1;
  const stateSize = checkpointLayout(run.protocol)!.optimizerState;
  const measurements: SegmentMeasurement[] = [];
  for (const k of segments) {
    const { from, to, start, end: runEnd } = segmentEndsOf(run, k);
    const end = prefix && k === last ? { weights: run.result.weights, optimizerState: run.result.optimizerState } : runEnd;
    let peer: { weights: ArrayLike<number>; optimizerState: ArrayLike<number> };
    let backend = "";
    if (answer === "unchanged") {
      peer = { weights: start.weights, optimizerState: start.optimizerState ?? new Float32Array(stateSize) };
    } else {
      const optimizer = run.protocol.training.optimizer;
      const protocol: MoonsProtocol = answer === "honest" ? run.protocol : { ...run.protocol, training: { ...run.protocol.training, optimizer: { ...optimizer, lr: 1.5 * optimizer.lr } } };
      const replayed = await trainSegment({ lane: { protocol, seed: run.seed, data: run.data }, start, to, stateSize, progressIntervalMs: 5000, ...trial });
      peer = replayed;
      backend = replayed.backend;
    }
    measurements.push({
      protocolId: run.protocol.id,
      seed: run.seed,
      trainedOn: run.result.backend,
      replayedOn: peerAnswerLabel(answer, backend),
      segment: k,
      from,
      to,
      ...endDeviation(run.protocol, start, peer, end, to),
    });
  }
  return measurements;
}

/** Summary of a set of measurements: count, largest and 99th-percentile deviation, and how many exceed the tolerance. */
export function summarise(measurements: readonly SegmentMeasurement[], tolerance = TRAJECTORY_TOLERANCE) {
  const worst = measurements.map((m) => Math.max(m.weights, m.optimizerState ?? 0)).sort((a, b) => a - b);
  const quantile = (q: number): number => worst[Math.min(worst.length - 1, Math.floor(q * worst.length))] ?? Number.NaN;
  return { count: worst.length, median: quantile(0.5), p99: quantile(0.99), max: worst.at(-1) ?? Number.NaN, rejected: worst.filter((w) => !(w <= tolerance)).length };
}

/** One backend pair's summary (see summarise). */
export type PairSummary = { readonly trainedOn: string; readonly replayedOn: string } & ReturnType<typeof summarise>;

/** The measurements grouped by (trainedOn, replayedOn) pair, in order of first appearance, each summarised. */
export function summarisePairs(measurements: readonly SegmentMeasurement[], tolerance = TRAJECTORY_TOLERANCE): PairSummary[] {
  const pairs = new Map<string, SegmentMeasurement[]>();
  for (const m of measurements) {
    const key = JSON.stringify([m.trainedOn, m.replayedOn]);
    pairs.set(key, [...(pairs.get(key) ?? []), m]);
  }
  return [...pairs.values()].map((list) => ({ trainedOn: list[0]!.trainedOn, replayedOn: list[0]!.replayedOn, ...summarise(list, tolerance) }));
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, k) => k);
