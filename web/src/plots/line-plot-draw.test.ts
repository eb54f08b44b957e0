import { describe, expect, it } from "vitest";
import { formatTick, logLossAxis, logTicks, niceTicks, toUnit } from "./line-plot-draw";

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
