// Bit-exact port of the subset of numpy's legacy RandomState (MT19937) that sklearn's make_moons uses.

import { glibcLog } from "./x86-libm";

const STATE_SIZE = 624;
const SHIFT_SIZE = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MAX_UINT32 = 0xffffffff;
const INIT_BY_ARRAY_SEED = 19650218;

/** Seed accepted by numpy's `RandomState(seed)`: one uint32, or a non-empty array of uint32. */
export type RandomStateSeed = number | readonly number[];

function isUint32(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_UINT32;
}

/** Knuth's MT19937 initialisation (`init_genrand`), as numpy does for an integer seed. */
function initGenrand(mt: Uint32Array, seed: number): void {
  mt[0] = seed >>> 0;
  for (let i = 1; i < STATE_SIZE; i++) {
    const previous = mt[i - 1]!;
    mt[i] = (Math.imul(1812433253, (previous ^ (previous >>> 30)) >>> 0) + i) >>> 0;
  }
}

/** MT19937 `init_by_array`, as numpy does for an array seed. */
function initByArray(mt: Uint32Array, key: readonly number[]): void {
  initGenrand(mt, INIT_BY_ARRAY_SEED);
  let i = 1;
  let j = 0;
  for (let k = Math.max(STATE_SIZE, key.length); k > 0; k--) {
    const previous = mt[i - 1]!;
    const mixed = Math.imul((previous ^ (previous >>> 30)) >>> 0, 1664525);
    mt[i] = ((mt[i]! ^ mixed) >>> 0) + key[j]! + j;
    i++;
    j++;
    if (i >= STATE_SIZE) {
      mt[0] = mt[STATE_SIZE - 1]!;
      i = 1;
    }
    if (j >= key.length) j = 0;
  }
  for (let k = STATE_SIZE - 1; k > 0; k--) {
    const previous = mt[i - 1]!;
    const mixed = Math.imul((previous ^ (previous >>> 30)) >>> 0, 1566083941);
    mt[i] = ((mt[i]! ^ mixed) >>> 0) - i;
    i++;
    if (i >= STATE_SIZE) {
      mt[0] = mt[STATE_SIZE - 1]!;
      i = 1;
    }
  }
  mt[0] = UPPER_MASK;
}

function validateSeed(seed: RandomStateSeed): void {
  if (typeof seed === "number") {
    if (!isUint32(seed)) {
      throw new RangeError(`RandomState seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    return;
  }
  if (!Array.isArray(seed) || seed.length === 0) {
    throw new RangeError("RandomState seed array must be non-empty");
  }
  seed.forEach((value, index) => {
    if (!isUint32(value)) {
      throw new RangeError(
        `RandomState seed array entries must be integers in [0, 2^32 - 1], got ${String(value)} at index ${index}`,
      );
    }
  });
}

/** Smallest all-ones bit mask that covers `max` (0 < max < 2^32). */
function coveringMask(max: number): number {
  let mask = max >>> 0;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}

export class RandomState {
  private readonly mt = new Uint32Array(STATE_SIZE);
  private position = STATE_SIZE;
  private hasGauss = false;
  private cachedGauss = 0;

  constructor(seed: RandomStateSeed) {
    validateSeed(seed);
    if (typeof seed === "number") initGenrand(this.mt, seed);
    else initByArray(this.mt, seed);
  }

  /** MT19937 `genrand_int32`: the next tempered 32-bit output. */
  nextUint32(): number {
    if (this.position >= STATE_SIZE) this.regenerate();
    let y = this.mt[this.position++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy `random_sample`: a 53-bit double in [0, 1) built from two outputs. */
  randomDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Legacy `uniform(low, high)`. */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.randomDouble();
  }

  /**
   * Legacy `legacy_gauss`: polar Box–Muller, returning the cached second value on alternate calls.
   * The logarithm is glibc's (what numpy calls), not Math.log, which differs in the last bit for ~5% of inputs.
   */
  standardNormal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const cached = this.cachedGauss;
      this.cachedGauss = 0;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.randomDouble() - 1;
      x2 = 2 * this.randomDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const factor = Math.sqrt((-2 * glibcLog(r2)) / r2);
    this.cachedGauss = factor * x1;
    this.hasGauss = true;
    return factor * x2;
  }

  /** Legacy `normal(loc, scale)`. */
  normal(loc: number, scale: number): number {
    return loc + scale * this.standardNormal();
  }

  /** Legacy `random_interval`: uniform integer in [0, max] by mask-and-reject (0 <= max < 2^32). */
  randomInterval(max: number): number {
    if (!isUint32(max)) {
      throw new RangeError(`randomInterval max must be an integer in [0, 2^32 - 1], got ${max}`);
    }
    if (max === 0) return 0;
    const mask = coveringMask(max);
    let value: number;
    do {
      value = (this.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /** Legacy 1-D in-place `shuffle` (Fisher–Yates from the end). */
  shuffle(values: { length: number; [i: number]: unknown }): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const held = values[i];
      values[i] = values[j];
      values[j] = held;
    }
  }

  /** Refill the whole MT19937 state block (the classic `genrand_int32` twist). */
  private regenerate(): void {
    const mt = this.mt;
    for (let k = 0; k < STATE_SIZE; k++) {
      const y = (mt[k]! & UPPER_MASK) | (mt[(k + 1) % STATE_SIZE]! & LOWER_MASK);
      const twisted = (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      mt[k] = mt[(k + SHIFT_SIZE) % STATE_SIZE]! ^ twisted;
    }
    this.position = 0;
  }
}
