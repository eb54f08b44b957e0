// Checks the emulated fused multiply-add against exact rational arithmetic (BigInt).
import { describe, expect, it } from "vitest";
import { floorOfProduct, fma, twoProduct, twoSum } from "./fma";
import { RandomState } from "./random-state";

const bitsView = new DataView(new ArrayBuffer(8));

/** x = mantissa * 2^exponent exactly. */
function toExact(x: number): { mantissa: bigint; exponent: number } {
  bitsView.setFloat64(0, x);
  const bits = bitsView.getBigUint64(0);
  const field = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const magnitude = field === 0 ? fraction : fraction | (1n << 52n);
  return { mantissa: bits >> 63n ? -magnitude : magnitude, exponent: (field === 0 ? 1 : field) - 1075 };
}

/** mantissa * 2^exponent rounded to the nearest double (ties to even); normal-range results only. */
function roundToDouble(mantissa: bigint, exponent: number): number {
  const negative = mantissa < 0n;
  let magnitude = negative ? -mantissa : mantissa;
  const shift = magnitude.toString(2).length - 53;
  if (shift > 0) {
    let kept = magnitude >> BigInt(shift);
    const dropped = magnitude - (kept << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (dropped > half || (dropped === half && (kept & 1n) === 1n)) kept += 1n;
    magnitude = kept;
    exponent += shift;
  }
  const value = Number(magnitude) * 2 ** exponent;
  return negative ? -value : value;
}

function exactFma(a: number, b: number, c: number): number {
  const x = toExact(a);
  const y = toExact(b);
  const z = toExact(c);
  const productExponent = x.exponent + y.exponent;
  const base = Math.min(productExponent, z.exponent);
  const sum =
    ((x.mantissa * y.mantissa) << BigInt(productExponent - base)) + (z.mantissa << BigInt(z.exponent - base));
  return sum === 0n ? 0 : roundToDouble(sum, base);
}

/** Random doubles with random signs and binary exponents in [-range, range]. */
function randomDouble(rs: RandomState, range: number): number {
  const exponent = rs.randomInterval(2 * range) - range;
  return (2 * rs.randomDouble() - 1) * 2 ** exponent;
}

describe("fma", () => {
  it("agrees with exact arithmetic on random operands", () => {
    const rs = new RandomState(20240601);
    const mismatches: string[] = [];
    let naiveDiffers = 0;
    for (let trial = 0; trial < 20000; trial++) {
      const a = randomDouble(rs, 30);
      const b = randomDouble(rs, 30);
      // Put c near -a*b half the time so that cancellation and midpoints are exercised.
      const c = trial % 2 === 0 ? randomDouble(rs, 60) : -(a * b) * (1 + (rs.randomInterval(64) - 32) * 2 ** -52);
      const want = exactFma(a, b, c);
      if (!Object.is(fma(a, b, c), want)) mismatches.push(`fma(${a}, ${b}, ${c})`);
      if (a * b + c !== want) naiveDiffers++;
    }
    expect(mismatches).toEqual([]);
    expect(naiveDiffers).toBeGreaterThan(1000);
  });

  it("rounds ties in the error terms correctly", () => {
    const ulp = 2 ** -52;
    const cases: [number, number, number][] = [
      [1 + ulp, 1 + ulp, -1],
      [1 + ulp, 1 - ulp, -1],
      [1 + 3 * ulp, 1 + 5 * ulp, -(1 + 8 * ulp)],
      [2 ** 27 + 1, 2 ** 27 - 1, -(2 ** 54)],
      [1 - ulp / 2, 1 + ulp, 2 ** -60],
      [3, 1 / 3, -1],
    ];
    for (const [a, b, c] of cases) expect(fma(a, b, c)).toBe(exactFma(a, b, c));
  });

  it("handles zeros and negligible products like the hardware", () => {
    expect(Object.is(fma(-0, 3, -0), -0)).toBe(true);
    expect(Object.is(fma(2, 3, -6), 0)).toBe(true);
    expect(fma(1e-300, 1e-10, 1)).toBe(1);
    expect(fma(1e-200, 1e-200, 0)).toBe(0);
  });

  it("refuses operands outside its exact range", () => {
    expect(() => fma(1e-160, 1e-160, 1e-300)).toThrow(RangeError);
    expect(() => fma(1e300, 2, 1)).toThrow(RangeError);
  });
});

describe("error-free transformations", () => {
  it("twoSum and twoProduct return the exact rounding error", () => {
    const [s, e] = twoSum(1, 2 ** -60);
    expect([s, e]).toEqual([1, 2 ** -60]);
    const [p, err] = twoProduct(1 + 2 ** -52, 1 + 2 ** -52);
    expect([p, err]).toEqual([1 + 2 ** -51, 2 ** -104]);
  });

  it("floorOfProduct floors the exact product, not the rounded one", () => {
    const [a, b] = [1 + 2 ** -52, 1 - 2 ** -52]; // exact product 1 - 2^-104
    expect(a * b).toBe(1); // the rounded product is an integer...
    expect(floorOfProduct(a, b)).toBe(0); // ...but the exact one lies below it
    expect(floorOfProduct(3 - 2 ** -51, 1)).toBe(2);
    expect(floorOfProduct(7, 0.5)).toBe(3);
    expect(floorOfProduct(-7, 0.5)).toBe(-4);
  });
});
