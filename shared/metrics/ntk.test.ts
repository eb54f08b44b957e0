import { describe, expect, it } from "vitest";
import { twoMoons, type MoonsData } from "../data/moons";
import { initialWeights } from "../nn/init";
import { RandomState } from "../rng/random-state";
import reference from "./fixtures/ntk_reference.json";
import { mlpForward } from "./mlp-math";
import { absFeatures, ntkFeatures, ntkJacobian, ntkKernel } from "./ntk";

const spec = { layerSizes: [2, 500, 1] };
const PARAMS = 2001;
// Fig. 2(b), seed 0: the case scripts/fixtures/ntk_reference.py computes with torch.
const data = twoMoons(0, { margin: 0.1, rotationDegrees: 0 });
const weights = initialWeights(spec, 0);
const jacobian = ntkJacobian(weights, data);
const kernel = ntkKernel(jacobian, data.n);
const features = ntkFeatures(weights, data);
const outputs = mlpForward(spec, weights, data.x);

const firstPoints = (moons: MoonsData, n: number): MoonsData => ({ n, x: moons.x.slice(0, 2 * n), y: moons.y.slice(0, n) });

/** Distance from each of the reference singular values to its nearest neighbour, relative to the largest. */
const relativeGaps = (s: readonly number[]): number[] =>
  s.map((value, k) => Math.min(k > 0 ? s[k - 1]! - value : Infinity, k + 1 < s.length ? value - s[k + 1]! : Infinity) / s[0]!);

describe("ntkJacobian", () => {
  it("matches central finite differences of mlpForward for every parameter", () => {
    const points = firstPoints(data, 6);
    const j = ntkJacobian(weights, points);
    const base = Float64Array.from(weights);
    const h = 1e-6;
    for (let c = 0; c < PARAMS; c++) {
      const plus = Float64Array.from(base);
      const minus = Float64Array.from(base);
      plus[c] = plus[c]! + h;
      minus[c] = minus[c]! - h;
      const up = mlpForward(spec, plus, points.x);
      const down = mlpForward(spec, minus, points.x);
      for (let p = 0; p < points.n; p++) {
        expect(Math.abs(j[p * PARAMS + c]! - (up[p]! - down[p]!) / (2 * h))).toBeLessThan(1e-8);
      }
    }
  });

  it("matches torch.autograd's Jacobian (rows 0 and 299, in mlpParams column order)", () => {
    for (const [row, values] of Object.entries(reference.jacobian_rows)) {
      values.forEach((value, c) => expect(Math.abs(jacobian[Number(row) * PARAMS + c]! - value)).toBeLessThan(1e-15));
    }
  });

  it("gives the same Jacobian for float32 weights and their float64 copy", () => {
    expect(ntkJacobian(Float64Array.from(weights), data)).toEqual(jacobian);
  });

  it("rejects weights that are not a 2-H-1 network's", () => {
    expect(() => ntkJacobian(new Float32Array(2000), data)).toThrow(RangeError);
  });
});

describe("ntkKernel", () => {
  it("has torch's diagonal (the squared norms of all 300 Jacobian rows)", () => {
    reference.kernel_diagonal.forEach((value, p) => expect(Math.abs(kernel[p * data.n + p]! - value)).toBeLessThan(1e-14 * value));
  });

  it("is J·Jᵀ, exactly symmetric, for a row count that is not a multiple of four", () => {
    const rng = new RandomState(3);
    const [n, width] = [7, 5];
    const j = Float64Array.from({ length: n * width }, () => rng.normal(0, 1));
    const k = ntkKernel(j, n);
    for (let p = 0; p < n; p++) {
      for (let q = 0; q < n; q++) {
        let sum = 0;
        for (let c = 0; c < width; c++) sum += j[p * width + c]! * j[q * width + c]!;
        expect(k[p * n + q]).toBe(sum);
      }
    }
  });
});

describe("ntkFeatures against torch.svd(K)", () => {
  const s = reference.singular_values;
  const gaps = relativeGaps(s);

  it("gives the singular values to 1e-9 relative; the 6 below 1e-9·S[0] (float64 noise) to 1e-14·S[0]", () => {
    const floor = 1e-9 * s[0]!;
    expect(s.filter((value) => value < floor)).toHaveLength(6);
    s.forEach((value, k) => {
      const tolerance = value >= floor ? 1e-9 * value : 1e-14 * s[0]!;
      expect(Math.abs(features.eigenvalues[k]! - value)).toBeLessThanOrEqual(tolerance);
    });
  });

  it("gives |U| for the columns whose eigenvalue is well separated (k = 0..8: gap ≥ 1e-4·S[0])", () => {
    const separated = reference.abs_u_columns.map((_, k) => k).filter((k) => gaps[k]! >= 1e-4);
    expect(separated).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const k of separated) {
      reference.abs_u_columns[k]!.forEach((value, i) => expect(Math.abs(Math.abs(features.U[i * data.n + k]!) - value)).toBeLessThan(1e-12));
    }
  });

  it("gives |yhatᵀU|_k at init for every k < 32 whose eigenvalue is separated (gap ≥ 1e-6·S[0]), the paper's 1 and 6 among them", () => {
    expect(outputs.every((value, i) => Math.abs(value - reference.yhat_init[i]!) < 1e-14)).toBe(true);
    const z = absFeatures(outputs, features.U, 32);
    const separated = reference.abs_features.map((_, k) => k).filter((k) => gaps[k]! >= 1e-6);
    expect(separated).toEqual(expect.arrayContaining([1, 6]));
    expect(separated).toHaveLength(28); // all but the close pairs (21, 22) and (28, 29)
    for (const k of separated) expect(Math.abs(z[k]! - reference.abs_features[k]!)).toBeLessThan(1e-10);
  });

  it("is deterministic", () => {
    expect(ntkFeatures(weights, data)).toEqual(features);
  });
});

describe("absFeatures", () => {
  it("projects the outputs on the first `count` columns of U (0-based k) and takes |·|", () => {
    const U = Float64Array.of(1, 0, 0, 0, 0, -1, 0, 1, 0); // columns e0, e2, -e1
    expect(Array.from(absFeatures(Float64Array.of(2, -3, 5), U, 3))).toEqual([2, 5, 3]);
    expect(Array.from(absFeatures(Float64Array.of(2, -3, 5), U, 2))).toEqual([2, 5]);
  });

  it("rejects a U of the wrong size and a count beyond n", () => {
    expect(() => absFeatures(new Float64Array(3), new Float64Array(8), 1)).toThrow(RangeError);
    expect(() => absFeatures(new Float64Array(3), new Float64Array(9), 4)).toThrow(RangeError);
  });
});
