import { describe, expect, it } from "vitest";
import { drawableAxis, formatTick, logLossAxis, logTickLabels, logTicks, niceTicks, toUnit } from "./line-plot-draw";

describe("plot axes", () => {
  it("picks round linear ticks", () => {
    expect(niceTicks(0, 10.5)).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(niceTicks(-0.1, 1.75)).toEqual([0, 0.5, 1, 1.5]);
    expect(niceTicks(0, 10_000)).toEqual([0, 2000, 4000, 6000, 8000, 10_000]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it("puts log ticks on powers of ten", () => {
    expect(logTicks(1e-3, 50)).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(logTicks(1e-12, 1e3).length).toBeLessThanOrEqual(6);
    expect(logTicks(0.07, 0.9)).toEqual([0.1, 0.2, 0.5]);
    expect(formatTick(1e-6, true)).toBe("1e-6");
    expect(formatTick(2e-6, true)).toBe("2e-6");
    expect(formatTick(100, true)).toBe("100");
    expect(formatTick(10_000)).toBe("10k");
    expect(formatTick(2500)).toBe("2500");
  });

  it("maps values onto the axis, and refuses non-positive values on a log axis", () => {
    expect(toUnit({ min: -0.5, max: 10.5, label: "" }, 5)).toBeCloseTo(0.5);
    expect(toUnit({ min: 1, max: 100, label: "", log: true }, 10)).toBeCloseTo(0.5);
    expect(toUnit({ min: 1, max: 100, label: "", log: true }, 0)).toBeNaN();
  });
});

describe("logLossAxis", () => {
  it("spans the positive losses with a margin, and a default range before there are any", () => {
    expect(logLossAxis([0, 0.5, 0.02])).toEqual({ min: 0.02 * 0.8, max: 0.5 * 1.25, label: "loss (log scale)", log: true });
    expect(logLossAxis([])).toMatchObject({ min: 0.01, max: 1, log: true });
  });
});

describe("log axes never read 0", () => {
  it("has no ticks for a range a log scale cannot show", () => {
    expect(logTicks(0, 1)).toEqual([]);
    expect(logTicks(-1, 1)).toEqual([]);
    expect(logTicks(1, 1)).toEqual([]);
    expect(formatTick(0, true)).toBe("");
  });

  it("labels small values in exponent form, where a plain number formatter prints 0", () => {
    expect(logTickLabels([1e-5, 1e-4, 0.001, 0.1, 1, null])).toEqual(["1e-5", "1e-4", "0.001", "0.1", "1", ""]);
    expect(logTickLabels(logTicks(2e-5, 0.8))).not.toContain("0");
  });

  it("draws a log axis whose minimum is not positive from a thousandth of its maximum", () => {
    expect(drawableAxis({ min: 0, max: 0.7, label: "loss", log: true })).toEqual({ min: 0.0007, max: 0.7, label: "loss", log: true });
    const fine = { min: 0.01, max: 1, label: "loss", log: true };
    expect(drawableAxis(fine)).toBe(fine);
    const linear = { min: 0, max: 1, label: "x" };
    expect(drawableAxis(linear)).toBe(linear);
  });
});
