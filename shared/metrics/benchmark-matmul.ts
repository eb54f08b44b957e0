// The matmul probe's computation, shared by the browser that times it and the Worker that checks it: the
// operands from the workunit's seed (whole numbers, so every product entry is exact in float32), each row's
// digest Σⱼ Cᵢⱼ², and the server's recomputation of a few rows it picks after the upload. A digest of squares,
// not a row sum: row sums of A·B equal A·(B·1), which costs n² and would not prove the n³ product was computed.
import { RandomState } from "../rng/random-state";

/** The probe's two n×n operands, row-major, entries uniform in [-range, range] from the seed. */
export function matmulOperands(seed: number, n: number, range: number): { a: Float32Array; b: Float32Array } {
  const random = new RandomState(seed);
  const draw = (): Float32Array => Float32Array.from({ length: n * n }, () => random.randomInterval(2 * range) - range);
  const a = draw();
  return { a, b: draw() };
}

/** Σⱼ Cᵢⱼ² of every row of a row-major n×n product (float64 sums). */
export function rowDigests(product: ArrayLike<number>, n: number): Float64Array {
  const digests = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += product[i * n + j]! ** 2;
    digests[i] = sum;
  }
  return digests;
}

/** The digest of row i of A·B, computed exactly in float64 (n² multiply-adds). */
export function rowDigestOf(a: Float32Array, b: Float32Array, n: number, i: number): number {
  const row = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const aik = a[i * n + k]!;
    if (aik === 0) continue;
    for (let j = 0; j < n; j++) row[j]! += aik * b[k * n + j]!;
  }
  let sum = 0;
  for (let j = 0; j < n; j++) sum += row[j]! ** 2;
  return sum;
}

/** Floating-point operations of one n×n · n×n product. */
export const matmulFlop = (n: number): number => 2 * n ** 3;
