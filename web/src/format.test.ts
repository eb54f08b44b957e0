import { describe, expect, it } from "vitest";
import { formatDuration, formatLoss, formatRate, formatStat, formatValue } from "./format";

describe("format", () => {
  it("shows metric values with their digits and a dash when empty", () => {
    expect(formatValue(0.123456, 3)).toBe("0.123");
    expect(formatValue(null, 3)).toBe("—");
    expect(formatValue(Number.NaN, 2)).toBe("—");
  });

  it("shows mean ± std, or the single value of one seed", () => {
    expect(formatStat({ mean: 0.5, std: 0.01234, n: 3 }, 3)).toBe("0.500 ± 0.012");
    expect(formatStat({ mean: 0.5, std: 0, n: 1 }, 2)).toBe("0.50");
    expect(formatStat(null, 2)).toBe("—");
  });

  it("shows durations and rates readably", () => {
    expect(formatDuration(250)).toBe("250 ms");
    expect(formatDuration(12_340)).toBe("12.3 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatRate(1234.5)).toBe("1235");
    expect(formatRate(2.345)).toBe("2.35");
    expect(formatLoss(0.693147)).toBe("0.6931");
    expect(formatLoss(0.00123)).toBe("1.230e-3");
  });
});
