// Why: the Worker must score Colored-MNIST weights without tfjs — float64 accuracy, entropy and the Fig. 4 probes as cmnist.py computes them.
import type { CmnistEnvPlan, CmnistSet } from "../data/colored-mnist";
import { coloredMnistInputs } from "../data/colored-mnist";
import type { MnistPack } from "../data/mnist-pack";
import { CMNIST_PIXELS, cmnistMlpSpec, modelInputs } from "../nn/cmnist-model";
import type { CmnistProtocol } from "../protocols/colored-mnist";
import { mlpForward } from "./mlp-math";

type Model = CmnistProtocol["model"];

/** Images evaluated per block: bounds the float64 copy of the inputs. */
const BLOCK = 1024;

/**
 * Logits of `images` (n × 392 coloured inputs, channel-major per image; the oracle sums the channels first)
 * or of the images at `positions` only.
 */
export function cmnistLogits(model: Model, weights: Float32Array | Float64Array, images: Float32Array, positions?: ArrayLike<number>): Float64Array {
  const spec = cmnistMlpSpec(model);
  const w = weights instanceof Float64Array ? weights : Float64Array.from(weights);
  const stride = 2 * CMNIST_PIXELS;
  const n = positions ? positions.length : images.length / stride;
  if (!Number.isInteger(n)) throw new RangeError(`Colored MNIST: ${images.length} values is not a whole number of ${stride}-value images`);
  const logits = new Float64Array(n);
  for (let start = 0; start < n; start += BLOCK) {
    const count = Math.min(BLOCK, n - start);
    let block: Float32Array;
    if (positions) {
      block = new Float32Array(count * stride);
      for (let k = 0; k < count; k++) {
        const p = positions[start + k]!;
        if (!(p >= 0 && (p + 1) * stride <= images.length)) throw new RangeError(`Colored MNIST: position ${p} is outside the environment`);
        block.set(images.subarray(p * stride, (p + 1) * stride), k * stride);
      }
    } else {
      block = images.subarray(start * stride, (start + count) * stride);
    }
    logits.set(mlpForward(spec, w, Float64Array.from(modelInputs(model, block))), start);
  }
  return logits;
}

/** Fraction of predictions (logit > 0 ⇔ label 1) that match the 0/1 labels, as the scripts' mean_accuracy. */
export function cmnistAccuracy(logits: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (logits.length !== labels.length) throw new RangeError(`${logits.length} logits for ${labels.length} labels`);
  let correct = 0;
  for (let k = 0; k < logits.length; k++) if ((logits[k]! > 0 ? 1 : 0) === (labels[k]! > 0.5 ? 1 : 0)) correct++;
  return correct / logits.length;
}

/**
 * cmnist.py's entropy: −mean[p ln p + (1 − p) ln(1 − p + 1e-8)], p = σ(logit), in float64. Where p underflows to
 * 0, p ln p is taken as its limit 0 (float32 PyTorch would produce NaN there).
 */
export function meanBinaryEntropy(logits: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < logits.length; k++) {
    const z = logits[k]!;
    const p = 1 / (1 + Math.exp(-z));
    const pLogP = p > 0 ? p * Math.log(p) : 0;
    sum += pLogP + (1 - p) * Math.log(1 - p + 1e-8);
  }
  return -sum / logits.length;
}

export interface ProbeResult {
  readonly accuracy: number;
  readonly entropy: number;
}

/** Accuracy and mean entropy on an environment (images + 0/1 labels), or on the images at `positions`. */
export function evaluateCmnistEnv(
  model: Model,
  weights: Float32Array | Float64Array,
  env: { readonly images: Float32Array; readonly labels: ArrayLike<number> },
  positions?: ArrayLike<number>,
): ProbeResult {
  const logits = cmnistLogits(model, weights, env.images, positions);
  const labels = positions ? Array.from(positions, (p) => env.labels[p]!) : env.labels;
  return { accuracy: cmnistAccuracy(logits, labels), entropy: meanBinaryEntropy(logits) };
}

/** A run's claims: accuracy on the pooled training envs (as trained: all, or each env's first k) and on the test env. */
export function cmnistRunAccuracies(
  model: Model,
  weights: Float32Array | Float64Array,
  data: { readonly train: readonly CmnistSet[]; readonly test: CmnistSet },
): { trainAccuracy: number; testAccuracy: number } {
  const perEnv = data.train.map((env) => ({ n: env.labels.length, accuracy: evaluateCmnistEnv(model, weights, env).accuracy }));
  const trainCount = perEnv.reduce((a, e) => a + e.n, 0);
  return {
    trainAccuracy: perEnv.reduce((a, e) => a + e.n * e.accuracy, 0) / trainCount,
    testAccuracy: evaluateCmnistEnv(model, weights, data.test).accuracy,
  };
}

/**
 * The "global mean pixel" of the blank probes, on the 0–255 scale: cmnist.py's `images.float().mean(0).mean()`
 * over the test env's 14×14 images, i.e. the mean of every pixel of every test image (raw, before colouring).
 * Computed exactly (integer sum) in float64; PyTorch's float32 mean may differ from it in the last bits.
 */
export function globalMeanPixel(pack: MnistPack, plan: CmnistEnvPlan): number {
  const pixels = pack.rows * pack.cols;
  let sum = 0;
  for (const index of plan.indices) for (let p = 0; p < pixels; p++) sum += pack.images[index * pixels + p]!;
  return sum / (plan.indices.length * pixels);
}

export interface Fig4Probes {
  readonly digitGray: ProbeResult;
  readonly digitColoured: ProbeResult;
  readonly blankGray: ProbeResult;
  readonly blankColoured: ProbeResult;
}

/** The four probe inputs of Fig. 4 for the test env, in float32 as cmnist.py builds them. */
export function fig4ProbeInputs(pack: MnistPack, plan: CmnistEnvPlan): Record<keyof Fig4Probes, Float32Array> {
  const pixels = pack.rows * pack.cols;
  if (pixels !== CMNIST_PIXELS) throw new RangeError(`Colored MNIST probes need ${CMNIST_PIXELS}-pixel images, got ${pixels}`);
  const n = plan.indices.length;
  const mean32 = Math.fround(globalMeanPixel(pack, plan));
  const digitGray = new Float32Array(n * 2 * pixels);
  const blankGray = new Float32Array(n * 2 * pixels).fill(Math.fround(Math.fround(mean32 / 2) / 255));
  const blankColoured = new Float32Array(n * 2 * pixels);
  const colouredBlank = Math.fround(mean32 / 255);
  plan.indices.forEach((index, k) => {
    for (let p = 0; p < pixels; p++) {
      // gray=True: both channels = image / 2.0, then / 255.
      const value = Math.fround(pack.images[index * pixels + p]! / 2 / 255);
      digitGray[2 * k * pixels + p] = value;
      digitGray[(2 * k + 1) * pixels + p] = value;
    }
    blankColoured.fill(colouredBlank, (2 * k + plan.colours[k]!) * pixels, (2 * k + plan.colours[k]! + 1) * pixels);
  });
  return { digitGray, digitColoured: coloredMnistInputs(pack, plan), blankGray, blankColoured };
}

/**
 * Fig. 4 for one model: accuracy and mean entropy on digit·gray (both channels image/2), digit·coloured (the
 * test env), blank·gray and blank·coloured (every image replaced by the constant global-mean-pixel image, in
 * both channels halved, or in the image's colour channel). Labels (and the blank·coloured colours) are the test
 * env's: cmnist.py re-draws label noise and colours for each probe with torch.rand, which GS Lab cannot
 * reproduce; the probes keep the same distribution.
 */
export function fig4Probes(model: Model, weights: Float32Array | Float64Array, pack: MnistPack, plan: CmnistEnvPlan): Fig4Probes {
  const inputs = fig4ProbeInputs(pack, plan);
  const labels = plan.labels;
  const run = (images: Float32Array): ProbeResult => evaluateCmnistEnv(model, weights, { images, labels });
  return {
    digitGray: run(inputs.digitGray),
    digitColoured: run(inputs.digitColoured),
    blankGray: run(inputs.blankGray),
    blankColoured: run(inputs.blankColoured),
  };
}
