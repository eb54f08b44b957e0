// Plain-TypeScript float64 forward and backward passes of the ReLU MLP: the verifier's independent
// re-implementation of what the tfjs trainer computes (no tfjs here, on purpose).
import { mlpParams, type MlpSpec } from "../nn/mlp";

type Weights = Float32Array | Float64Array;

/** The loops below only ever see Float64Array, which keeps V8's element access monomorphic (≈10× faster). */
const asFloat64 = (weights: Weights): Float64Array => (weights instanceof Float64Array ? weights : Float64Array.from(weights));

/**
 * Network output (one logit per point) for n points given as an n×inputWidth row-major array. Streams one
 * point at a time through two scratch vectors, so large batches (the 10,000-point figure grid) allocate
 * nothing per hidden unit.
 */
export function mlpForward(spec: MlpSpec, weightValues: Weights, inputs: Float64Array): Float64Array {
  const weights = asFloat64(weightValues);
  const sizes = spec.layerSizes;
  const params = mlpParams(spec);
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
      const wOffset = params[2 * (layer - 1)]!.offset;
      const bOffset = params[2 * (layer - 1) + 1]!.offset;
      for (let j = 0; j < fanOut; j++) next[j] = weights[bOffset + j]!;
      for (let i = 0; i < fanIn; i++) {
        const a = current[i]!;
        if (a === 0) continue;
        const wRow = wOffset + i * fanOut;
        for (let j = 0; j < fanOut; j++) next[j] = next[j]! + a * weights[wRow + j]!;
      }
      if (layer < sizes.length - 1) for (let j = 0; j < fanOut; j++) if (!(next[j]! > 0)) next[j] = 0;
      [current, next] = [next, current];
    }
    outputs[p] = current[0]!;
  }
  return outputs;
}

/**
 * Activations of every layer: [inputs, relu(z1), ..., relu(z_{L-1}), z_L]. Hidden layers keep the
 * post-ReLU values (enough for backprop since relu'(z) = [relu(z) > 0]).
 */
export function forwardWithActivations(spec: MlpSpec, weightValues: Weights, inputs: Float64Array): Float64Array[] {
  const weights = asFloat64(weightValues);
  const sizes = spec.layerSizes;
  const n = inputs.length / sizes[0]!;
  if (!Number.isInteger(n)) throw new RangeError("inputs length is not a multiple of the input width");
  const params = mlpParams(spec);
  const activations: Float64Array[] = [inputs];
  let current = inputs;
  for (let layer = 1; layer < sizes.length; layer++) {
    const fanIn = sizes[layer - 1]!;
    const fanOut = sizes[layer]!;
    const w = params[2 * (layer - 1)]!;
    const b = params[2 * (layer - 1) + 1]!;
    const out = new Float64Array(n * fanOut);
    const isHidden = layer < sizes.length - 1;
    for (let p = 0; p < n; p++) {
      const row = p * fanOut;
      for (let j = 0; j < fanOut; j++) out[row + j] = weights[b.offset + j]!;
      for (let i = 0; i < fanIn; i++) {
        const a = current[p * fanIn + i]!;
        if (a === 0) continue;
        const wRow = w.offset + i * fanOut;
        for (let j = 0; j < fanOut; j++) out[row + j] = out[row + j]! + a * weights[wRow + j]!;
      }
      if (isHidden) for (let j = 0; j < fanOut; j++) if (!(out[row + j]! > 0)) out[row + j] = 0;
    }
    activations.push(out);
    current = out;
  }
  return activations;
}

/**
 * Gradient of a loss with respect to every parameter (flat, in mlpParams order), given the activations of
 * a forward pass and d loss / d output (n values, single-output network).
 */
export function mlpBackward(
  spec: MlpSpec,
  weightValues: Weights,
  activations: Float64Array[],
  outputGradient: Float64Array,
): Float64Array {
  const weights = asFloat64(weightValues);
  const sizes = spec.layerSizes;
  const params = mlpParams(spec);
  const n = outputGradient.length;
  const grad = new Float64Array(weights.length);
  let delta = outputGradient;
  for (let layer = sizes.length - 1; layer >= 1; layer--) {
    const fanIn = sizes[layer - 1]!;
    const fanOut = sizes[layer]!;
    const w = params[2 * (layer - 1)]!;
    const b = params[2 * (layer - 1) + 1]!;
    const input = activations[layer - 1]!;
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
