// Why: the agreement measurement is the evidence for AGREEMENT; its largest differences and dispute counts must be exact.
import { describe, expect, it } from "vitest";
import { measureAgreement, sameSeedPairs, type MeasuredRun } from "./agreement-measure";
import type { Agreement } from "./quorum";

const TOLERANCE: Agreement = { keys: ["curvature", "minMargin"], abs: 5e-3, rel: 0 };
const run = (seed: number, label: string, curvature: number, minMargin: number | null = 0.1): MeasuredRun => ({
  seed,
  label,
  recomputed: { curvature, minMargin, trainImagesChecked: 99 * seed + label.length },
});

describe("sameSeedPairs", () => {
  it("pairs every two runs of one seed, never runs of different seeds", () => {
    const runs = [run(1, "wasm", 0), run(0, "wasm", 0), run(0, "cpu", 0), run(1, "cpu", 0), run(0, "webgpu", 0), run(2, "wasm", 0)];
    const pairs = sameSeedPairs(runs).map(([a, b]) => `${a.seed}:${a.label}-${b.label}`);
    expect(pairs).toEqual(["0:wasm-cpu", "0:wasm-webgpu", "0:cpu-webgpu", "1:wasm-cpu"]);
  });
});

describe("measureAgreement", () => {
  it("reports the largest difference per metric over the seeds, where it was seen, and the disputed pairs", () => {
    const measured = measureAgreement(
      [run(0, "wasm", 0.3, 0.1), run(0, "cpu", 0.302, 0.1), run(1, "wasm", 0.5, 0.2), run(1, "cpu", 0.493, 0.2001)],
      TOLERANCE,
    );
    const [curvature, minMargin] = measured.metrics;
    expect(curvature).toMatchObject({ key: "curvature", at: { seed: 1, labels: ["wasm", "cpu"] }, compared: 2, nullMismatches: 0, overTolerance: 1 });
    expect(curvature!.largest).toBeCloseTo(0.007, 12);
    expect(minMargin!.largest).toBeCloseTo(1e-4, 12);
    expect(minMargin!.overTolerance).toBe(0);
    expect(measured.pairs).toEqual([
      { seed: 0, labels: ["wasm", "cpu"], agree: true, disagreeingKeys: [] },
      { seed: 1, labels: ["wasm", "cpu"], agree: false, disagreeingKeys: ["curvature"] },
    ]);
    expect(measured.disputed).toBe(1);
  });

  it("counts a null against a number as a dispute, two nulls as agreement, and ignores keys outside the tolerance", () => {
    const measured = measureAgreement([run(0, "wasm", 0.3, null), run(0, "cpu", 0.3, 0.05), run(1, "wasm", 0.3, null), run(1, "cpu", 0.3, null)], TOLERANCE);
    const minMargin = measured.metrics[1]!;
    expect(minMargin).toMatchObject({ largest: null, at: null, compared: 0, nullMismatches: 1, overTolerance: 1 });
    expect(measured.metrics.map((m) => m.key)).toEqual(["curvature", "minMargin"]);
    expect(measured.pairs.map((p) => p.agree)).toEqual([false, true]);
    expect(measured.pairs[0]!.disagreeingKeys).toEqual(["minMargin"]);
  });

  it("agrees with runsAgree at the boundary and with a relative tolerance", () => {
    const exact = measureAgreement([run(0, "a", 0.25), run(0, "b", 0.25 + 2 ** -8)], { keys: ["curvature"], abs: 2 ** -8, rel: 0 });
    expect(exact.disputed).toBe(0);
    const relative = measureAgreement([run(0, "a", 1.0), run(0, "b", 1.015)], { keys: ["curvature"], abs: 0, rel: 0.01 });
    expect(relative.disputed).toBe(1);
    expect(relative.metrics[0]!.overTolerance).toBe(1);
  });

  it("keeps a NaN (a diverged run) as the largest difference", () => {
    const measured = measureAgreement([run(0, "a", Number.NaN), run(0, "b", 0.3), run(1, "a", 0.3), run(1, "b", 0.9)], TOLERANCE);
    expect(measured.metrics[0]!.largest).toBeNaN();
    expect(measured.metrics[0]!.at).toEqual({ seed: 0, labels: ["a", "b"] });
    expect(measured.disputed).toBe(2);
  });

  it("measures nothing from runs without a partner", () => {
    const measured = measureAgreement([run(0, "wasm", 0.3), run(1, "cpu", 0.4)], TOLERANCE);
    expect(measured.pairs).toEqual([]);
    expect(measured.metrics.every((m) => m.largest === null && m.compared === 0)).toBe(true);
  });
});
