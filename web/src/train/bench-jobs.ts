// The worker's timing jobs: the benchmark (one seed, then the first losses against the server's float64
// replay), the batched comparison (seeds one at a time vs all together in one computation), the Lab's
// estimate of a whole run from a few timed steps on the chosen backend, and the two halves of the
// replay-tolerance measurement (honest runs trained on one backend, their segments replayed on another).
import { backendSegmentDeviations, honestRunOf, summarisePairs, trainHonestRun, type SegmentMeasurement } from "../../../shared/client/replay-trials";
import { REPLAY_TOLERANCE, withinTolerance } from "../../../shared/metrics/compare";
import { TRAJECTORY_TOLERANCE } from "../../../shared/metrics/trajectory";
import { trainBatch, trainMoons, type Lane, type TrainResult } from "../../../shared/nn/train";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import type { MoonsProtocol } from "../../../shared/protocols/types";
import { flopsPerStep } from "../recipe";
import { progressReporter, type JobContext } from "./job-context";
import type { BenchCompareResult, BenchResult, EstimateResult, HonestRunResult } from "./messages";

const laneOf = (protocol: MoonsProtocol, seed: number): Lane => ({
  protocol,
  seed,
  data: twoMoonsFamily.dataset(protocol, seed),
  initialWeights: twoMoonsFamily.initialWeights(protocol, seed),
});

export async function benchmark(context: JobContext, protocol: MoonsProtocol, seed: number, steps: number): Promise<void> {
  const lane = laneOf(protocol, seed);
  context.post({ type: "stage", stage: "training" });
  const result = await trainMoons({ ...lane, steps, signal: context.signal, onProgress: progressReporter(context, protocol, false) });
  context.post({ type: "stage", stage: "replaying" });
  const losses = [...result.firstLosses];
  const replay = Array.from(twoMoonsFamily.replayLosses(protocol, lane.data, seed, losses.length));
  const maxAbsDiff = losses.reduce((max, loss, k) => Math.max(max, Math.abs(loss - replay[k]!)), 0);
  const bench: BenchResult = {
    protocolId: protocol.id,
    seed,
    backend: result.backend,
    engine: result.engine,
    adapter: context.selection.adapter,
    steps: result.steps,
    elapsedMs: result.elapsedMs,
    stepsPerSecond: (result.steps * 1000) / Math.max(result.elapsedMs, 1),
    losses,
    replay,
    maxAbsDiff,
    replayMatches: losses.length > 0 && losses.every((loss, k) => withinTolerance(loss, replay[k]!, REPLAY_TOLERANCE)),
    allFinite: [...result.firstLosses, ...result.lossHistory].every(Number.isFinite) && result.weights.every(Number.isFinite),
    tolerance: { ...REPLAY_TOLERANCE },
  };
  context.post({ type: "bench-done", result: bench });
}

/** Seeds 0 .. seeds-1 trained one at a time (one trainMoons each), then together (one trainBatch). */
export async function compareBatched(context: JobContext, protocol: MoonsProtocol, seeds: number, steps: number): Promise<void> {
  const lanes = Array.from({ length: seeds }, (_, seed) => laneOf(protocol, seed));
  const onProgress = progressReporter(context, protocol, false);
  context.post({ type: "stage", stage: "training" });

  const sequentialStart = performance.now();
  const oneAtATime: TrainResult[] = [];
  for (const [run, lane] of lanes.entries()) {
    context.post({ type: "bench-phase", phase: "sequential", run, runs: seeds });
    oneAtATime.push(await trainMoons({ ...lane, steps, signal: context.signal, onProgress }));
  }
  const sequentialMs = performance.now() - sequentialStart;

  context.post({ type: "bench-phase", phase: "batched", run: 0, runs: seeds });
  const batchedStart = performance.now();
  const together = await trainBatch({ lanes, steps, signal: context.signal, onProgress });
  const batchedMs = performance.now() - batchedStart;

  const runSteps = seeds * steps;
  const sequentialRunStepsPerSecond = (runSteps * 1000) / sequentialMs;
  const batchedRunStepsPerSecond = (runSteps * 1000) / batchedMs;
  const result: BenchCompareResult = {
    protocolId: protocol.id,
    backend: together[0]!.backend,
    adapter: context.selection.adapter,
    seeds,
    steps,
    sequentialMs,
    batchedMs,
    sequentialRunStepsPerSecond,
    batchedRunStepsPerSecond,
    ratio: batchedRunStepsPerSecond / sequentialRunStepsPerSecond,
    maxFinalLossDiff: Math.max(...together.map((run, k) => Math.abs(run.lossHistory.at(-1)! - oneAtATime[k]!.lossHistory.at(-1)!))),
  };
  context.post({ type: "bench-compare-done", result });
}

/** Steps run before timing (kernel set-up, first allocations). */
const WARMUP_STEPS = 2;
/** Expensive networks (≥ 0.1 GFLOP per step) are timed over 20 steps, cheap ones over 200. */
export const timedStepsFor = (protocol: MoonsProtocol): number => (flopsPerStep(protocol) >= 1e8 ? 20 : 200);

/** Times a few steps of seed 0 on this backend: the Lab multiplies it by the protocol's step count. */
export async function estimate(context: JobContext, protocol: MoonsProtocol): Promise<void> {
  const lane = laneOf(protocol, 0);
  context.post({ type: "stage", stage: "training" });
  await trainMoons({ ...lane, steps: WARMUP_STEPS, signal: context.signal, progressIntervalMs: Infinity });
  const timedSteps = timedStepsFor(protocol);
  const result = await trainMoons({
    ...lane,
    steps: timedSteps,
    signal: context.signal,
    progressIntervalMs: 500,
    onProgress: progressReporter(context, protocol, false),
  });
  const timing: EstimateResult = { protocolId: protocol.id, backend: result.backend, timedSteps, msPerStep: result.elapsedMs / timedSteps };
  context.post({ type: "estimate-done", result: timing });
}

/** Replay tolerance, part 1: each seed's full run on this backend, checkpoints and all, for other workers to replay. */
export async function trainReplayRuns(context: JobContext, protocol: MoonsProtocol, seeds: readonly number[]): Promise<void> {
  context.post({ type: "stage", stage: "training" });
  const runs: HonestRunResult[] = [];
  for (const seed of seeds) {
    context.post({ type: "bench-replay-phase", seed, segment: null });
    const { result } = await trainHonestRun(protocol, seed, { signal: context.signal, onProgress: progressReporter(context, protocol, false) });
    runs.push({ seed, result });
  }
  context.post({ type: "bench-replay-trained", runs });
}

/** Replay tolerance, part 2: the chosen segments of those runs replayed on this backend, each measured twice (backendSegmentDeviations). */
export async function replayRunSegments(context: JobContext, protocol: MoonsProtocol, runs: readonly HonestRunResult[], segments: readonly number[]): Promise<void> {
  context.post({ type: "stage", stage: "replaying" });
  const started = performance.now();
  const onProgress = progressReporter(context, protocol, false);
  const measurements: SegmentMeasurement[] = [];
  for (const { seed, result } of runs) {
    const run = honestRunOf(protocol, seed, result);
    for (const segment of segments) {
      context.post({ type: "bench-replay-phase", seed, segment });
      measurements.push(...(await backendSegmentDeviations(run, [segment], { signal: context.signal, onProgress })));
    }
  }
  const elapsedMs = performance.now() - started;
  const { backend, adapter } = context.selection;
  context.post({ type: "bench-replay-done", result: { backend, adapter, measurements, pairs: summarisePairs(measurements), tolerance: TRAJECTORY_TOLERANCE, elapsedMs } });
}
