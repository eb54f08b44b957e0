// The two-moons network on tfjs for several runs at once ("lanes": seeds and/or protocols with the same
// architecture), each with its own weights and data: every tensor carries the lane as its first axis, so
// one batched product (lane-dense.ts) serves all lanes and the per-lane results equal separate runs up to float rounding.
import * as tf from "@tensorflow/tfjs-core";
import { laneDense } from "./lane-dense";
import { BATCH_NORM, findParam, mlpParams, type MlpSpec, type ParamTensor } from "./mlp";

/** Lane-batched shape of a tensor: weights [lanes, in, out]; vectors [lanes, 1, width] (broadcast over points). */
export const laneShape = (param: ParamTensor, lanes: number): number[] =>
  param.role === "weight" ? [lanes, ...param.shape] : [lanes, 1, param.size];

export interface BatchedNet {
  readonly spec: MlpSpec;
  readonly params: readonly ParamTensor[];
  /** One variable per tensor of mlpParams, lane-batched; running statistics are non-trainable. */
  readonly variables: readonly tf.Variable[];
  readonly lanes: number;
}

export function createBatchedNet(spec: MlpSpec, laneWeights: readonly Float32Array[]): BatchedNet {
  const params = mlpParams(spec);
  const lanes = laneWeights.length;
  const variables = params.map((param) => {
    const values = new Float32Array(lanes * param.size);
    laneWeights.forEach((weights, lane) => values.set(weights.subarray(param.offset, param.offset + param.size), lane * param.size));
    const initial = tf.tensor(values, laneShape(param, lanes), "float32");
    const variable = tf.variable(initial, param.trainable);
    initial.dispose();
    return variable;
  });
  return { spec, params, variables, lanes };
}

const variableOf = (net: BatchedNet, role: ParamTensor["role"], layer: number): tf.Variable | undefined => {
  const param = findParam(net.params, role, layer);
  return param ? net.variables[net.params.indexOf(param)] : undefined;
};

export interface ForwardOptions {
  /** Training mode: dropout with this mask ([lanes, n, width], 0 or 1/(1-p)) and BatchNorm on batch statistics. */
  readonly train: boolean;
  readonly dropoutMask?: tf.Tensor3D;
}

export interface ForwardResult {
  /** [lanes, n] */
  readonly logits: tf.Tensor2D;
  /** BatchNorm's batch mean and biased variance in training mode ([lanes, 1, width]), for the running update. */
  readonly batchMoments?: { readonly mean: tf.Tensor3D; readonly variance: tf.Tensor3D };
}

/** inputs: [lanes, n, inputWidth]. Call inside tf.tidy (or a gradient function). */
export function forward(net: BatchedNet, inputs: tf.Tensor3D, options: ForwardOptions): ForwardResult {
  const depth = net.spec.layerSizes.length - 1;
  let h: tf.Tensor3D = inputs;
  let batchMoments: ForwardResult["batchMoments"];
  for (let layer = 1; layer <= depth; layer++) {
    h = laneDense(h, variableOf(net, "weight", layer)! as tf.Tensor3D, variableOf(net, "bias", layer)! as tf.Tensor3D, { inputGradient: layer > 1 });
    if (layer === 1 && options.train && options.dropoutMask) h = tf.mul(h, options.dropoutMask);
    const scale = layer === 1 ? variableOf(net, "bnScale", 1) : undefined;
    if (scale) {
      let mean: tf.Tensor3D;
      let variance: tf.Tensor3D;
      let centered: tf.Tensor3D;
      if (options.train) {
        // Written out rather than tf.moments, whose gradient costs about three times as much on wasm.
        mean = tf.mean(h, 1, true);
        centered = tf.sub(h, mean);
        variance = tf.mean(tf.square(centered), 1, true);
        batchMoments = { mean, variance };
      } else {
        mean = variableOf(net, "bnMean", 1)! as tf.Tensor3D;
        variance = variableOf(net, "bnVar", 1)! as tf.Tensor3D;
        centered = tf.sub(h, mean);
      }
      const normalized = tf.mul(centered, tf.rsqrt(tf.add(variance, BATCH_NORM.eps)));
      h = tf.add(tf.mul(normalized, scale), variableOf(net, "bnShift", 1)!);
    }
    if (layer < depth) h = tf.relu(h);
  }
  const [lanes, n] = inputs.shape;
  return { logits: tf.reshape(h, [lanes, n]), ...(batchMoments ? { batchMoments } : {}) };
}

/** mean_i softplus(-t·ŷ) + sd·mean_i ŷ² per lane: [lanes]. targets [lanes, n] (±1), sdCoef [lanes]. */
export function lossPerLane(logits: tf.Tensor2D, targets: tf.Tensor2D, sdCoef: tf.Tensor1D): tf.Tensor1D {
  const crossEntropy = tf.mean(tf.softplus(tf.neg(tf.mul(targets, logits))), 1);
  return tf.add(crossEntropy, tf.mul(sdCoef, tf.mean(tf.square(logits), 1))) as tf.Tensor1D;
}

/** PyTorch's running-statistics update: m·batch + (1-m)·running, with the unbiased batch variance. */
export function updateRunningStatistics(net: BatchedNet, moments: NonNullable<ForwardResult["batchMoments"]>, n: number): void {
  const m = BATCH_NORM.momentum;
  const runningMean = variableOf(net, "bnMean", 1)!;
  const runningVar = variableOf(net, "bnVar", 1)!;
  tf.tidy(() => {
    runningMean.assign(tf.add(tf.mul(runningMean, 1 - m), tf.mul(moments.mean, m)));
    runningVar.assign(tf.add(tf.mul(runningVar, 1 - m), tf.mul(moments.variance, (m * n) / (n - 1))));
  });
}

/** Every lane's flat weights (mlpParams order), read back from the device. */
export async function readLaneWeights(net: BatchedNet): Promise<Float32Array[]> {
  const flat = tf.tidy(() => tf.concat(net.variables.map((v) => tf.reshape(v, [net.lanes, -1])), 1));
  try {
    const values = (await flat.data()) as Float32Array;
    const size = values.length / net.lanes;
    return Array.from({ length: net.lanes }, (_, lane) => values.slice(lane * size, (lane + 1) * size));
  } finally {
    flat.dispose();
  }
}
