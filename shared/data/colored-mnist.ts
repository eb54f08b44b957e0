// The Colored-MNIST environments of the authors' cmnist.py (from the IRM code) for restart r, rebuilt from the
// seed alone so that the browser trains on, and the Worker verifies against, the very same inputs.
//
// What follows cmnist.py exactly, and what cannot:
// - The split and the shuffle are exact: the first 50,000 images of the MNIST train split (original IDX order)
//   are shuffled by numpy's legacy `np.random.shuffle` after `np.random.seed(1234 + r)` (cmnist.py shuffles
//   images and labels from the same RNG state, i.e. by one permutation); env A = shuffled[0::2] (colour flip
//   e = 0.2), env B = shuffled[1::2] (e = 0.1); the last 10,000 images, unshuffled, are the test env (e = 0.9).
//   `RandomState` is numpy-exact, and the tests check the permutation against numpy 1.24.
// - The Bernoulli draws are GS Lab's own: cmnist.py draws them with `torch.rand`, whose stream cannot be
//   rebuilt here. GS Lab draws every one of them from a single `new RandomState([1234 + r, 2])` as
//   `randomDouble() < p`, in this fixed order: env A's 25,000 label-noise draws, then its 25,000 colour draws;
//   then env B's (same order); then the test env's 10,000 + 10,000 — the order in which cmnist.py calls
//   torch.rand. The environments have the paper's distribution, not the authors' exact coin flips.
// Per image: label = (digit < 5) XOR Bernoulli(0.25); colour = label XOR Bernoulli(e); the 14×14 image goes
// to channel `colour` and channel 1 − colour is zero; values / 255 in float32 → 392 inputs, channel-major
// (196 values of channel 0, then 196 of channel 1), as PyTorch's [N, 2, 14, 14] tensor flattened.
import type { MnistPack } from "./mnist-pack";
import { RandomState } from "../rng/random-state";

/** The first CMNIST_TRAIN_POOL images of the pack are the training pool; the rest is the test env. */
export const CMNIST_TRAIN_POOL = 50000;
export const CMNIST_LABEL_NOISE = 0.25;
export const CMNIST_SHUFFLE_SEED_BASE = 1234;
/** Second word of the Bernoulli stream's seed, `RandomState([1234 + r, 2])`. */
export const CMNIST_BERNOULLI_STREAM = 2;

export type CmnistEnvName = "train-a" | "train-b" | "test";

/** The three environments in the order cmnist.py builds them (and GS Lab draws their Bernoullis). */
export const CMNIST_ENVS: readonly { readonly name: CmnistEnvName; readonly colourFlip: number }[] = [
  { name: "train-a", colourFlip: 0.2 },
  { name: "train-b", colourFlip: 0.1 },
  { name: "test", colourFlip: 0.9 },
];

/** One environment without its pixels: what the Worker needs to rebuild any subset cheaply. */
export interface CmnistEnvPlan {
  readonly name: CmnistEnvName;
  readonly colourFlip: number;
  /** Index into the pack (original MNIST train order) of each of the env's images. */
  readonly indices: Uint32Array;
  /** The MNIST digit 0–9 of each image. */
  readonly digits: Uint8Array;
  /** The binary label, 0 or 1, after label noise. */
  readonly labels: Uint8Array;
  /** The colour, 0 or 1: the channel that carries the image. */
  readonly colours: Uint8Array;
}

export interface CmnistEnv {
  readonly name: CmnistEnvName;
  readonly colourFlip: number;
  /** n × (2·rows·cols) inputs, channel-major per image. */
  readonly images: Float32Array;
  /** Binary labels as 0/1 floats (the BCE targets). */
  readonly labels: Float32Array;
  readonly digits?: Uint8Array;
}

/**
 * numpy's `np.random.seed(1234 + r); np.random.shuffle(x)` as a permutation of 0..n−1:
 * the shuffled array is `x[perm[0]], x[perm[1]], …`.
 */
export function cmnistPermutation(restart: number, n = CMNIST_TRAIN_POOL): Uint32Array {
  const perm = Uint32Array.from({ length: n }, (_, k) => k);
  new RandomState(CMNIST_SHUFFLE_SEED_BASE + restart).shuffle(perm);
  return perm;
}

/** Bernoulli(p) draws as GS Lab makes them: `randomDouble() < p`, one per element, in order. */
function bernoulli(rs: RandomState, p: number, n: number): Uint8Array {
  const draws = new Uint8Array(n);
  for (let k = 0; k < n; k++) draws[k] = rs.randomDouble() < p ? 1 : 0;
  return draws;
}

function checkRestart(restart: number): void {
  if (!Number.isInteger(restart) || restart < 0 || restart > 0xffffffff - CMNIST_SHUFFLE_SEED_BASE) {
    throw new RangeError(`Colored MNIST: restart must be a non-negative integer, got ${restart}`);
  }
}

/**
 * The three environments of restart r as indices, digits, labels and colours — no pixels.
 * `digits` are the pack's labels (all images, original order); at least one image must follow the pool.
 */
export function coloredMnistPlan(digits: Uint8Array, restart: number): CmnistEnvPlan[] {
  checkRestart(restart);
  if (digits.length <= CMNIST_TRAIN_POOL) {
    throw new RangeError(`Colored MNIST needs more than ${CMNIST_TRAIN_POOL} images, got ${digits.length}`);
  }
  const perm = cmnistPermutation(restart);
  const test = Uint32Array.from({ length: digits.length - CMNIST_TRAIN_POOL }, (_, k) => CMNIST_TRAIN_POOL + k);
  const indicesOf = [perm.filter((_, k) => k % 2 === 0), perm.filter((_, k) => k % 2 === 1), test];
  const rs = new RandomState([CMNIST_SHUFFLE_SEED_BASE + restart, CMNIST_BERNOULLI_STREAM]);
  return CMNIST_ENVS.map(({ name, colourFlip }, e) => {
    const indices = indicesOf[e]!;
    const envDigits = Uint8Array.from(indices, (index) => digits[index]!);
    const n = indices.length;
    const labelNoise = bernoulli(rs, CMNIST_LABEL_NOISE, n);
    const labels = envDigits.map((digit, k) => Number(digit < 5) ^ labelNoise[k]!);
    const colourNoise = bernoulli(rs, colourFlip, n);
    const colours = labels.map((label, k) => label ^ colourNoise[k]!);
    return { name, colourFlip, indices, digits: envDigits, labels, colours };
  });
}

/**
 * The network inputs of an environment's images (all, or the env positions in `positions`):
 * per image 2·rows·cols float32 values, channel 0 then channel 1, the image / 255 in channel `colour`.
 */
export function coloredMnistInputs(pack: MnistPack, env: CmnistEnvPlan, positions?: ArrayLike<number>): Float32Array {
  const pixels = pack.rows * pack.cols;
  const count = positions ? positions.length : env.indices.length;
  const inputs = new Float32Array(count * 2 * pixels);
  for (let k = 0; k < count; k++) {
    const position = positions ? positions[k]! : k;
    const index = env.indices[position];
    if (index === undefined || index >= pack.count) {
      throw new RangeError(`Colored MNIST: position ${position} is outside env ${env.name} or the pack`);
    }
    const source = pack.images.subarray(index * pixels, (index + 1) * pixels);
    const offset = (2 * k + env.colours[position]!) * pixels;
    for (let p = 0; p < pixels; p++) inputs[offset + p] = source[p]! / 255;
  }
  return inputs;
}

/** The three environments of restart r with their inputs and float labels, as cmnist.py's make_environment. */
export function coloredMnistEnvironments(pack: MnistPack, restart: number): CmnistEnv[] {
  return coloredMnistPlan(pack.labels, restart).map((env) => ({
    name: env.name,
    colourFlip: env.colourFlip,
    images: coloredMnistInputs(pack, env),
    labels: Float32Array.from(env.labels),
    digits: env.digits,
  }));
}

/** A training or test set as the trainer and the float64 evaluation take it: n × 392 inputs, n 0/1 float labels. */
export interface CmnistSet {
  readonly images: Float32Array;
  readonly labels: Float32Array;
}

export interface CmnistRestartData {
  /** train-a and train-b: all 25,000 images each, or the first `examplesPerEnv`. */
  readonly train: readonly CmnistSet[];
  /** The test env (e = 0.9), all of it. */
  readonly test: CmnistSet;
  /** The test env's plan, for the Fig. 4 probes. */
  readonly testPlan: CmnistEnvPlan;
}

/** Restart r's environments; with `examplesPerEnv`, only the first k images of each training env are built. */
export function cmnistRestartData(pack: MnistPack, restart: number, examplesPerEnv: number | null = null): CmnistRestartData {
  const [trainA, trainB, testPlan] = coloredMnistPlan(pack.labels, restart) as [CmnistEnvPlan, CmnistEnvPlan, CmnistEnvPlan];
  const setOf = (plan: CmnistEnvPlan, count: number): CmnistSet => {
    const positions = Uint32Array.from({ length: count }, (_, k) => k);
    return { images: coloredMnistInputs(pack, plan, positions), labels: Float32Array.from(plan.labels.subarray(0, count)) };
  };
  const trainCount = (plan: CmnistEnvPlan) => Math.min(examplesPerEnv ?? plan.labels.length, plan.labels.length);
  return {
    train: [setOf(trainA, trainCount(trainA)), setOf(trainB, trainCount(trainB))],
    test: setOf(testPlan, testPlan.labels.length),
    testPlan,
  };
}
