import { describe, expect, it } from "vitest";
import { formatTick, logTicks, niceTicks, toUnit } from "./line-plot-draw";

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
