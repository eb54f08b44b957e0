// Dropout masks from a counter-based generator: the mask of any (seed, step) can be computed on its own,
// identically by the trainer (browser or Node) and by the server's replay.
//
// keep(seed, step, i) = u(seed, step, i) >= p with u = hash32(i + hash32(step + hash32(seed + 0x9E3779B9))) / 2^32,
// hash32 = Chris Wellons' "lowbias32" integer hash, all sums mod 2^32; kept units are scaled by 1/(1-p)
// (inverted dropout, as torch.nn.Dropout). i runs over the n×width pre-activation in row-major order.

const GOLDEN = 0x9e3779b9;

/** lowbias32: a 32-bit integer hash with a good avalanche (xorshift-multiply). */
export function hash32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** The step's mask over n×width units: 0 for dropped units, 1/(1-p) for kept ones. */
export function dropoutMask(seed: number, step: number, size: number, p: number): Float32Array {
  const mask = new Float32Array(size);
  const scale = 1 / (1 - p);
  const threshold = p * 2 ** 32;
  const stepKey = hash32(step + hash32(seed + GOLDEN));
  for (let i = 0; i < size; i++) mask[i] = hash32(i + stepKey) >= threshold ? scale : 0;
  return mask;
}
