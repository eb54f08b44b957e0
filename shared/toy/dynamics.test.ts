import { describe, expect, it } from "vitest";
import { sigmoid } from "../metrics/loss";
import { fig6Dual, fig6PrimalSd, fig6PrimalWeightDecay, TOY_PROTOCOLS } from "../protocols/toy";
import { AUTHORS_SEED, clampAlpha, FIG6_V, numpyRandn2x2, rotationU, toyRecordSteps, toyTrajectory, type Matrix2, type ToySpec } from "./dynamics";
import reference from "./fixtures/toy_reference.json";

type Dtype = "float64" | "float32";
interface ReferenceRun {
  readonly steps: number[];
  readonly z: number[][];
  readonly finalLoss: number;
}
const referenceRun = (spec: ToySpec, s1: number, dtype: Dtype): ReferenceRun =>
  (reference.runs as Record<string, Record<string, Record<Dtype, ReferenceRun>>>)[spec.solver]![String(s1)]![dtype];

const REFERENCE_EVERY = 500;
const NUMPY_V = reference.V.flat() as unknown as Matrix2;
const specs = TOY_PROTOCOLS.map((p) => p.toy);
const endPoint = (spec: ToySpec, s1: number, v?: Matrix2): [number, number] => {
  const { z1, z2 } = toyTrajectory(spec, s1, spec.steps, v);
  return [Math.abs(z1.at(-1)!), Math.abs(z2.at(-1)!)];
};

/** Largest |difference| between our z and the fixture's at the fixture's records (every 500 and the last). */
function largestGap(spec: ToySpec, s1: number, dtype: Dtype): number {
  const ours = toyTrajectory(spec, s1, REFERENCE_EVERY);
  const theirs = referenceRun(spec, s1, dtype);
  expect(ours.recordSteps).toEqual(theirs.steps);
  return Math.max(...theirs.z.flatMap(([z1, z2], k) => [Math.abs(ours.z1[k]! - z1!), Math.abs(ours.z2[k]! - z2!)]));
}

describe("the authors' V", () => {
  it("draws numpy's randn(2, 2) for seed 1235 bit for bit", () => {
    expect(numpyRandn2x2(AUTHORS_SEED)).toEqual(reference.X.flat());
  });

  it("has numpy's right singular vectors up to each row's sign, largest singular value first", () => {
    const x = numpyRandn2x2(AUTHORS_SEED);
    for (const row of [0, 1]) {
      const ours = FIG6_V.slice(2 * row, 2 * row + 2);
      const numpys = NUMPY_V.slice(2 * row, 2 * row + 2);
      const sign = Math.sign(ours[0]! * numpys[0]!);
      ours.forEach((value, i) => expect(value).toBeCloseTo(sign * numpys[i]!, 14));
      const stretched = Math.hypot(x[0] * ours[0]! + x[1] * ours[1]!, x[2] * ours[0]! + x[3] * ours[1]!);
      expect(stretched).toBeCloseTo(reference.singularValues[row]!, 14);
    }
    expect(FIG6_V[0]).toBeGreaterThanOrEqual(0);
    expect(FIG6_V[0] * FIG6_V[3] - FIG6_V[1] * FIG6_V[2]).toBeCloseTo(1, 14); // ours a rotation, numpy's a reflection
  });

  it("does not change any trajectory: ours, numpy's (reflected) V and the identity give the same z", () => {
    const reflectedRotation: Matrix2 = [FIG6_V[0], FIG6_V[1], -FIG6_V[2], -FIG6_V[3]];
    for (const spec of specs) {
      for (const s1 of [3, 8]) {
        const ours = toyTrajectory(spec, s1, 250);
        for (const v of [NUMPY_V, reflectedRotation, [1, 0, 0, 1] as Matrix2]) {
          const other = toyTrajectory(spec, s1, 250, v);
          ours.z1.forEach((z, k) => expect(Math.abs(z - other.z1[k]!)).toBeLessThan(1e-11));
          ours.z2.forEach((z, k) => expect(Math.abs(z - other.z2[k]!)).toBeLessThan(1e-11));
          expect(Math.abs(ours.finalLoss - other.finalLoss)).toBeLessThan(1e-12);
        }
      }
    }
  });
});

describe("the three solvers against PyTorch (scripts/fixtures/toy_reference.py)", () => {
  it("match PyTorch float64 along the whole trajectory, and its final loss", () => {
    for (const spec of specs) {
      for (const s1 of spec.s1Values) {
        expect(largestGap(spec, s1, "float64")).toBeLessThan(1e-9);
        expect(toyTrajectory(spec, s1, spec.steps).finalLoss).toBeCloseTo(referenceRun(spec, s1, "float64").finalLoss, 12);
      }
    }
  });

  it("match the authors' float32 to 1.2e-4 (primal) and 0.01 (dual, whose float32 clamp rounds α to 2⁻²⁴)", () => {
    const gaps = specs.map((spec) => Math.max(...spec.s1Values.map((s1) => largestGap(spec, s1, "float32"))));
    console.log(`largest |z| gap to PyTorch float32: ${specs.map((spec, i) => `${spec.solver} ${gaps[i]!.toExponential(2)}`).join(", ")}`);
    expect(gaps[0]).toBeLessThan(0.01);
    expect(gaps[1]).toBeLessThan(1.2e-4);
    expect(gaps[2]).toBeLessThan(1.2e-4);
  });

  it("record z before each update: the first record is z at the start (θ = 0, or α = 1e-8)", () => {
    expect(toyTrajectory(fig6PrimalSd.toy, 2, 50).z1[0]).toBe(0);
    expect(toyTrajectory(fig6Dual.toy, 2, 50).z1[0]).toBeCloseTo(referenceRun(fig6Dual.toy, 2, "float64").z[0]![0]!, 15);
    expect(toyRecordSteps(5000, 50)).toHaveLength(101);
    expect(toyRecordSteps(5000, 50).slice(-2)).toEqual([4950, 4999]);
    expect(toyRecordSteps(5000, 4999)).toEqual([0, 4999]);
  });
});

describe("the dual's clamp, relu(-relu(1 - α) + 1 - 1e-50) + 1e-50 in float64", () => {
  it("keeps α in [1e-50, 1]", () => {
    expect(clampAlpha(-0.3)).toBe(1e-50);
    expect(clampAlpha(0)).toBe(1e-50);
    expect(clampAlpha(1.7)).toBe(1);
    expect(clampAlpha(0.25)).toBe(0.25);
  });
});

describe("the paper's claims, and the published end points", () => {
  const wd = fig6PrimalWeightDecay.toy;
  const sd = fig6PrimalSd.toy;

  it("under CE + weight decay z2's end point falls as s1 grows; under SD it does not move", () => {
    const wdZ2 = wd.s1Values.map((s1) => endPoint(wd, s1)[1]);
    const sdZ2 = sd.s1Values.map((s1) => endPoint(sd, s1)[1]);
    wdZ2.slice(1).forEach((z2, i) => expect(z2).toBeLessThan(wdZ2[i]!));
    expect(Math.max(...sdZ2) - Math.min(...sdZ2)).toBeLessThan(0.02);
  });

  it("SD ends at its s1-free fixed point z* = c·Uᵀ1, σ(−c) = 2·(0.1/C)·c", () => {
    const excess = (c: number) => sigmoid(-c) - 2 * sd.coefficient * c; // falls from 1/2 at c = 0 through 0
    let [low, high] = [0, 20];
    for (let i = 0; i < 60; i++) {
      const middle = (low + high) / 2;
      if (excess(middle) > 0) low = middle;
      else high = middle;
    }
    const c = (low + high) / 2;
    const u = rotationU(sd.delta);
    for (const s1 of sd.s1Values) {
      const [z1, z2] = endPoint(sd, s1);
      expect(Math.abs(z1 - c * (u[0] + u[2]))).toBeLessThan(1e-4);
      expect(Math.abs(z2 - c * (u[1] + u[3]))).toBeLessThan(1e-4);
    }
  });

  it("the dual ends where the primal does: its final loss is minus CE + weight decay's (strong duality)", () => {
    for (const s1 of wd.s1Values) {
      const dual = toyTrajectory(fig6Dual.toy, s1, 5000).finalLoss;
      const primal = toyTrajectory(wd, s1, 5000).finalLoss;
      expect(Math.abs(dual + primal)).toBeLessThan(1e-6);
    }
  });

  // The blog's CE end points lie earlier on the script's curves: 1,000 steps at lr 0.1 reproduce them, the
  // script's 5,000 steps at lr 0.05 end further along (s1 = 8: (10.198, 0.903) against the blog's (10.312, 0.819)).
  it("reproduce the blog's end points with 1,000 steps at lr 0.1", () => {
    const blogSchedule = (spec: ToySpec): ToySpec => ({ ...spec, steps: 1000, lr: 0.1 });
    const published: [number, [number, number]][] = [[2, [6.113, 1.638]], [4, [7.823, 1.446]], [6, [9.14, 1.12]], [8, [10.312, 0.819]]];
    for (const [s1, [z1, z2]] of published) {
      const [ourZ1, ourZ2] = endPoint(blogSchedule(wd), s1);
      expect(Math.abs(ourZ1 - z1)).toBeLessThanOrEqual(0.002);
      expect(Math.abs(ourZ2 - z2)).toBeLessThanOrEqual(0.002);
    }
    for (const spec of [sd, blogSchedule(sd)]) {
      for (const s1 of sd.s1Values) {
        const [z1, z2] = endPoint(spec, s1);
        expect(z1).toBeGreaterThanOrEqual(6.354 - 0.005);
        expect(z1).toBeLessThanOrEqual(6.373 + 0.005);
        expect(z2).toBeGreaterThanOrEqual(1.693 - 0.005);
        expect(z2).toBeLessThanOrEqual(1.703 + 0.005);
      }
    }
  });

  it("runs all 18 trajectories of Fig. 6 quickly", () => {
    const start = performance.now();
    for (const spec of specs) for (const s1 of spec.s1Values) toyTrajectory(spec, s1, 50);
    const ms = performance.now() - start;
    console.log(`18 toy trajectories (3 solvers × 6 s1 × 5,000 steps): ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(2000);
  });
});
