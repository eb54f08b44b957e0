import { describe, expect, it } from "vitest";
import type { RunEvidence } from "../../../shared/board-api";
import { findProtocol, moonsProtocol } from "../../../shared/protocols/registry";
import { lossCurve, ntkCurves, thinned } from "./run-series";

const fig1 = moonsProtocol("fig1-margin-pos");
const evidence: RunEvidence = { firstLosses: [], lossHistory: Array.from({ length: 101 }, (_, k) => 1 / (k + 1)), series: {}, timings: { trainMs: 10, steps: 1000 } };

describe("lossCurve and ntkCurves", () => {
  it("puts each loss at the step it was recorded", () => {
    const curve = lossCurve(fig1, evidence)!;
    expect(curve.exactSteps).toBe(true);
    expect([curve.steps[0], curve.steps[1], curve.steps[99], curve.steps[100]]).toEqual([0, 10, 990, 1000]);
    expect(curve.losses[100]).toBeCloseTo(1 / 101);
  });

  it("falls back to k × every for a history of another length, and has none for the toy model", () => {
    const short = lossCurve(fig1, { ...evidence, lossHistory: [3, 2, 1] })!;
    expect(short.exactSteps).toBe(false);
    expect(Array.from(short.steps)).toEqual([0, 10, 20]);
    expect(lossCurve(findProtocol("fig6-dual")!, evidence)).toBeNull();
    expect(lossCurve(fig1, { ...evidence, lossHistory: [] })).toBeNull();
  });

  it("reads |z_1| and |z_6| of a Fig. 2 run's NTK series", () => {
    const fig2 = moonsProtocol("fig2-margin-pos");
    const records = fig2.training.steps / fig2.evidence.ntkEvery! + 1;
    const values = Array.from({ length: records * 32 }, (_, i) => (i % 32) + Math.floor(i / 32) / 1000);
    const curves = ntkCurves(fig2, { ...evidence, series: { ntkAbsZ: values } });
    expect(curves.map((c) => c.k)).toEqual([1, 6]);
    expect(curves[1]!.curve.values[2]).toBeCloseTo(6.002);
    expect(curves[0]!.curve.steps.at(-1)).toBe(10_000);
    // Fig. 1 records no NTK features; a wrong-length series draws nothing.
    expect(ntkCurves(fig1, evidence)).toEqual([]);
    expect(ntkCurves(fig2, { ...evidence, series: { ntkAbsZ: [1, 2, 3] } })).toEqual([]);
  });
});

describe("evidence the server thinned", () => {
  it("keeps every k-th value and the last, as the server does", () => {
    expect(thinned([0, 1, 2, 3, 4, 5, 6], 3)).toEqual([0, 3, 6]);
    expect(thinned([0, 1, 2, 3, 4, 5], 3)).toEqual([0, 3, 5]);
    expect(thinned([0, 1, 2], undefined)).toEqual([0, 1, 2]);
  });

  it("draws a thinned loss history at the steps its values belong to", () => {
    const kept = thinned(evidence.lossHistory, 4);
    const curve = lossCurve(fig1, { ...evidence, lossHistory: kept, sampledEvery: { lossHistory: 4 } })!;
    expect(curve.exactSteps).toBe(true);
    expect([curve.steps[0], curve.steps[1], curve.steps.at(-1)]).toEqual([0, 40, 1000]);
    expect(curve.losses.at(-1)).toBeCloseTo(1 / 101);
  });

  it("draws no NTK curve from a series thinned value by value", () => {
    const fig2 = moonsProtocol("fig2-margin-pos");
    const values = Array.from({ length: 201 * 32 }, () => 1);
    expect(ntkCurves(fig2, { ...evidence, series: { ntkAbsZ: values } })).toHaveLength(2);
    expect(ntkCurves(fig2, { ...evidence, series: { ntkAbsZ: thinned(values, 4) }, sampledEvery: { "series.ntkAbsZ": 4 } })).toEqual([]);
  });
});
