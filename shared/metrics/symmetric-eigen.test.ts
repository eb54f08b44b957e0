import { describe, expect, it } from "vitest";
import { RandomState } from "../rng/random-state";
import { symmetricEigen, type SymmetricEigen } from "./symmetric-eigen";

/** A random n×n orthogonal matrix: the product of `n` Householder reflections I − 2vvᵀ/vᵀv (row-major). */
function randomOrthogonal(n: number, rng: RandomState): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let reflection = 0; reflection < n; reflection++) {
    const v = Float64Array.from({ length: n }, () => rng.normal(0, 1));
    const vv = v.reduce((sum, x) => sum + x * x, 0);
    for (let row = 0; row < n; row++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += q[row * n + k]! * v[k]!;
      for (let k = 0; k < n; k++) q[row * n + k] = q[row * n + k]! - (2 * dot * v[k]!) / vv;
    }
  }
  return q;
}

/** Q·diag(λ)·Qᵀ, row-major. */
function compose(q: Float64Array, lambda: readonly number[]): Float64Array {
  const n = lambda.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += q[i * n + k]! * lambda[k]! * q[j * n + k]!;
      a[i * n + j] = sum;
    }
  }
  return a;
}

const frobenius = (a: Float64Array): number => Math.sqrt(a.reduce((sum, x) => sum + x * x, 0));

function reconstructionError(a: Float64Array, { values, vectors }: SymmetricEigen): number {
  const rebuilt = compose(vectors, Array.from(values));
  return frobenius(rebuilt.map((x, i) => x - a[i]!)) / frobenius(a);
}

function orthogonalityError({ vectors }: SymmetricEigen, n: number): number {
  let worst = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += vectors[i * n + a]! * vectors[i * n + b]!;
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

/** |⟨column k of the result, column `source` of Q⟩|: 1 when the eigenvector is recovered up to sign. */
function alignment(result: SymmetricEigen, k: number, q: Float64Array, source: number, n: number): number {
  let dot = 0;
  for (let i = 0; i < n; i++) dot += result.vectors[i * n + k]! * q[i * n + source]!;
  return Math.abs(dot);
}

const descending = (lambda: readonly number[]): number[] => [...lambda].sort((a, b) => b - a);

const cases: Record<string, number[]> = {
  "distinct eigenvalues": Array.from({ length: 40 }, (_, k) => 1 + k * 0.37),
  "distinct, mixed signs": Array.from({ length: 25 }, (_, k) => (k % 2 === 0 ? 1 : -1) * (k + 1) * 0.9),
  "repeated eigenvalues": [5, 5, 5, 2, 2, 1, 0.5, 0.5, 0.5, 0.5, 3, 3],
  "near-repeated eigenvalues": [1, 1 + 1e-12, 1 + 2e-12, 2, 2 + 1e-9, 0.3, 0.3 + 1e-14, 7],
  "rank-deficient PSD": [...Array.from({ length: 10 }, (_, k) => 10 ** (2 - k / 2)), ...new Array<number>(20).fill(0)],
  "widely spread spectrum": Array.from({ length: 30 }, (_, k) => 10 ** (3 - k / 2)),
};

describe("symmetricEigen against Q·diag(λ)·Qᵀ with a known orthogonal Q", () => {
  for (const [name, lambda] of Object.entries(cases)) {
    it(name, () => {
      const n = lambda.length;
      const q = randomOrthogonal(n, new RandomState(n));
      const a = compose(q, lambda);
      const result = symmetricEigen(a, n);
      const scale = Math.max(...lambda.map(Math.abs));

      expect(reconstructionError(a, result)).toBeLessThan(1e-12);
      expect(orthogonalityError(result, n)).toBeLessThan(1e-12);
      descending(lambda).forEach((expected, k) => expect(Math.abs(result.values[k]! - expected)).toBeLessThan(1e-12 * scale));

      // Eigenvectors are unique (up to sign) only for eigenvalues well separated from the others.
      const sorted = descending(lambda);
      sorted.forEach((value, k) => {
        const gap = Math.min(...sorted.filter((_, other) => other !== k).map((other) => Math.abs(other - value)));
        if (gap < 1e-3 * scale) return;
        const source = lambda.indexOf(value);
        expect(alignment(result, k, q, source, n)).toBeCloseTo(1, 10);
      });
    });
  }
});

describe("symmetricEigen conventions", () => {
  const n = 17;
  const a = compose(randomOrthogonal(n, new RandomState(5)), Array.from({ length: n }, (_, k) => k - 8));

  it("makes the largest-magnitude entry of every eigenvector positive", () => {
    const { vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      const column = Array.from({ length: n }, (_, i) => vectors[i * n + k]!);
      const largest = column.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it("is deterministic and leaves its input untouched", () => {
    const copy = Float64Array.from(a);
    expect(symmetricEigen(a, n)).toEqual(symmetricEigen(copy, n));
    expect(a).toEqual(copy);
  });

  it("reads only the upper triangle", () => {
    const upper = Float64Array.from(a);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) upper[i * n + j] = Number.NaN;
    expect(symmetricEigen(upper, n)).toEqual(symmetricEigen(a, n));
  });

  it("handles 1×1, diagonal and zero matrices", () => {
    expect(symmetricEigen(Float64Array.of(-3), 1)).toEqual({ values: Float64Array.of(-3), vectors: Float64Array.of(1) });
    const diagonal = symmetricEigen(Float64Array.of(1, 0, 0, 0, 4, 0, 0, 0, 2), 3);
    expect(Array.from(diagonal.values)).toEqual([4, 2, 1]);
    expect(Array.from(diagonal.vectors)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    const zero = symmetricEigen(new Float64Array(16), 4);
    expect(Array.from(zero.values)).toEqual([0, 0, 0, 0]);
    expect(orthogonalityError(zero, 4)).toBe(0);
  });

  it("rejects a matrix that is not n×n, and non-finite entries", () => {
    expect(() => symmetricEigen(new Float64Array(6), 2)).toThrow(RangeError);
    expect(() => symmetricEigen(new Float64Array(4), 0)).toThrow(RangeError);
    expect(() => symmetricEigen(Float64Array.of(1, Number.NaN, Number.NaN, 2), 2)).toThrow(RangeError);
  });
});
