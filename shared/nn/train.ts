// The one training loop of GS Lab: full-batch training of two-moons networks on whatever tfjs backend the
// caller registered (webgpu, webgl, wasm or cpu), for one run or for several runs batched into one
// computation ("lanes": seeds and/or protocols with the same architecture), with progress reports, loss
// evidence per run and cancellation.
// tfjs-core only: the environment registers the backends and the gradients the trainer differentiates
// through (web/src/train/tfjs-backends.ts in the browser, scripts/lib/node-backend.ts in Node).
import * as tf from "@tensorflow/tfjs-core";
import type { MoonsData } from "../data/moons";
import type { MoonsProtocol } from "../protocols/types";
import { fusedEngine } from "./fused-engine";
import { chooseEngine, concatenate, type EngineChoice, type EngineKind, type PendingStep, type StepEngine } from "./step-engine";
import { runStepLoop } from "./step-loop";
import { tfjsEngine } from "./tfjs-engine";
import { tfjsWebGpuDevice, webgpuEngine } from "./webgpu-engine";

export { TrainingCancelled } from "./step-loop";

export interface TrainProgress {
  readonly step: number;
  readonly steps: number;
  /** Loss of the first lane at the most recent step read back. */
  readonly loss: number;
  readonly elapsedMs: number;
  readonly stepsPerSecond: number;
  readonly etaSeconds: number;
  /** Reads a lane's current weights (flat, mlpParams order); costs a device read-back, so call it sparingly. */
  readonly readWeights: (lane?: number) => Promise<Float32Array>;
}

/** One run to train: its protocol, seed, data and initial weights. */
export interface Lane {
  readonly protocol: MoonsProtocol;
  readonly seed: number;
  readonly data: MoonsData;
  /** The weights training starts from: the seed's initial weights, or a checkpoint's (see `start`). */
  readonly initialWeights: Float32Array;
  /**
   * Continue a run from a trajectory checkpoint instead of starting it (a segment replay): the step it was
   * taken before and its optimiser state (shared/metrics/trajectory.ts layout). Every lane must start at the same step.
   */
  readonly start?: { readonly step: number; readonly optimizerState: Float32Array };
}

export interface BatchTrainRequest {
  readonly lanes: readonly Lane[];
  /** Defaults to the protocols' step count (benchmarks and smoke runs use fewer). */
  readonly steps?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainProgress) => void | Promise<void>;
  /** Minimum wall time between progress reports (and yields to the event loop). */
  readonly progressIntervalMs?: number;
  /** "auto" (default): the fused kernel where it covers the network on a CPU backend, else tfjs ops; "tfjs" forces the reference. */
  readonly engine?: EngineChoice;
}

export interface TrainRequest extends Omit<BatchTrainRequest, "lanes"> {
  readonly protocol: MoonsProtocol;
  readonly data: MoonsData;
  readonly initialWeights: Float32Array;
  /** Seeds the dropout masks; required for protocols with dropout. */
  readonly seed?: number;
}

export interface TrainResult {
  readonly weights: Float32Array;
  /** Loss at steps 0 .. replaySteps-1, the evidence the server replays. */
  readonly firstLosses: number[];
  /** Loss at steps 0, historyEvery, 2·historyEvery, ..., then of the final weights in evaluation mode (see historySteps). */
  readonly lossHistory: number[];
  /** Network outputs on the training points every evidence.ntkEvery steps and at the end (protocols that record NTK features). */
  readonly outputs: { readonly steps: number[]; readonly values: Float32Array[] } | null;
  /**
   * Trajectory checkpoints (protocols with evidence.checkpointEvery): the weights and optimiser state before
   * each of checkpointSteps(steps, every), concatenated in the layout of shared/metrics/trajectory.ts; else null.
   */
  readonly checkpoints: Float32Array | null;
  /** The optimiser's state after the last step (compact layout, as in a checkpoint): where a replayed segment ends. */
  readonly optimizerState: Float32Array;
  readonly steps: number;
  readonly elapsedMs: number;
  readonly backend: string;
  /** What computed the steps: the fused wasm kernel, the fused WGSL kernel, or tfjs ops on `backend`. */
  readonly engine: EngineKind;
}

/** Trains one run (a batch of one lane). */
export async function trainMoons(request: TrainRequest): Promise<TrainResult> {
  const { protocol, data, initialWeights, seed = 0, ...rest } = request;
  return (await trainBatch({ ...rest, lanes: [{ protocol, seed, data, initialWeights }] }))[0]!;
}

/** Where a segment of a run starts: the step, every weight, and the optimiser state (checkpoint layout; null = a fresh optimiser). */
export interface SegmentStart {
  readonly step: number;
  readonly weights: ArrayLike<number>;
  readonly optimizerState: ArrayLike<number> | null;
}

/**
 * Continues a run from `start` up to step `to` (a segment replay: the server's check of a checkpoint chain, a
 * peer's replay workunit, the tolerance measurements). Resolves with the weights and optimiser state before step `to`.
 */
export async function trainSegment(
  request: Omit<BatchTrainRequest, "lanes" | "steps"> & { readonly lane: Omit<Lane, "initialWeights" | "start">; readonly start: SegmentStart; readonly to: number; readonly stateSize: number },
): Promise<TrainResult> {
  const { lane, start, to, stateSize, ...rest } = request;
  if (!(to > start.step)) throw new RangeError(`a segment must end after it starts (step ${start.step} → ${to})`);
  const optimizerState = start.optimizerState ? Float32Array.from(start.optimizerState) : new Float32Array(stateSize);
  if (optimizerState.length !== stateSize) throw new RangeError(`the optimiser state has ${optimizerState.length} values, this network's has ${stateSize}`);
  const [result] = await trainBatch({ ...rest, lanes: [{ ...lane, initialWeights: Float32Array.from(start.weights), start: { step: start.step, optimizerState } }], steps: to });
  return result!;
}

function assertCompatible(lanes: readonly Lane[]): void {
  if (lanes.length === 0) throw new RangeError("nothing to train: no lanes");
  const [first] = lanes;
  const key = (lane: Lane) =>
    JSON.stringify([lane.protocol.model, lane.protocol.training.optimizer.kind, lane.protocol.training.steps, lane.data.n, lane.initialWeights.length]);
  if (lanes.some((lane) => key(lane) !== key(first!))) {
    throw new RangeError("lanes trained together need the same network, optimiser kind, step count and data size");
  }
}

/** What each lane wants recorded at a step. */
function recorder(lane: Lane, steps: number) {
  const { replaySteps, historyEvery, ntkEvery, checkpointEvery } = lane.protocol.evidence;
  return {
    checkpoint: (stepsDone: number) => checkpointEvery !== undefined && stepsDone < steps && stepsDone % checkpointEvery === 0,
    recordsCheckpoints: checkpointEvery !== undefined,
    first: (step: number) => step < Math.min(replaySteps, steps),
    history: (step: number) => step % historyEvery === 0,
    outputs: (step: number) => ntkEvery !== undefined && step % ntkEvery === 0,
    recordsOutputs: ntkEvery !== undefined,
  };
}

function createEngine(kind: EngineKind, lanes: readonly Lane[]): StepEngine {
  if (kind === "fused") return fusedEngine(lanes);
  if (kind === "fused-webgpu") {
    const device = tfjsWebGpuDevice(tf.backend());
    if (!device) throw new Error("the webgpu backend is registered but exposes no GPUDevice");
    return webgpuEngine(lanes, device);
  }
  return tfjsEngine(lanes);
}

/** Trains every lane for the same number of steps; every tensor it creates is disposed before it returns. */
export async function trainBatch(request: BatchTrainRequest): Promise<TrainResult[]> {
  const { lanes, signal, onProgress } = request;
  assertCompatible(lanes);
  const steps = request.steps ?? lanes[0]!.protocol.training.steps;
  const progressIntervalMs = request.progressIntervalMs ?? 250;
  const S = lanes.length;
  const n = lanes[0]!.data.n;
  const records = lanes.map((lane) => recorder(lane, steps));
  const firstStep = lanes[0]!.start?.step ?? 0;
  if (lanes.some((lane) => (lane.start?.step ?? 0) !== firstStep)) throw new RangeError("lanes trained together must start at the same step");
  const engine = createEngine(chooseEngine(request.engine ?? "auto", lanes), lanes);

  const results = lanes.map(() => ({ firstLosses: [] as number[], lossHistory: [] as number[], outputSteps: [] as number[], outputs: [] as Float32Array[], checkpoints: [] as Float32Array[] }));
  /** Trajectory evidence before step `stepsDone`: each lane's weights, then its optimiser state. */
  const takeCheckpoints = async (stepsDone: number): Promise<void> => {
    const weights = await engine.readWeights();
    const states = await engine.readStates();
    lanes.forEach((_, lane) => {
      if (!records[lane]!.checkpoint(stepsDone)) return;
      results[lane]!.checkpoints.push(concatenate([weights[lane]!, states[lane]!]));
    });
  };
  // Steps whose values wait to be read back: reading every step would stall GPU backends, so they come in batches.
  let pending: PendingStep[] = [];
  let lastLoss = Number.NaN;
  const drain = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const values = await engine.read(batch);
    values.forEach(({ losses, logits }, k) => {
      const step = batch[k]!.step;
      lanes.forEach((_, lane) => {
        const value = losses[lane]!;
        if (records[lane]!.first(step)) results[lane]!.firstLosses.push(value);
        if (records[lane]!.history(step)) results[lane]!.lossHistory.push(value);
        if (logits && records[lane]!.outputs(step)) {
          results[lane]!.outputSteps.push(step);
          results[lane]!.outputs.push(logits.slice(lane * n, (lane + 1) * n));
        }
      });
      lastLoss = losses[0]!;
    });
  };
  const readWeights = async (lane = 0): Promise<Float32Array> => (await engine.readWeights())[lane]!;

  try {
    const clock = await runStepLoop({
      steps,
      firstStep,
      ...(signal ? { signal } : {}),
      progressIntervalMs,
      runStep: (t) => {
        const wantsOutputs = records.some((r) => r.outputs(t));
        const needed = wantsOutputs || t === steps - 1 || records.some((r) => r.first(t) || r.history(t));
        const values = engine.step(t, wantsOutputs);
        if (needed) pending.push(values);
        else engine.release(values);
      },
      flush: drain,
      snapshot: { due: (stepsDone) => records.some((r) => r.checkpoint(stepsDone)), take: takeCheckpoints },
      report: (timing) => onProgress?.({ ...timing, loss: lastLoss, readWeights }),
    });
    // The final weights' loss in evaluation mode (no dropout, BatchNorm's running statistics): the
    // verifier's finalLoss, recomputed from the submitted weights.
    const final = await engine.evaluate();
    const weights = await engine.readWeights();
    const states = await engine.readStates();
    const elapsedMs = clock.elapsedMs();
    return lanes.map((_, lane) => {
      const r = results[lane]!;
      r.lossHistory.push(final.losses[lane]!);
      if (records[lane]!.recordsOutputs) {
        r.outputSteps.push(steps);
        r.outputs.push(final.logits.slice(lane * n, (lane + 1) * n));
      }
      return {
        weights: weights[lane]!,
        firstLosses: r.firstLosses,
        lossHistory: r.lossHistory,
        outputs: records[lane]!.recordsOutputs ? { steps: r.outputSteps, values: r.outputs } : null,
        checkpoints: records[lane]!.recordsCheckpoints ? concatenate(r.checkpoints) : null,
        optimizerState: states[lane]!,
        steps,
        elapsedMs,
        backend: engine.backend,
        engine: engine.kind,
      };
    });
  } finally {
    pending.forEach((p) => engine.release(p));
    engine.dispose();
  }
}

