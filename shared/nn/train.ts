// The one training loop of GS Lab: full-batch training of two-moons networks on whatever tfjs backend the
// caller registered (webgpu, webgl, wasm or cpu), for one run or for several runs batched into one
// computation ("lanes": seeds and/or protocols with the same architecture), with progress reports, loss
// evidence per run and cancellation.
// tfjs-core only: the environment registers the backends and the gradients the trainer differentiates
// through (web/src/train/tfjs-backends.ts in the browser, scripts/lib/node-backend.ts in Node).
import * as tf from "@tensorflow/tfjs-core";
import type { MoonsData } from "../data/moons";
import type { MoonsProtocol } from "../protocols/types";
import { createBatchedNet, forward, lossPerLane, readLaneWeights, updateRunningStatistics } from "./batched-mlp";
import { dropoutMask } from "./dropout";
import { createLaneOptimizer } from "./optimizers";
import { runStepLoop } from "./step-loop";

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

/** Trains every lane for the same number of steps; every tensor it creates is disposed before it returns. */
export async function trainBatch(request: BatchTrainRequest): Promise<TrainResult[]> {
  const { lanes, signal, onProgress } = request;
  assertCompatible(lanes);
  const spec = lanes[0]!.protocol.model;
  const steps = request.steps ?? lanes[0]!.protocol.training.steps;
  const progressIntervalMs = request.progressIntervalMs ?? 250;
  const S = lanes.length;
  const n = lanes[0]!.data.n;
  const width = spec.layerSizes[1]!;
  const records = lanes.map((lane) => recorder(lane, steps));

  const firstStep = lanes[0]!.start?.step ?? 0;
  if (lanes.some((lane) => (lane.start?.step ?? 0) !== firstStep)) throw new RangeError("lanes trained together must start at the same step");
  const net = createBatchedNet(spec, lanes.map((lane) => lane.initialWeights));
  const trainable = net.variables.filter((v) => v.trainable);
  const optimizer = createLaneOptimizer(
    lanes.map((lane) => lane.protocol.training.optimizer),
    trainable,
    lanes[0]!.start ? laneBatchedState(lanes, trainable) : undefined,
  );
  const inputs = tf.tensor3d(Float32Array.from(lanes.flatMap((lane) => Array.from(lane.data.x))), [S, n, spec.layerSizes[0]!]);
  const targets = tf.tensor2d(Float32Array.from(lanes.flatMap((lane) => Array.from(lane.data.y, (label) => 2 * label - 1))), [S, n]);
  const sdCoef = tf.tensor1d(Float32Array.from(lanes.map((lane) => lane.protocol.training.sdCoef)));
  const masksFor = (step: number): tf.Tensor3D | undefined => {
    if (spec.dropout === undefined) return undefined;
    const values = new Float32Array(S * n * width);
    lanes.forEach((lane, k) => values.set(dropoutMask(lane.seed, step, n * width, spec.dropout!), k * n * width));
    return tf.tensor3d(values, [S, n, width]);
  };

  /** One optimisation step; returns the per-lane losses and (if asked) the logits, both kept. */
  const step = (t: number, keepLogits: boolean): { losses: tf.Tensor1D; logits: tf.Tensor2D | null } => {
    const mask = masksFor(t);
    try {
      let losses: tf.Tensor1D | null = null;
      let logits: tf.Tensor2D | null = null;
      let moments: ReturnType<typeof forward>["batchMoments"];
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const result = forward(net, inputs, { train: true, ...(mask ? { dropoutMask: mask } : {}) });
          if (result.batchMoments) moments = { mean: tf.keep(result.batchMoments.mean), variance: tf.keep(result.batchMoments.variance) };
          losses = tf.keep(lossPerLane(result.logits, targets, sdCoef));
          if (keepLogits) logits = tf.keep(result.logits);
          return tf.sum(losses) as tf.Scalar;
        }, trainable);
        optimizer.apply(
          t,
          trainable.map((v) => grads[v.name]!),
        );
        tf.dispose([value, ...Object.values(grads)]);
      });
      if (moments) {
        updateRunningStatistics(net, moments, n);
        tf.dispose([moments.mean, moments.variance]);
      }
      return { losses: losses!, logits };
    } finally {
      mask?.dispose();
    }
  };

  const results = lanes.map(() => ({ firstLosses: [] as number[], lossHistory: [] as number[], outputSteps: [] as number[], outputs: [] as Float32Array[], checkpoints: [] as Float32Array[] }));
  /** Trajectory evidence before step `stepsDone`: each lane's weights, then its optimiser state (trainable tensors in order). */
  const takeCheckpoints = async (stepsDone: number): Promise<void> => {
    const weights = await readLaneWeights(net);
    const state = await optimizer.readState();
    lanes.forEach((_, lane) => {
      if (!records[lane]!.checkpoint(stepsDone)) return;
      results[lane]!.checkpoints.push(concatenate([weights[lane]!, ...laneSlices(state, lane, S)]));
    });
  };
  // Values waiting to be read back: reading every step would stall GPU backends, so they come in batches.
  let pending: Array<{ step: number; losses: tf.Tensor1D; logits: tf.Tensor2D | null }> = [];
  let lastLoss = Number.NaN;
  const drain = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const stacked = tf.stack(batch.map((p) => p.losses));
    const values = (await stacked.data()) as Float32Array;
    stacked.dispose();
    for (const [k, entry] of batch.entries()) {
      const logits = entry.logits ? ((await entry.logits.data()) as Float32Array) : null;
      lanes.forEach((_, lane) => {
        const value = values[k * S + lane]!;
        if (records[lane]!.first(entry.step)) results[lane]!.firstLosses.push(value);
        if (records[lane]!.history(entry.step)) results[lane]!.lossHistory.push(value);
        if (logits && records[lane]!.outputs(entry.step)) {
          results[lane]!.outputSteps.push(entry.step);
          results[lane]!.outputs.push(logits.slice(lane * n, (lane + 1) * n));
        }
      });
      lastLoss = values[k * S]!;
      tf.dispose([entry.losses, entry.logits ?? []]);
    }
  };
  const readWeights = async (lane = 0): Promise<Float32Array> => (await readLaneWeights(net))[lane]!;

  try {
    const clock = await runStepLoop({
      steps,
      firstStep,
      ...(signal ? { signal } : {}),
      progressIntervalMs,
      runStep: (t) => {
        const wantsOutputs = records.some((r) => r.outputs(t));
        const needed = wantsOutputs || t === steps - 1 || records.some((r) => r.first(t) || r.history(t));
        const { losses, logits } = step(t, wantsOutputs);
        if (needed) pending.push({ step: t, losses, logits });
        else tf.dispose([losses, logits ?? []]);
      },
      flush: drain,
      snapshot: { due: (stepsDone) => records.some((r) => r.checkpoint(stepsDone)), take: takeCheckpoints },
      report: (timing) => onProgress?.({ ...timing, loss: lastLoss, readWeights }),
    });
    // The final weights' loss in evaluation mode (no dropout, BatchNorm's running statistics): the
    // verifier's finalLoss, recomputed from the submitted weights.
    const final = tf.tidy(() => {
      const { logits } = forward(net, inputs, { train: false });
      return { losses: lossPerLane(logits, targets, sdCoef), logits };
    });
    const finalLosses = (await final.losses.data()) as Float32Array;
    const finalLogits = (await final.logits.data()) as Float32Array;
    tf.dispose([final.losses, final.logits]);
    const weights = await readLaneWeights(net);
    const finalState = await optimizer.readState();
    const elapsedMs = clock.elapsedMs();
    return lanes.map((_, lane) => {
      const r = results[lane]!;
      r.lossHistory.push(finalLosses[lane]!);
      if (records[lane]!.recordsOutputs) {
        r.outputSteps.push(steps);
        r.outputs.push(finalLogits.slice(lane * n, (lane + 1) * n));
      }
      return {
        weights: weights[lane]!,
        firstLosses: r.firstLosses,
        lossHistory: r.lossHistory,
        outputs: records[lane]!.recordsOutputs ? { steps: r.outputSteps, values: r.outputs } : null,
        checkpoints: records[lane]!.recordsCheckpoints ? concatenate(r.checkpoints) : null,
        optimizerState: concatenate(laneSlices(finalState, lane, S)),
        steps,
        elapsedMs,
        backend: tf.getBackend(),
      };
    });
  } finally {
    pending.forEach((p) => tf.dispose([p.losses, p.logits ?? []]));
    optimizer.dispose();
    tf.dispose([...net.variables, inputs, targets, sdCoef]);
  }
}

/** The lanes' compact optimiser states (slot by slot, trainable tensor by tensor) regrouped as one lane-batched tensor per state variable. */
function laneBatchedState(lanes: readonly Lane[], trainable: readonly tf.Variable[]): Float32Array[] {
  const sizes = trainable.map((v) => v.size / lanes.length);
  const perSlot = sizes.reduce((a, b) => a + b, 0);
  const slots = lanes[0]!.start!.optimizerState.length / perSlot;
  const tensors: Float32Array[] = [];
  for (let slot = 0; slot < slots; slot++) {
    let offset = slot * perSlot;
    for (const size of sizes) {
      const values = new Float32Array(size * lanes.length);
      lanes.forEach((lane, k) => {
        const state = lane.start?.optimizerState;
        if (!state || state.length !== slots * perSlot) throw new RangeError(`a lane's optimiser state must hold ${slots * perSlot} values`);
        values.set(state.subarray(offset, offset + size), k * size);
      });
      tensors.push(values);
      offset += size;
    }
  }
  return tensors;
}

/** A lane's part of each lane-batched tensor's values. */
const laneSlices = (tensors: readonly Float32Array[], lane: number, lanes: number): Float32Array[] =>
  tensors.map((values) => values.subarray((lane * values.length) / lanes, ((lane + 1) * values.length) / lanes));

function concatenate(parts: readonly Float32Array[]): Float32Array {
  const all = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((offset, part) => (all.set(part, offset), offset + part.length), 0);
  return all;
}
