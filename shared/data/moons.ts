// Two-moons data exactly as sklearn's make_moons and the paper's two_moons_dataset produce it (bit for bit).

import { fma } from "../rng/fma";
import { RandomState } from "../rng/random-state";
import { svmlCos, svmlSin } from "../rng/x86-libm";

export interface MoonsData {
  readonly n: number;
  /** n×2 row-major coordinates: point i is (x[2i], x[2i+1]). */
  readonly x: Float64Array;
  /** Class labels, 0 or 1. */
  readonly y: Uint8Array;
}

export interface MoonsTransform {
  readonly margin: number;
  readonly rotationDegrees: number;
}

const MIN_SAMPLES = 2;
const MAX_SAMPLES = 100_000;
/** Far beyond any useful angle, and well inside the range where numpy's sin/cos are emulated. */
const MAX_ROTATION_DEGREES = 1_000_000;
const DEFAULT_SAMPLES = 300;
const DEFAULT_NOISE = 0.1;

function validateSampleCount(nSamples: number): void {
  if (!Number.isInteger(nSamples) || nSamples < MIN_SAMPLES || nSamples > MAX_SAMPLES) {
    throw new RangeError(`nSamples must be an integer in [${MIN_SAMPLES}, ${MAX_SAMPLES}], got ${nSamples}`);
  }
}

function validateNoise(noise: number): void {
  if (!Number.isFinite(noise) || noise < 0) {
    throw new RangeError(`noise must be a finite number >= 0, got ${noise}`);
  }
}

function validateTransform(t: MoonsTransform): void {
  if (!Number.isFinite(t.margin)) throw new RangeError(`margin must be finite, got ${t.margin}`);
  if (!(Math.abs(t.rotationDegrees) <= MAX_ROTATION_DEGREES)) {
    throw new RangeError(
      `rotationDegrees must be finite with magnitude <= ${MAX_ROTATION_DEGREES}, got ${t.rotationDegrees}`,
    );
  }
}

/** numpy `linspace(0, stop, num)`: arange(num) * step (+ start, here 0), the last element pinned to `stop`. */
function linspaceFromZero(stop: number, num: number): Float64Array {
  const values = new Float64Array(num);
  if (num === 1) return values;
  const step = stop / (num - 1);
  for (let i = 0; i < num; i++) values[i] = i * step;
  values[num - 1] = stop;
  return values;
}

/** The noise-free, unshuffled half circles: outer moon (label 0) first, then inner moon (label 1). */
function cleanMoons(nSamples: number): { x: Float64Array; y: Uint8Array } {
  const nOuter = Math.floor(nSamples / 2);
  const nInner = nSamples - nOuter;
  const x = new Float64Array(2 * nSamples);
  const y = new Uint8Array(nSamples);
  linspaceFromZero(Math.PI, nOuter).forEach((angle, i) => {
    x[2 * i] = svmlCos(angle);
    x[2 * i + 1] = svmlSin(angle);
  });
  linspaceFromZero(Math.PI, nInner).forEach((angle, i) => {
    const row = nOuter + i;
    x[2 * row] = 1 - svmlCos(angle);
    x[2 * row + 1] = 1 - svmlSin(angle) - 0.5;
    y[row] = 1;
  });
  return { x, y };
}

/** sklearn.datasets.make_moons(nSamples, shuffle=True, noise, random_state=seed), bit for bit. */
export function makeMoons(nSamples: number, noise: number, seed: number): MoonsData {
  validateSampleCount(nSamples);
  validateNoise(noise);
  const rng = new RandomState(seed);
  const clean = cleanMoons(nSamples);

  // sklearn.utils.shuffle: permute arange(n) with the legacy shuffle, then gather the rows.
  const order = Array.from({ length: nSamples }, (_, i) => i);
  rng.shuffle(order);
  const x = new Float64Array(2 * nSamples);
  const y = new Uint8Array(nSamples);
  order.forEach((source, row) => {
    x[2 * row] = clean.x[2 * source]!;
    x[2 * row + 1] = clean.x[2 * source + 1]!;
    y[row] = clean.y[source]!;
  });

  // X += rng.normal(scale=noise, size=X.shape), drawn in C order.
  for (let k = 0; k < x.length; k++) x[k] = x[k]! + rng.normal(0, noise);
  return { n: nSamples, x, y };
}

/**
 * numpy's pairwise summation (`np.add.reduce` on float64, hence `mean`) of `count` values
 * `values[offset + i*stride]`: fewer than 8 are summed left to right; up to 128 go into eight
 * interleaved accumulators, combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the leftovers
 * are added left to right; longer runs split at half the count rounded down to a multiple of 8.
 */
export function numpyPairwiseSum(values: Float64Array, offset: number, count: number, stride: number): number {
  const at = (i: number): number => values[offset + i * stride]!;
  if (count < 8) {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += at(i);
    return sum;
  }
  if (count <= 128) {
    const r = [at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7)];
    let i = 8;
    for (; i < count - (count % 8); i += 8) {
      for (let lane = 0; lane < 8; lane++) r[lane] = r[lane]! + at(i + lane);
    }
    let sum = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < count; i++) sum += at(i);
    return sum;
  }
  const half = Math.floor(count / 2);
  const split = half - (half % 8);
  return (
    numpyPairwiseSum(values, offset, split, stride) +
    numpyPairwiseSum(values, offset + split * stride, count - split, stride)
  );
}

/** np.sign: -1, 0 or 1 (both zeros map to 0). */
function sign(value: number): number {
  if (value > 0) return 1;
  if (value < 0) return -1;
  return 0;
}

/**
 * X = X @ [[cos, -sin], [sin, cos]] as numpy computes it: the matmul goes to OpenBLAS dgemm, whose
 * kernel accumulates over the inner dimension with fused multiply-adds (acc = x0*R[0][j], then
 * acc = fma(x1, R[1][j], acc)); cos/sin are numpy's own, and theta is np.radians (deg * (pi/180)).
 */
function rotateRows(x: Float64Array, rotationDegrees: number): void {
  const theta = rotationDegrees * (Math.PI / 180);
  const c = svmlCos(theta);
  const s = svmlSin(theta);
  for (let k = 0; k < x.length; k += 2) {
    const x0 = x[k]!;
    const x1 = x[k + 1]!;
    x[k] = fma(x1, s, x0 * c);
    x[k + 1] = fma(x1, c, x0 * -s);
  }
}

/**
 * The paper's two_moons_dataset transform, with ypm = 2y - 1: shift by (0.5, 0.3·ypm), centre the
 * second coordinate on its mean, fold it so each class sits on its own side, push the classes apart
 * by `margin`, swap the two axes, then rotate by `rotationDegrees` (when non-zero). `raw` is untouched.
 */
export function transformMoons(raw: MoonsData, t: MoonsTransform): MoonsData {
  validateTransform(t);
  const { n } = raw;
  const plusMinus = (i: number): number => 2 * raw.y[i]! - 1;
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = raw.x[2 * i]! - 0.5;
    x[2 * i + 1] = raw.x[2 * i + 1]! - 0.3 * plusMinus(i);
  }
  const mean = numpyPairwiseSum(x, 1, n, 2) / n;
  for (let i = 0; i < n; i++) {
    const centred = x[2 * i + 1]! - mean;
    const folded = centred * sign(-centred * plusMinus(i));
    const separated = folded - plusMinus(i) * t.margin;
    x[2 * i + 1] = x[2 * i]!;
    x[2 * i] = separated;
  }
  if (t.rotationDegrees !== 0) rotateRows(x, t.rotationDegrees);
  return { n, x, y: Uint8Array.from(raw.y) };
}

/** makeMoons followed by the paper's transform: the dataset of the two-moons experiments. */
export function twoMoons(
  seed: number,
  t: MoonsTransform,
  nSamples: number = DEFAULT_SAMPLES,
  noise: number = DEFAULT_NOISE,
): MoonsData {
  return transformMoons(makeMoons(nSamples, noise, seed), t);
}
