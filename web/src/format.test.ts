import { describe, expect, it } from "vitest";
import { formatDuration, formatLoss, formatMetric, formatMetricStat, formatPercent, formatRate, formatRoughDuration, formatStat, formatValue, isAccuracy } from "./format";

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

describe("one unit per quantity", () => {
  const accuracy = { key: "testAccuracy", digits: 4 };
  const curvature = { key: "curvature", digits: 3 };

  it("shows accuracies in percent with one decimal, other metrics with their digits", () => {
    expect(isAccuracy(accuracy)).toBe(true);
    expect(isAccuracy({ key: "trainAccuracy" })).toBe(true);
    expect(isAccuracy(curvature)).toBe(false);
    expect(formatPercent(0.8585)).toBe("85.9 %");
    expect(formatPercent(null)).toBe("—");
    expect(formatMetric(0.8585, accuracy)).toBe("85.9 %");
    expect(formatMetric(1, { key: "trainAccuracy", digits: 3 })).toBe("100.0 %");
    expect(formatMetric(0.13456, curvature)).toBe("0.135");
  });

  it("shows a seed mean with n, and no ± for one seed", () => {
    expect(formatMetricStat({ mean: 0.683, std: 0.012, n: 10 }, accuracy)).toBe("68.3 ± 1.2 % (n = 10)");
    expect(formatMetricStat({ mean: 0.683, std: 0, n: 1 }, accuracy)).toBe("68.3 % (n = 1)");
    expect(formatMetricStat({ mean: 0.135, std: 0.012, n: 10 }, curvature)).toBe("0.135 ± 0.012 (n = 10)");
    expect(formatMetricStat({ mean: 0.684, std: 0.012, n: 10 }, accuracy, false)).toBe("68.4 ± 1.2 %");
    expect(formatMetricStat(null, accuracy)).toBe("—");
  });

  it("rounds an estimate's duration to what it can know", () => {
    expect(formatRoughDuration(400)).toBe("under a second");
    expect(formatRoughDuration(8_300)).toBe("8 s");
    expect(formatRoughDuration(59_800)).toBe("1 min");
    expect(formatRoughDuration(4 * 60_000 + 20_000)).toBe("4 min");
    expect(formatRoughDuration(80 * 60_000 + 90_000)).toBe("1 h 20 min");
    expect(formatRoughDuration(2 * 3_600_000 + 60_000)).toBe("2 h");
    expect(formatRoughDuration(Number.NaN)).toBe("—");
  });
});
