// Why: trains one Colored-MNIST restart with full-batch Adam, progress reports and cancellation, leaving no tensor behind.
import * as tf from "@tensorflow/tfjs-core";
import type { CmnistProtocol } from "../protocols/colored-mnist";
import { createBatchedNet, readLaneWeights, type BatchedNet } from "./batched-mlp";
import { CMNIST_PIXELS, cmnistMlpSpec, modelInputs } from "./cmnist-model";
import { cmnistLossAndGradient, createCmnistBatch, disposeCmnistBatch, objectiveAt, type CmnistBatch } from "./cmnist-objective";
import { createLaneOptimizer, type LaneOptimizer } from "./optimizers";
import { runStepLoop } from "./step-loop";

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
 * examplesPerEnv images of each env for reduced protocols) on the device, in chunks of `chunkSize` images.
 */
export function createCmnistTrainer(protocol: CmnistProtocol, envs: readonly CmnistTrainEnv[], initialWeights: Float32Array, chunkSize = Infinity): CmnistTrainer {
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
  const optimizer = createLaneOptimizer([protocol.training.optimizer], net.variables);
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
 * before the update, which the caller disposes.
 */
export function cmnistStep(trainer: CmnistTrainer, t: number): { loss: tf.Scalar; envStats: tf.Tensor2D } {
  const objective = objectiveAt(trainer.protocol.training, t, trainer.batch.envs.length);
  const { loss, grads, envStats } = cmnistLossAndGradient(trainer.net, trainer.batch, objective);
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
  readonly elapsedMs: number;
  readonly stepsPerSecond: number;
  readonly etaSeconds: number;
}

export interface CmnistTrainRequest {
  readonly protocol: CmnistProtocol;
  /** The training environments (train-a, train-b), coloured inputs even for the oracle. */
  readonly envs: readonly CmnistTrainEnv[];
  readonly initialWeights: Float32Array;
  /** Defaults to the protocol's step count. */
  readonly steps?: number;
  /** Images per chunk of the full-batch gradient (the same gradient, less memory); default: one chunk per env. */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CmnistTrainProgress) => void | Promise<void>;
  /** Minimum wall time between progress reports (and read-backs). */
  readonly progressIntervalMs?: number;
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
}

export async function trainCmnist(request: CmnistTrainRequest): Promise<CmnistTrainResult> {
  const { protocol, signal, onProgress } = request;
  const steps = request.steps ?? protocol.training.steps;
  const every = protocol.evidence.historyEvery;
  const progressIntervalMs = request.progressIntervalMs ?? 500;
  const trainer = createCmnistTrainer(protocol, request.envs, request.initialWeights, request.chunkSize);
  const total = trainer.counts.reduce((a, b) => a + b, 0);
  const history = { steps: [] as number[], losses: [] as number[], accuracies: [] as number[] };
  let pending: { step: number; packed: tf.Tensor1D }[] = [];
  let last = { loss: Number.NaN, accuracy: Number.NaN };
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
      last = { loss: loss!, accuracy: accuracy! };
      history.steps.push(entry.step);
      history.losses.push(loss!);
      history.accuracies.push(accuracy!);
    }
  };
  try {
    const clock = await runStepLoop({
      steps,
      ...(signal ? { signal } : {}),
      progressIntervalMs,
      runStep: (t) => {
        const { loss, envStats } = cmnistStep(trainer, t);
        if (t % every === 0 || t === steps - 1) pending.push({ step: t, packed: pack(loss, envStats) });
        tf.dispose([loss, envStats]);
      },
      flush: drain,
      report: (timing) => onProgress?.({ ...timing, loss: last.loss, trainAccuracy: last.accuracy }),
    });
    const [weights] = await readLaneWeights(trainer.net);
    return {
      weights: weights!,
      lossHistory: history.losses,
      historySteps: history.steps,
      accuracyHistory: history.accuracies,
      steps,
      elapsedMs: clock.elapsedMs(),
      backend: tf.getBackend(),
    };
  } finally {
    pending.forEach((p) => p.packed.dispose());
    trainer.dispose();
  }
}
