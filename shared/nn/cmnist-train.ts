// Why: trains one Colored-MNIST restart with full-batch Adam, progress, pause, cancellation and checkpoint/resume, leaving no tensor behind.
import * as tf from "@tensorflow/tfjs-core";
import type { CmnistProtocol } from "../protocols/colored-mnist";
import { createBatchedNet, readLaneWeights, type BatchedNet } from "./batched-mlp";
import { CMNIST_PIXELS, cmnistMlpSpec, modelInputs } from "./cmnist-model";
import { mlpParams } from "./mlp";
import { objectiveAt } from "../protocols/cmnist-step-objective";
import { cmnistChunkSize } from "./cmnist-chunk";
import { cmnistLogits, cmnistLossAndGradient, createCmnistBatch, disposeCmnistBatch, type ChunkLogits, type CmnistBatch } from "./cmnist-objective";
import { createLaneOptimizer, type LaneOptimizer } from "./optimizers";
import { runStepLoop, type PauseGate } from "./step-loop";

/** A training environment as shared/data/colored-mnist.ts builds it: n × 392 coloured inputs, n 0/1 labels. */
export interface CmnistTrainEnv {
  readonly images: Float32Array;
  readonly labels: Float32Array;
}

export interface CmnistTrainer {
  readonly protocol: CmnistProtocol;
  readonly net: BatchedNet;
  readonly batch: CmnistBatch;
  readonly optimizer: LaneOptimizer;
  /** Images per environment actually trained on (the protocol's subset, if any). */
  readonly counts: readonly number[];
  dispose(): void;
}

/**
 * Puts the network, Adam's state and the data (model inputs: grayscale sums for the oracle; the first
 * examplesPerEnv images of each env for reduced protocols) on the device, in chunks of `chunkSize` images
 * (default: what cmnistChunkSize picks for the running backend; Infinity: one chunk per environment).
 */
export function createCmnistTrainer(
  protocol: CmnistProtocol,
  envs: readonly CmnistTrainEnv[],
  initialWeights: Float32Array,
  chunkSize = cmnistChunkSize(tf.getBackend()) ?? Infinity,
  optimizerState?: readonly Float32Array[],
): CmnistTrainer {
  const spec = cmnistMlpSpec(protocol.model);
  const width = spec.layerSizes[0]!;
  const limit = protocol.data.examplesPerEnv;
  const data = envs.map((env) => {
    const n = limit === null ? env.labels.length : Math.min(limit, env.labels.length);
    return { inputs: modelInputs(protocol.model, env.images.subarray(0, n * 2 * CMNIST_PIXELS)), labels: env.labels.subarray(0, n) };
  });
  const largest = Math.max(...data.map((d) => d.labels.length));
  const batch = createCmnistBatch(data, width, Number.isFinite(chunkSize) ? chunkSize : largest);
  const net = createBatchedNet(spec, [initialWeights]);
  const optimizer = createLaneOptimizer([protocol.training.optimizer], net.variables, optimizerState);
  return {
    protocol,
    net,
    batch,
    optimizer,
    counts: data.map((d) => d.labels.length),
    dispose: () => {
      optimizer.dispose();
      disposeCmnistBatch(batch);
      tf.dispose([...net.variables]);
    },
  };
}

/**
 * One Adam step `t` (from 0) on the full-batch objective of the protocol at that step. Returns the loss and
 * the per-env statistics ([envs, 4]: mean BCE, mean IRM scale gradient, mean ŷ², accuracy) of the weights
 * before the update, which the caller disposes. `logitsOf`: the written-out backward pass (default) or tfjs autograd
 * of the forward pass (autogradLogits, the reference the benchmark compares it with).
 */
export function cmnistStep(trainer: CmnistTrainer, t: number, logitsOf: ChunkLogits = cmnistLogits): { loss: tf.Scalar; envStats: tf.Tensor2D } {
  const objective = objectiveAt(trainer.protocol.training, t, trainer.batch.envs.length);
  const { loss, grads, envStats } = cmnistLossAndGradient(trainer.net, trainer.batch, objective, logitsOf);
  try {
    trainer.optimizer.apply(t, grads);
  } finally {
    tf.dispose(grads);
  }
  return { loss, envStats };
}

export interface CmnistTrainProgress {
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  /** Accuracy on the training envs (pooled) of the weights before the most recent step read back. */
  readonly trainAccuracy: number;
  /** The step (from 0) whose loss and accuracy these are: the latest history step (NaN before the first). */
  readonly lossStep: number;
  readonly elapsedMs: number;
  readonly stepsPerSecond: number;
  readonly etaSeconds: number;
}

/**
 * Everything needed to continue a run exactly where it stood after `step` steps: plain typed arrays and
 * numbers, so it survives structured cloning (postMessage, IndexedDB).
 */
export interface CmnistCheckpoint {
  readonly protocolId: string;
  readonly protocolVersion: number;
  /** Steps done; the next step to run. */
  readonly step: number;
  /** The run's step count. */
  readonly steps: number;
  /** Flat weights after `step` steps (mlpParams order). */
  readonly weights: Float32Array;
  /** Adam's first moments then second moments, one per variable (LaneOptimizer.readState). */
  readonly optimizerState: readonly Float32Array[];
  /** The history so far, as CmnistTrainResult has it. */
  readonly historySteps: readonly number[];
  readonly lossHistory: readonly number[];
  readonly accuracyHistory: readonly number[];
  /** Training time spent on these steps (every session before the checkpoint). */
  readonly elapsedMs: number;
  /**
   * The trajectory checkpoints taken so far (evidence.checkpointEvery; shared/metrics/trajectory.ts layout),
   * concatenated: a resumed run keeps them. Absent in checkpoints saved before trajectories were recorded.
   */
  readonly trajectory?: Float32Array;
}

export interface CmnistTrainRequest {
  readonly protocol: CmnistProtocol;
  /** The training environments (train-a, train-b), coloured inputs even for the oracle. */
  readonly envs: readonly CmnistTrainEnv[];
  readonly initialWeights: Float32Array;
  /** Defaults to the protocol's step count. */
  readonly steps?: number;
  /** Images per chunk of the full-batch gradient (the same gradient, less memory); default: cmnistChunkSize of the running backend. */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CmnistTrainProgress) => void | Promise<void>;
  /** Minimum wall time between progress reports (and read-backs). */
  readonly progressIntervalMs?: number;
  /** Consulted between steps: while paused the run waits (the time is not counted). */
  readonly pause?: PauseGate;
  /** Continue from this checkpoint of the same protocol, data and step count (initialWeights is then unused). */
  readonly resumeFrom?: CmnistCheckpoint;
  /** Receives a checkpoint every checkpointEveryMs / checkpointEverySteps, when pausing, and after the last step. */
  readonly onCheckpoint?: (checkpoint: CmnistCheckpoint) => void | Promise<void>;
  /** Default 30 s of training time. */
  readonly checkpointEveryMs?: number;
  /** Default: no step-count trigger. */
  readonly checkpointEverySteps?: number;
}

/** Throws unless `checkpoint` can continue a run of `protocol` with `steps` steps and `weightCount` weights. */
export function checkResumable(checkpoint: CmnistCheckpoint, protocol: CmnistProtocol, steps: number, weightCount: number): void {
  const problem =
    checkpoint.protocolId !== protocol.id || checkpoint.protocolVersion !== protocol.version
      ? `it belongs to ${checkpoint.protocolId} v${checkpoint.protocolVersion}, not ${protocol.id} v${protocol.version}`
      : checkpoint.steps !== steps
        ? `it is for a run of ${checkpoint.steps} steps, not ${steps}`
        : !Number.isInteger(checkpoint.step) || checkpoint.step < 0 || checkpoint.step > steps
          ? `its step ${checkpoint.step} is outside 0..${steps}`
          : checkpoint.weights.length !== weightCount
            ? `it has ${checkpoint.weights.length} weights, the model ${weightCount}`
            : checkpoint.historySteps.length !== checkpoint.lossHistory.length || checkpoint.lossHistory.length !== checkpoint.accuracyHistory.length
              ? "its histories differ in length"
              : null;
  if (problem) throw new Error(`This checkpoint cannot be resumed: ${problem}.`);
}

export interface CmnistTrainResult {
  readonly weights: Float32Array;
  /** The loss at steps historySteps (every evidence.historyEvery steps and the last one), before that step's update. */
  readonly lossHistory: number[];
  readonly historySteps: number[];
  /** Pooled training accuracy at the same steps. */
  readonly accuracyHistory: number[];
  readonly steps: number;
  readonly elapsedMs: number;
  readonly backend: string;
  /** Trajectory checkpoints before steps checkpointEvery, 2·checkpointEvery, … < steps (null when the protocol takes none). */
  readonly checkpoints: Float32Array | null;
  /** Adam's moments after the last step, compact (first moments of every weight, then second moments): where a replayed segment ends. */
  readonly optimizerState: Float32Array;
}

/** Adam's per-variable state (LaneOptimizer.readState) as one compact array: every first moment, then every second moment. */
const compactState = (state: readonly Float32Array[]): Float32Array => {
  const out = new Float32Array(state.reduce((n, v) => n + v.length, 0));
  state.reduce((offset, v) => (out.set(v, offset), offset + v.length), 0);
  return out;
};

/** The inverse of compactState for a network with these variable sizes (two slots: Adam). */
function splitState(compact: ArrayLike<number>, sizes: readonly number[]): Float32Array[] {
  const perSlot = sizes.reduce((a, b) => a + b, 0);
  if (compact.length !== 2 * perSlot) throw new RangeError(`Adam's state for ${perSlot} weights has ${2 * perSlot} values, got ${compact.length}`);
  const out: Float32Array[] = [];
  let offset = 0;
  for (let slot = 0; slot < 2; slot++) for (const size of sizes) out.push(Float32Array.from({ length: size }, (_, k) => compact[offset + k]!)), (offset += size);
  return out;
}

export async function trainCmnist(request: CmnistTrainRequest): Promise<CmnistTrainResult> {
  const { protocol, signal, onProgress, resumeFrom: resume, onCheckpoint } = request;
  const steps = request.steps ?? protocol.training.steps;
  const every = protocol.evidence.historyEvery;
  const progressIntervalMs = request.progressIntervalMs ?? 500;
  if (resume) checkResumable(resume, protocol, steps, request.initialWeights.length);
  const trainer = createCmnistTrainer(protocol, request.envs, resume?.weights ?? request.initialWeights, request.chunkSize, resume?.optimizerState);
  const total = trainer.counts.reduce((a, b) => a + b, 0);
  const history = { steps: [...(resume?.historySteps ?? [])], losses: [...(resume?.lossHistory ?? [])], accuracies: [...(resume?.accuracyHistory ?? [])] };
  const earlierMs = resume?.elapsedMs ?? 0;
  let pending: { step: number; packed: tf.Tensor1D }[] = [];
  let last = { step: history.steps.at(-1) ?? Number.NaN, loss: history.losses.at(-1) ?? Number.NaN, accuracy: history.accuracies.at(-1) ?? Number.NaN };
  // Loss and pooled accuracy as one small tensor, read back in batches (a read per step would stall a GPU).
  const pack = (loss: tf.Scalar, envStats: tf.Tensor2D): tf.Tensor1D =>
    tf.tidy(() => {
      const correct = tf.sum(tf.mul(tf.slice(envStats, [0, 3], [-1, 1]), tf.tensor2d(Float32Array.from(trainer.counts), [trainer.counts.length, 1])));
      return tf.stack([loss, tf.div(correct, total)]) as tf.Tensor1D;
    });
  const drain = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    for (const entry of batch) {
      const [loss, accuracy] = (await entry.packed.data()) as Float32Array;
      entry.packed.dispose();
      last = { step: entry.step, loss: loss!, accuracy: accuracy! };
      history.steps.push(entry.step);
      history.losses.push(loss!);
      history.accuracies.push(accuracy!);
    }
  };
  // Trajectory evidence (evidence.checkpointEvery): the weights and Adam's moments before every checkpointEvery-th step.
  const trajectoryEvery = protocol.evidence.checkpointEvery;
  const trajectory: Float32Array[] = resume?.trajectory ? [resume.trajectory] : [];
  const takeTrajectory = async (): Promise<void> => {
    const [weights] = await readLaneWeights(trainer.net);
    trajectory.push(weights!, compactState(await trainer.optimizer.readState()));
  };
  const trajectorySoFar = (): Float32Array => compactState(trajectory);
  const checkpoint = async (stepsDone: number, elapsedMs: number): Promise<void> => {
    const [weights] = await readLaneWeights(trainer.net);
    await onCheckpoint!({
      protocolId: protocol.id,
      protocolVersion: protocol.version,
      step: stepsDone,
      steps,
      weights: weights!,
      optimizerState: await trainer.optimizer.readState(),
      historySteps: [...history.steps],
      lossHistory: [...history.losses],
      accuracyHistory: [...history.accuracies],
      elapsedMs: earlierMs + elapsedMs,
      ...(trajectoryEvery !== undefined ? { trajectory: trajectorySoFar() } : {}),
    });
  };
  try {
    const clock = await runStepLoop({
      steps,
      firstStep: resume?.step ?? 0,
      ...(signal ? { signal } : {}),
      ...(request.pause ? { pause: request.pause } : {}),
      ...(onCheckpoint
        ? { checkpoint: { everyMs: request.checkpointEveryMs ?? 30_000, everySteps: request.checkpointEverySteps ?? Infinity, save: checkpoint } }
        : {}),
      progressIntervalMs,
      ...(trajectoryEvery !== undefined ? { snapshot: { due: (stepsDone: number) => stepsDone < steps && stepsDone % trajectoryEvery === 0, take: takeTrajectory } } : {}),
      runStep: (t) => {
        const { loss, envStats } = cmnistStep(trainer, t);
        if (t % every === 0 || t === steps - 1) pending.push({ step: t, packed: pack(loss, envStats) });
        tf.dispose([loss, envStats]);
      },
      flush: drain,
      report: (timing) => onProgress?.({ ...timing, elapsedMs: earlierMs + timing.elapsedMs, loss: last.loss, trainAccuracy: last.accuracy, lossStep: last.step }),
    });
    const [weights] = await readLaneWeights(trainer.net);
    const optimizerState = compactState(await trainer.optimizer.readState());
    return {
      checkpoints: trajectoryEvery !== undefined ? trajectorySoFar() : null,
      optimizerState,
      weights: weights!,
      lossHistory: history.losses,
      historySteps: history.steps,
      accuracyHistory: history.accuracies,
      steps,
      elapsedMs: earlierMs + clock.elapsedMs(),
      backend: tf.getBackend(),
    };
  } finally {
    pending.forEach((p) => p.packed.dispose());
    trainer.dispose();
  }
}

/**
 * Continues a Colored-MNIST run from a trajectory checkpoint (`start`: its step, weights and compact Adam state)
 * up to step `to`: a replay workunit's computation. Resolves with the weights and Adam's state before step `to`.
 */
export async function trainCmnistSegment(
  request: Pick<CmnistTrainRequest, "protocol" | "envs" | "chunkSize" | "signal" | "onProgress" | "progressIntervalMs"> & {
    readonly start: { readonly step: number; readonly weights: ArrayLike<number>; readonly optimizerState: ArrayLike<number> | null };
    readonly to: number;
  },
): Promise<CmnistTrainResult> {
  const { start, to, ...rest } = request;
  if (!(Number.isInteger(start.step) && start.step >= 0 && to > start.step)) throw new RangeError(`a segment must end after it starts (step ${start.step} → ${to})`);
  const weights = Float32Array.from(start.weights);
  const sizes = mlpParams(cmnistMlpSpec(request.protocol.model)).map((p) => p.size);
  const resumeFrom: CmnistCheckpoint = {
    protocolId: request.protocol.id,
    protocolVersion: request.protocol.version,
    step: start.step,
    steps: to,
    weights,
    // A fresh Adam (segment 0): zero moments in both slots.
    optimizerState: start.optimizerState ? splitState(start.optimizerState, sizes) : [...sizes, ...sizes].map((size) => new Float32Array(size)),
    historySteps: [],
    lossHistory: [],
    accuracyHistory: [],
    elapsedMs: 0,
  };
  return trainCmnist({ ...rest, initialWeights: weights, steps: to, resumeFrom });
}
