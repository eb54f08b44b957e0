// Checks makeMoons / transformMoons against sklearn 1.2.1 + numpy 1.24 output, bit for bit.
import { describe, expect, it } from "vitest";
import { RandomState } from "../rng/random-state";
import extra from "./fixtures/make_moons_extra.json";
import raw from "./fixtures/make_moons_n300_noise0.1_seeds0-9.json";
import transformed from "./fixtures/two_moons_transformed_examples.json";
import { type MoonsData, makeMoons, numpyPairwiseSum, transformMoons, twoMoons } from "./moons";

/** Every coordinate whose float64 bit pattern differs (Object.is), plus label differences. */
function mismatches(actual: MoonsData, expectedX: readonly number[], expectedY: readonly number[]): string[] {
  expect(actual.n).toBe(expectedY.length);
  expect(actual.x.length).toBe(expectedX.length);
  const coordinates = expectedX.flatMap((want, k) =>
    Object.is(actual.x[k], want) ? [] : [`x[${k}]: got ${actual.x[k]}, want ${want}`],
  );
  const labels = expectedY.flatMap((want, i) => (actual.y[i] === want ? [] : [`y[${i}]: got ${actual.y[i]}, want ${want}`]));
  return [...coordinates, ...labels];
}

/** Parses the team file's case keys, e.g. "seed=0,margin=-0.1,rotation=45.0". */
function parseCaseKey(key: string): { seed: number; margin: number; rotationDegrees: number } {
  const fields = Object.fromEntries(key.split(",").map((part) => part.split("=") as [string, string]));
  return { seed: Number(fields.seed), margin: Number(fields.margin), rotationDegrees: Number(fields.rotation) };
}

describe("makeMoons", () => {
  it.each(Object.entries(raw.seeds))("equals sklearn make_moons(300, noise=0.1) for seed %s", (seed, expected) => {
    const data = makeMoons(300, 0.1, Number(seed));
    expect(mismatches(data, expected.X.flat(), expected.y)).toEqual([]);
  });

  it.each(extra.make_moons.map((c) => [`n=${c.n_samples} noise=${c.noise} seed=${c.seed}`, c] as const))(
    "equals sklearn for %s",
    (_, c) => {
      expect(mismatches(makeMoons(c.n_samples, c.noise, c.seed), c.X, c.y)).toEqual([]);
    },
  );

  it("equals sklearn at sampled rows of a 100,000-point set", () => {
    const [c] = extra.make_moons_sampled;
    const data = makeMoons(c!.n_samples, c!.noise, c!.seed);
    const sampled: MoonsData = {
      n: c!.rows.length,
      x: Float64Array.from(c!.rows.flatMap((row) => [data.x[2 * row]!, data.x[2 * row + 1]!])),
      y: Uint8Array.from(c!.rows.map((row) => data.y[row]!)),
    };
    expect(mismatches(sampled, c!.X, c!.y)).toEqual([]);
  });

  it("rejects invalid arguments", () => {
    for (const n of [1, 0, -5, 2.5, 100_001, Number.NaN]) expect(() => makeMoons(n, 0.1, 0)).toThrow(/nSamples/);
    for (const noise of [-0.1, Number.NaN, Infinity]) expect(() => makeMoons(300, noise, 0)).toThrow(/noise/);
    expect(() => makeMoons(300, 0.1, -1)).toThrow(RangeError);
    expect(() => makeMoons(300, 0.1, 2 ** 32)).toThrow(RangeError);
  });
});

describe("transformMoons", () => {
  it.each(Object.entries(transformed.cases))("equals the paper's transform for %s", (key, expected) => {
    const { seed, margin, rotationDegrees } = parseCaseKey(key);
    const data = transformMoons(makeMoons(300, 0.1, seed), { margin, rotationDegrees });
    expect(mismatches(data, expected.X.flat(), expected.y)).toEqual([]);
  });

  it.each(extra.transformed.map((c) => [`n=${c.n_samples} seed=${c.seed} margin=${c.margin} rotation=${c.rotation}`, c] as const))(
    "equals the paper's transform for %s",
    (_, c) => {
      const data = transformMoons(makeMoons(c.n_samples, c.noise, c.seed), {
        margin: c.margin,
        rotationDegrees: c.rotation,
      });
      expect(mismatches(data, c.X, c.y)).toEqual([]);
    },
  );

  it("does not modify its input", () => {
    const data = makeMoons(40, 0.1, 3);
    const before = Float64Array.from(data.x);
    transformMoons(data, { margin: 0.2, rotationDegrees: 30 });
    expect(data.x).toEqual(before);
  });

  it("rejects non-finite or absurd parameters", () => {
    const data = makeMoons(10, 0.1, 0);
    expect(() => transformMoons(data, { margin: Number.NaN, rotationDegrees: 0 })).toThrow(/margin/);
    expect(() => transformMoons(data, { margin: 0.1, rotationDegrees: Infinity })).toThrow(/rotationDegrees/);
    expect(() => transformMoons(data, { margin: 0.1, rotationDegrees: 1e7 })).toThrow(/rotationDegrees/);
  });
});

describe("twoMoons", () => {
  it("is makeMoons(300, 0.1) followed by the transform", () => {
    const t = { margin: -0.1, rotationDegrees: 45 };
    expect(twoMoons(7, t)).toEqual(transformMoons(makeMoons(300, 0.1, 7), t));
    expect(twoMoons(7, t, 51, 0.2)).toEqual(transformMoons(makeMoons(51, 0.2, 7), t));
  });
});

describe("numpyPairwiseSum", () => {
  it.each(extra.pairwise_sum.map((c) => [c.n, c] as const))("equals np.add.reduce of a strided column, n=%i", (n, c) => {
    const rs = new RandomState(c.seed);
    const matrix = Float64Array.from({ length: 2 * n }, () => rs.standardNormal());
    expect(numpyPairwiseSum(matrix, 1, n, 2)).toBe(c.sum);
  });
});
