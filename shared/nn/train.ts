// The one training loop of GS Lab: full-batch training of the two-moons MLP on whatever tfjs backend the
// caller registered (webgpu, webgl, wasm or cpu), with progress reports, loss evidence and cancellation.
// tfjs-core only: the environment registers the backends and the gradients the trainer differentiates
// through (web/src/train/tfjs-backends.ts in the browser, scripts/lib/node-backend.ts in Node).
import * as tf from "@tensorflow/tfjs-core";
import type { MoonsData } from "../data/moons";
import type { MoonsProtocol } from "../protocols/types";
import { mlpParams } from "./mlp";

export interface TrainProgress {
  readonly step: number;
  readonly steps: number;
  /** Loss at the most recent step whose value has been read back. */
  readonly loss: number;
  readonly elapsedMs: number;
  readonly stepsPerSecond: number;
  readonly etaSeconds: number;
  /** Reads the current weights (flat, mlpParams order); costs a device read-back, so call it sparingly. */
  readonly readWeights: () => Promise<Float32Array>;
}

export interface TrainRequest {
  readonly protocol: MoonsProtocol;
  readonly data: MoonsData;
  readonly initialWeights: Float32Array;
  /** Defaults to the protocol's step count (benchmarks and smoke runs use fewer). */
  readonly steps?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainProgress) => void | Promise<void>;
  /** Minimum wall time between progress reports (and yields to the event loop). */
  readonly progressIntervalMs?: number;
}

export interface TrainResult {
  readonly weights: Float32Array;
  /** Loss at steps 0 .. replaySteps-1, the evidence the server replays. */
  readonly firstLosses: number[];
  /** Loss at steps 0, historyEvery, 2·historyEvery, ..., then of the final weights (see historySteps). */
  readonly lossHistory: number[];
  readonly steps: number;
  readonly elapsedMs: number;
  readonly backend: string;
}

export class TrainingCancelled extends Error {
  constructor() {
    super("training was cancelled");
    this.name = "TrainingCancelled";
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Trains from the given initial weights; every tensor it creates is disposed before it returns. */
export async function trainMoons(request: TrainRequest): Promise<TrainResult> {
  const { protocol, data, initialWeights, signal, onProgress } = request;
  const steps = request.steps ?? protocol.training.steps;
  const { replaySteps, historyEvery } = protocol.evidence;
  const { lr, momentum, weightDecay } = protocol.training.optimizer;
  const sdCoef = protocol.training.sdCoef;
  const progressIntervalMs = request.progressIntervalMs ?? 250;
  const params = mlpParams(protocol.model);
  const lastLayer = protocol.model.layerSizes.length - 1;

  const variableFrom = (initial: tf.Tensor, trainable: boolean): tf.Variable => {
    const variable = tf.variable(initial, trainable);
    initial.dispose();
    return variable;
  };
  const thetas = params.map((p) => variableFrom(tf.tensor(initialWeights.subarray(p.offset, p.offset + p.size), [...p.shape], "float32"), true));
  const velocities = params.map((p) => variableFrom(tf.zeros([...p.shape], "float32"), false));
  const inputs = tf.tensor2d(Float32Array.from(data.x), [data.n, 2]);
  const targets = tf.tensor1d(Float32Array.from(data.y, (label) => 2 * label - 1));
  const lrT = tf.scalar(lr);
  const momentumT = tf.scalar(momentum);
  const weightDecayT = tf.scalar(weightDecay);
  const sdT = tf.scalar(sdCoef);

  const forward = (x: tf.Tensor2D): tf.Tensor1D => {
    let h: tf.Tensor2D = x;
    for (let layer = 1; layer <= lastLayer; layer++) {
      h = tf.add(tf.matMul(h, thetas[2 * (layer - 1)] as tf.Tensor2D), thetas[2 * (layer - 1) + 1]!);
      if (layer < lastLayer) h = tf.relu(h);
    }
    return tf.reshape(h, [-1]);
  };
  const objective = (): tf.Scalar => {
    const logits = forward(inputs);
    const ce = tf.mean(tf.softplus(tf.neg(tf.mul(targets, logits))));
    return (sdCoef === 0 ? ce : tf.add(ce, tf.mul(sdT, tf.mean(tf.square(logits))))) as tf.Scalar;
  };
  const step = (): tf.Scalar =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(objective, thetas);
      thetas.forEach((theta, k) => {
        let grad = grads[theta.name]!;
        if (weightDecay !== 0) grad = tf.add(grad, tf.mul(weightDecayT, theta));
        const velocity = velocities[k]!;
        velocity.assign(tf.add(tf.mul(momentumT, velocity), grad));
        theta.assign(tf.sub(theta, tf.mul(lrT, velocity)));
      });
      return value;
    });
  const readWeights = async (): Promise<Float32Array> => {
    const flat = tf.tidy(() => tf.concat(thetas.map((t) => tf.reshape(t, [-1]))));
    try {
      return (await flat.data()) as Float32Array;
    } finally {
      flat.dispose();
    }
  };

  const firstLosses: number[] = [];
  const lossHistory: number[] = [];
  // Loss tensors waiting to be read back, with the step each belongs to: reading every step would stall
  // GPU backends, so values are collected in batches.
  let pending: Array<{ step: number; loss: tf.Scalar }> = [];
  let lastLoss = Number.NaN;
  const drain = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const stacked = tf.stack(batch.map((p) => p.loss));
    const values = await stacked.data();
    stacked.dispose();
    batch.forEach((p, k) => {
      const value = values[k]!;
      if (p.step < replaySteps) firstLosses.push(value);
      if (p.step % historyEvery === 0) lossHistory.push(value);
      lastLoss = value;
      p.loss.dispose();
    });
  };

  const started = Date.now();
  let lastReport = started;
  try {
    for (let s = 0; s < steps; s++) {
      if (signal?.aborted) throw new TrainingCancelled();
      const loss = step();
      if (s < replaySteps || s % historyEvery === 0 || s === steps - 1) pending.push({ step: s, loss });
      else loss.dispose();
      const now = Date.now();
      if (now - lastReport >= progressIntervalMs || s === steps - 1) {
        await drain();
        lastReport = Date.now();
        const elapsedMs = lastReport - started;
        const stepsPerSecond = ((s + 1) * 1000) / Math.max(elapsedMs, 1);
        await onProgress?.({
          step: s + 1,
          steps,
          loss: lastLoss,
          elapsedMs,
          stepsPerSecond,
          etaSeconds: (steps - s - 1) / stepsPerSecond,
          readWeights,
        });
        await yieldToEventLoop();
      }
    }
    await drain();
    const finalLoss = tf.tidy(objective);
    lossHistory.push((await finalLoss.data())[0]!);
    finalLoss.dispose();
    return {
      weights: await readWeights(),
      firstLosses,
      lossHistory,
      steps,
      elapsedMs: Date.now() - started,
      backend: tf.getBackend(),
    };
  } finally {
    pending.forEach((p) => p.loss.dispose());
    tf.dispose([...thetas, ...velocities, inputs, targets, lrT, momentumT, weightDecayT, sdT]);
  }
}
