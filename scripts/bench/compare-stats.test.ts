import { describe, expect, it } from "vitest";
import { compareRow, formatRatio, formatSummary, interleavedOrder, positiveInteger, speedRatio, summarize } from "./compare-stats";

describe("summarize", () => {
  it("takes the middle value of an odd count, and min and max", () => {
    expect(summarize([3, 1, 2], "steps/s")).toEqual({ median: 2, min: 1, max: 3, unit: "steps/s" });
  });
  it("averages the two middle values of an even count", () => {
    expect(summarize([4, 1, 3, 2], "s").median).toBe(2.5);
    expect(summarize([7], "s")).toEqual({ median: 7, min: 7, max: 7, unit: "s" });
  });
  it("refuses no measurements and non-finite ones", () => {
    expect(() => summarize([], "s")).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN], "s")).toThrow(RangeError);
  });
});

describe("speedRatio", () => {
  it("divides rates GS Lab over PyTorch and times PyTorch over GS Lab, so > 1 means GS Lab is faster", () => {
    expect(speedRatio(200, 100, "higher")).toBe(2);
    expect(speedRatio(10, 20, "lower")).toBe(2);
    expect(speedRatio(40, 20, "lower")).toBe(0.5);
  });
  it("refuses zero or negative values", () => {
    expect(() => speedRatio(0, 1, "higher")).toThrow(RangeError);
  });
});

describe("compareRow", () => {
  it("summarises both sides and takes the ratio of the medians", () => {
    const row = compareRow([100, 300, 200], [50, 100], "steps/s", "higher");
    expect(row.gslab).toEqual({ median: 200, min: 100, max: 300, unit: "steps/s" });
    expect(row.pytorch).toEqual({ median: 75, min: 50, max: 100, unit: "steps/s" });
    expect(row.ratio).toBeCloseTo(200 / 75, 12);
  });
  it("has a null PyTorch side and ratio without PyTorch measurements", () => {
    expect(compareRow([5], null, "ms CPU", "lower")).toEqual({ gslab: { median: 5, min: 5, max: 5, unit: "ms CPU" }, pytorch: null, ratio: null });
  });
  it("survives a JSON round trip unchanged", () => {
    const row = compareRow([1, 2], [3, 4], "s", "lower");
    expect(JSON.parse(JSON.stringify(row))).toEqual(row);
  });
});

describe("interleavedOrder", () => {
  it("alternates the sides, one of each per repeat", () => {
    expect(interleavedOrder(["A", "B"], 3)).toEqual(["A", "B", "A", "B", "A", "B"]);
    expect(interleavedOrder(["A", "B", "C"], 1)).toEqual(["A", "B", "C"]);
  });
  it("refuses a repeat count that is not a positive integer", () => {
    expect(() => interleavedOrder(["A"], 0)).toThrow(RangeError);
    expect(() => interleavedOrder(["A"], 1.5)).toThrow(RangeError);
  });
});

describe("positiveInteger", () => {
  it("parses positive integers and names the option otherwise", () => {
    expect(positiveInteger("5", "repeats")).toBe(5);
    expect(() => positiveInteger("0", "repeats")).toThrow(/--repeats/);
    expect(() => positiveInteger("two", "repeats")).toThrow(/--repeats/);
  });
});

describe("formatting", () => {
  it("prints median (min–max) unit, and a dash for a missing side", () => {
    expect(formatSummary({ median: 412.3, min: 398.04, max: 420.9, unit: "steps/s" })).toBe("412 (398–421) steps/s");
    expect(formatSummary({ median: 1.2345, min: 1.2, max: 1.3, unit: "s" })).toBe("1.23 (1.20–1.30) s");
    expect(formatSummary(null)).toBe("—");
    expect(formatRatio(0.4567)).toBe("0.457× (PyTorch faster)");
    expect(formatRatio(2.5)).toBe("2.50× (GS Lab faster)");
    expect(formatRatio(null)).toBe("—");
  });
});
