// Plain-TypeScript float64 forward and backward passes of the two-moons networks (any depth; dropout or
// BatchNorm after fc1): the verifier's independent re-implementation of what the tfjs trainer computes
// (no tfjs here, on purpose). Evaluation mode for metrics, training mode for the replay.
import { fusedOutputs, fusedSupportsNetwork, moonsKernelInstalled } from "../kernels/moons-kernel";
import { BATCH_NORM, findParam, mlpParams, type MlpSpec, type ParamTensor } from "../nn/mlp";

type Weights = Float32Array | Float64Array;

/** The loops below only ever see Float64Array, which keeps V8's element access monomorphic (≈10× faster). */
const asFloat64 = (weights: Weights): Float64Array => (weights instanceof Float64Array ? weights : Float64Array.from(weights));

/** y = x·W + b for n rows (x: n×fanIn, W: fanIn×fanOut row-major, b: fanOut), skipping zero inputs. */
function affine(x: Float64Array, n: number, weights: Float64Array, w: ParamTensor, b: ParamTensor): Float64Array {
  const [fanIn, fanOut] = w.shape as [number, number];
  const out = new Float64Array(n * fanOut);
  for (let p = 0; p < n; p++) {
    const row = p * fanOut;
    for (let j = 0; j < fanOut; j++) out[row + j] = weights[b.offset + j]!;
    for (let i = 0; i < fanIn; i++) {
      const a = x[p * fanIn + i]!;
      if (a === 0) continue;
      const wRow = w.offset + i * fanOut;
      for (let j = 0; j < fanOut; j++) out[row + j] = out[row + j]! + a * weights[wRow + j]!;
    }
  }
  return out;
}

const relu = (values: Float64Array): Float64Array => values.map((v) => (v > 0 ? v : 0));

/** Per-unit scale and shift of BatchNorm in evaluation mode: y = h·scale + shift. */
function batchNormEval(params: readonly ParamTensor[], weights: Float64Array): { scale: Float64Array; shift: Float64Array } | null {
  const gamma = findParam(params, "bnScale", 1);
  if (!gamma) return null;
  const beta = findParam(params, "bnShift", 1)!;
  const mean = findParam(params, "bnMean", 1)!;
  const variance = findParam(params, "bnVar", 1)!;
  const scale = new Float64Array(gamma.size);
  const shift = new Float64Array(gamma.size);
  for (let j = 0; j < gamma.size; j++) {
    scale[j] = weights[gamma.offset + j]! / Math.sqrt(weights[variance.offset + j]! + BATCH_NORM.eps);
    shift[j] = weights[beta.offset + j]! - weights[mean.offset + j]! * scale[j]!;
  }
  return { scale, shift };
}

/**
 * Network output in evaluation mode (no dropout; BatchNorm with its running statistics) for n points given
 * as an n×inputWidth row-major array: on the fused float64 kernel for the 2-H-1 nets where it is installed,
 * else streaming one point at a time through two scratch vectors, so large batches (the 10,000-point figure
 * grid) allocate nothing per hidden unit.
 */
export function mlpForward(spec: MlpSpec, weightValues: Weights, inputs: Float64Array): Float64Array {
  if (moonsKernelInstalled() && fusedSupportsNetwork(spec)) return fusedOutputs(spec, weightValues, inputs);
  return referenceMlpForward(spec, weightValues, inputs);
}

/** mlpForward in plain TypeScript: every network, and the reference the fused kernel's outputs are tested against. */
export function referenceMlpForward(spec: MlpSpec, weightValues: Weights, inputs: Float64Array): Float64Array {
  const weights = asFloat64(weightValues);
  const sizes = spec.layerSizes;
  const params = mlpParams(spec);
  const bn = batchNormEval(params, weights);
  const inputWidth = sizes[0]!;
  const n = inputs.length / inputWidth;
  if (!Number.isInteger(n)) throw new RangeError("inputs length is not a multiple of the input width");
  const widest = Math.max(...sizes);
  let current = new Float64Array(widest);
  let next = new Float64Array(widest);
  const outputs = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < inputWidth; i++) current[i] = inputs[p * inputWidth + i]!;
    for (let layer = 1; layer < sizes.length; layer++) {
      const fanIn = sizes[layer - 1]!;
      const fanOut = sizes[layer]!;
      const wOffset = findParam(params, "weight", layer)!.offset;
      const bOffset = findParam(params, "bias", layer)!.offset;
      for (let j = 0; j < fanOut; j++) next[j] = weights[bOffset + j]!;
      for (let i = 0; i < fanIn; i++) {
        const a = current[i]!;
        if (a === 0) continue;
        const wRow = wOffset + i * fanOut;
        for (let j = 0; j < fanOut; j++) next[j] = next[j]! + a * weights[wRow + j]!;
      }
      if (layer === 1 && bn) for (let j = 0; j < fanOut; j++) next[j] = next[j]! * bn.scale[j]! + bn.shift[j]!;
      if (layer < sizes.length - 1) for (let j = 0; j < fanOut; j++) if (!(next[j]! > 0)) next[j] = 0;
      [current, next] = [next, current];
    }
    outputs[p] = current[0]!;
  }
  return outputs;
}

/** What a training-mode forward pass keeps for the backward pass. */
export interface TrainTrace {
  readonly n: number;
  /** Inputs of each layer: [x, relu(layer 1), ..., relu(layer L-1)]. */
  readonly layerInputs: Float64Array[];
  readonly batchNorm: { readonly normalized: Float64Array; readonly invStd: Float64Array; readonly mean: Float64Array; readonly variance: Float64Array } | null;
  readonly outputs: Float64Array;
}

/**
 * Training-mode forward pass: dropout applies `mask` (n×H, 0 or 1/(1-p)) to fc1's output before the ReLU;
 * BatchNorm normalises with the batch's mean and biased variance (PyTorch's training mode).
 */
export function forwardTrain(spec: MlpSpec, weightValues: Weights, inputs: Float64Array, mask: Float32Array | null): TrainTrace {
  const weights = asFloat64(weightValues);
  const sizes = spec.layerSizes;
  const params = mlpParams(spec);
  const n = inputs.length / sizes[0]!;
  if (!Number.isInteger(n)) throw new RangeError("inputs length is not a multiple of the input width");
  const layerInputs: Float64Array[] = [inputs];
  let batchNorm: TrainTrace["batchNorm"] = null;
  let current = inputs;
  for (let layer = 1; layer < sizes.length; layer++) {
    let z = affine(current, n, weights, findParam(params, "weight", layer)!, findParam(params, "bias", layer)!);
    if (layer === 1) {
      if (mask) z = z.map((v, k) => v * mask[k]!);
      const gamma = findParam(params, "bnScale", 1);
      if (gamma) {
        batchNorm = batchStatistics(z, n, sizes[1]!);
        const beta = findParam(params, "bnShift", 1)!;
        const width = sizes[1]!;
        z = batchNorm.normalized.map((v, k) => v * weights[gamma.offset + (k % width)]! + weights[beta.offset + (k % width)]!);
      }
    }
    if (layer === sizes.length - 1) return { n, layerInputs, batchNorm, outputs: z };
    current = relu(z);
    layerInputs.push(current);
  }
  throw new Error("unreachable: the loop returns at the output layer");
}

function batchStatistics(z: Float64Array, n: number, width: number) {
  const mean = new Float64Array(width);
  const variance = new Float64Array(width);
  for (let k = 0; k < z.length; k++) mean[k % width] = mean[k % width]! + z[k]!;
  for (let j = 0; j < width; j++) mean[j] = mean[j]! / n;
  for (let k = 0; k < z.length; k++) variance[k % width] = variance[k % width]! + (z[k]! - mean[k % width]!) ** 2;
  for (let j = 0; j < width; j++) variance[j] = variance[j]! / n;
  const invStd = variance.map((v) => 1 / Math.sqrt(v + BATCH_NORM.eps));
  const normalized = z.map((v, k) => (v - mean[k % width]!) * invStd[k % width]!);
  return { normalized, invStd, mean, variance };
}

/**
 * Gradient of a loss with respect to every trainable tensor (flat, in mlpParams order; running statistics
 * get 0), given a training-mode trace and d loss / d output (n values).
 */
export function backwardTrain(spec: MlpSpec, weightValues: Weights, trace: TrainTrace, outputGradient: Float64Array, mask: Float32Array | null): Float64Array {
  const weights = asFloat64(weightValues);
  const sizes = spec.layerSizes;
  const params = mlpParams(spec);
  const { n } = trace;
  const grad = new Float64Array(weights.length);
  let delta = outputGradient; // d loss / d (this layer's affine output, after layer 1's transform)
  for (let layer = sizes.length - 1; layer >= 1; layer--) {
    const fanIn = sizes[layer - 1]!;
    const fanOut = sizes[layer]!;
    if (layer === 1) delta = firstLayerTransformBackward(trace, delta, params, weights, grad, mask, fanOut);
    const w = findParam(params, "weight", layer)!;
    const b = findParam(params, "bias", layer)!;
    const input = trace.layerInputs[layer - 1]!;
    for (let p = 0; p < n; p++) {
      for (let j = 0; j < fanOut; j++) grad[b.offset + j] = grad[b.offset + j]! + delta[p * fanOut + j]!;
      for (let i = 0; i < fanIn; i++) {
        const a = input[p * fanIn + i]!;
        if (a === 0) continue;
        const gRow = w.offset + i * fanOut;
        for (let j = 0; j < fanOut; j++) grad[gRow + j] = grad[gRow + j]! + a * delta[p * fanOut + j]!;
      }
    }
    if (layer === 1) break;
    // Through this layer's weights and the previous layer's ReLU (relu(z) > 0 exactly where z > 0).
    const previous = new Float64Array(n * fanIn);
    for (let p = 0; p < n; p++) {
      for (let i = 0; i < fanIn; i++) {
        if (!(input[p * fanIn + i]! > 0)) continue; // relu' = 0 where the unit was off
        let sum = 0;
        const wRow = w.offset + i * fanOut;
        for (let j = 0; j < fanOut; j++) sum += weights[wRow + j]! * delta[p * fanOut + j]!;
        previous[p * fanIn + i] = sum;
      }
    }
    delta = previous;
  }
  return grad;
}

/** Back through layer 1's dropout or BatchNorm: from d/d(transformed) to d/d(fc1 output). */
function firstLayerTransformBackward(
  trace: TrainTrace,
  delta: Float64Array,
  params: readonly ParamTensor[],
  weights: Float64Array,
  grad: Float64Array,
  mask: Float32Array | null,
  width: number,
): Float64Array {
  if (mask) return delta.map((d, k) => d * mask[k]!);
  const bn = trace.batchNorm;
  if (!bn) return delta;
  const gamma = findParam(params, "bnScale", 1)!;
  const beta = findParam(params, "bnShift", 1)!;
  const { n } = trace;
  const sumDxHat = new Float64Array(width);
  const sumDxHatXHat = new Float64Array(width);
  const dxHat = new Float64Array(delta.length);
  for (let k = 0; k < delta.length; k++) {
    const j = k % width;
    grad[gamma.offset + j] = grad[gamma.offset + j]! + delta[k]! * bn.normalized[k]!;
    grad[beta.offset + j] = grad[beta.offset + j]! + delta[k]!;
    dxHat[k] = delta[k]! * weights[gamma.offset + j]!;
    sumDxHat[j] = sumDxHat[j]! + dxHat[k]!;
    sumDxHatXHat[j] = sumDxHatXHat[j]! + dxHat[k]! * bn.normalized[k]!;
  }
  return dxHat.map((d, k) => {
    const j = k % width;
    return (bn.invStd[j]! / n) * (n * d - sumDxHat[j]! - bn.normalized[k]! * sumDxHatXHat[j]!);
  });
}
