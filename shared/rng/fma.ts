// Exact float64 helpers (error-free sums and products, a correctly rounded fused multiply-add) for libm emulation.

const VELTKAMP_SPLITTER = 134217729; // 2^27 + 1
/** Below this magnitude the rounding error of a product may be lost to underflow. */
const MIN_SAFE_PRODUCT = 2 ** -968;
/** From this magnitude on, c's half-ulp dwarfs any product below MIN_SAFE_PRODUCT. */
const NEGLIGIBLE_PRODUCT_FLOOR = 2 ** -900;
/** Above this magnitude Veltkamp splitting may overflow. */
const MAX_SAFE_FACTOR = 2 ** 995;

const scratch = new DataView(new ArrayBuffer(8));

/** Error-free sum (Knuth): returns [s, e] with s = fl(a + b) and s + e = a + b exactly. */
export function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bVirtual = s - a;
  const aVirtual = s - bVirtual;
  return [s, (a - aVirtual) + (b - bVirtual)];
}

function splitHalves(a: number): [number, number] {
  const scaled = VELTKAMP_SPLITTER * a;
  const high = scaled - (scaled - a);
  return [high, a - high];
}

/** Error-free product (Dekker): returns [p, e] with p = fl(a * b) and p + e = a * b exactly. */
export function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const factorsFit = Math.abs(a) < MAX_SAFE_FACTOR && Math.abs(b) < MAX_SAFE_FACTOR;
  const productFits = p === 0 ? a === 0 || b === 0 : Math.abs(p) >= MIN_SAFE_PRODUCT;
  if (!(factorsFit && productFits)) {
    throw new RangeError(`twoProduct(${a}, ${b}) is outside the range where it is exact`);
  }
  const [aHigh, aLow] = splitHalves(a);
  const [bHigh, bLow] = splitHalves(b);
  return [p, ((aHigh * bHigh - p) + aHigh * bLow + aLow * bHigh) + aLow * bLow];
}

/** The neighbour of a non-zero double one unit in the last place towards zero. */
function stepTowardZero(value: number): number {
  scratch.setFloat64(0, value, true);
  const low = scratch.getUint32(0, true);
  if (low === 0) {
    scratch.setUint32(0, 0xffffffff, true);
    scratch.setUint32(4, scratch.getUint32(4, true) - 1, true);
  } else {
    scratch.setUint32(0, low - 1, true);
  }
  return scratch.getFloat64(0, true);
}

/** The neighbour of a double whose last significand bit is 0, one unit in the last place away from zero. */
function stepAwayFromZeroFromEven(value: number): number {
  scratch.setFloat64(0, value, true);
  scratch.setUint32(0, scratch.getUint32(0, true) | 1, true);
  return scratch.getFloat64(0, true);
}

function hasOddSignificand(value: number): boolean {
  scratch.setFloat64(0, value, true);
  return (scratch.getUint32(0, true) & 1) === 1;
}

/** a + b rounded to odd: exact results stay, inexact ones take the neighbour with an odd last bit. */
function addRoundToOdd(a: number, b: number): number {
  const [sum, error] = twoSum(a, b);
  if (error === 0 || hasOddSignificand(sum)) return sum;
  const errorPointsAwayFromZero = (error > 0) === (sum > 0);
  return errorPointsAwayFromZero ? stepAwayFromZeroFromEven(sum) : stepTowardZero(sum);
}

/**
 * Correctly rounded a*b + c (round to nearest even), as the hardware FMA instruction computes it.
 * Boldo & Melquiond's emulation: exact product, exact sum with c, the two error terms added with
 * rounding to odd, then one final round-to-nearest. Zero operands and products too small to reach
 * c's last bit are settled first; a product that overflows or loses bits to underflow with a tiny c
 * is outside what this emulation supports and throws.
 */
export function fma(a: number, b: number, c: number): number {
  if (a === 0 || b === 0) return a * b + c; // exact zero product: the plain sum is already single-rounded
  if (c === 0) return a * b; // nothing to add: one rounding of the product (keeps its sign on underflow)
  if (Math.abs(a * b) < MIN_SAFE_PRODUCT && Math.abs(c) >= NEGLIGIBLE_PRODUCT_FLOOR) return c;
  const [productHigh, productLow] = twoProduct(a, b);
  const [sumHigh, sumLow] = twoSum(c, productHigh);
  return sumHigh + addRoundToOdd(sumLow, productLow);
}

/** floor(a*b) of the exact product, for |a*b| < 2^52. */
export function floorOfProduct(a: number, b: number): number {
  const [high, low] = twoProduct(a, b);
  const highFloor = Math.floor(high);
  // A non-integer `high` sits at least one ulp from the next integer, beyond the reach of |low| <= ulp/2.
  if (highFloor !== high) return highFloor;
  return low < 0 ? high - 1 : high;
}
