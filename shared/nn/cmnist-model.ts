// Why: trainer, verifier and PyTorch fixture must agree on the Colored-MNIST MLP's flat layout, seeded Xavier init and oracle input.
import type { CmnistProtocol } from "../protocols/colored-mnist";
import { RandomState } from "../rng/random-state";
import { INIT_STREAM } from "./init";
import { mlpParamCount, mlpParams, type MlpSpec, type ParamTensor } from "./mlp";

/** Pixels per channel (14 × 14 after the scripts' 2× striding). */
export const CMNIST_PIXELS = 196;

export const cmnistInputWidth = (inputs: CmnistProtocol["model"]["inputs"]): number => (inputs === "grayscale" ? CMNIST_PIXELS : 2 * CMNIST_PIXELS);

/** The network of a protocol: [392 or 196, h, h, 1]. */
export function cmnistMlpSpec(model: CmnistProtocol["model"]): MlpSpec {
  return { layerSizes: [cmnistInputWidth(model.inputs), model.hidden, model.hidden, 1] };
}

/** nn.init.xavier_uniform_'s bound, computed as PyTorch does: gain·sqrt(2/(fan_in + fan_out))·sqrt(3). */
export function xavierBound(fanIn: number, fanOut: number): number {
  const std = Math.sqrt(2 / (fanIn + fanOut));
  return Math.sqrt(3) * std;
}

/**
 * Initial weights of restart/seed `seed`: numpy's `RandomState([seed, 1])` draws every weight matrix as
 * `uniform(-a, a)` in PyTorch's parameter order (lin1.weight as [out, in] row-major, lin2.weight, lin3.weight;
 * the zero biases draw nothing), rounded to float32 and stored transposed ([in, out]) in mlpParams' layout.
 * scripts/fixtures/cmnist_reference.py draws the same values with numpy.
 */
export function cmnistInitialWeights(spec: MlpSpec, seed: number): Float32Array {
  const rng = new RandomState([seed, INIT_STREAM]);
  const weights = new Float32Array(mlpParamCount(spec));
  for (const param of mlpParams(spec)) {
    if (param.role !== "weight") continue; // biases start at zero
    const [fanIn, fanOut] = param.shape as [number, number];
    const bound = xavierBound(fanIn, fanOut);
    const region = weights.subarray(param.offset, param.offset + param.size);
    for (let out = 0; out < fanOut; out++) for (let inp = 0; inp < fanIn; inp++) region[inp * fanOut + out] = rng.uniform(-bound, bound);
  }
  return weights;
}

/** A parameter tensor of the flat vector in PyTorch's layout ([out, in] for weights), for fixtures and checks. */
export function torchLayout(weights: Float32Array, param: ParamTensor): Float32Array {
  if (param.role !== "weight") return weights.slice(param.offset, param.offset + param.size);
  const [fanIn, fanOut] = param.shape as [number, number];
  const out = new Float32Array(param.size);
  for (let o = 0; o < fanOut; o++) for (let i = 0; i < fanIn; i++) out[o * fanIn + i] = weights[param.offset + i * fanOut + o]!;
  return out;
}

/**
 * The grayscale oracle's inputs: per image the sum of its two channels (`input.view(n, 2, 196).sum(1)`).
 * `images` holds n × 392 values, channel 0 then channel 1 per image.
 */
export function grayscaleInputs(images: Float32Array): Float32Array {
  const width = 2 * CMNIST_PIXELS;
  const n = images.length / width;
  if (!Number.isInteger(n)) throw new RangeError(`Colored MNIST: ${images.length} values is not a whole number of ${width}-value images`);
  const out = new Float32Array(n * CMNIST_PIXELS);
  for (let k = 0; k < n; k++) {
    for (let p = 0; p < CMNIST_PIXELS; p++) out[k * CMNIST_PIXELS + p] = images[k * width + p]! + images[k * width + CMNIST_PIXELS + p]!;
  }
  return out;
}

/** The network's inputs for a protocol's model: the images as they are, or their grayscale sums. */
export const modelInputs = (model: CmnistProtocol["model"], images: Float32Array): Float32Array =>
  model.inputs === "grayscale" ? grayscaleInputs(images) : images;
