import { describe, expect, it } from "vitest";
import type { BenchFacets } from "../bench-api";
import { agreementTable, benchStat, groupBenchmarks, quantile } from "./benchmark-stats";

const facets = (backend: BenchFacets["backend"], adapter: string | null = null): BenchFacets => ({ backend, gpuVendor: "none", gpuArchitecture: null, adapter, browser: "chrome", os: "linux" });
const sample = (backend: BenchFacets["backend"], value: number, deviation: number, adapter: string | null = null) => ({
  facets: facets(backend, adapter),
  values: { "moons-1": value, "moons-10": 2 * value, cmnist: value / 100, matmul: value / 10 },
  deviations: { "moons-1": deviation, "moons-10": deviation * 2, cmnist: deviation, matmul: 0 },
});

describe("benchmark statistics", () => {
  it("interpolates quantiles as numpy does", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.1)).toBe(2);
    expect(benchStat([5])).toEqual({ median: 5, p10: 5, p90: 5, n: 1 });
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });

  it("groups by every facet including the adapter's description, largest group first", () => {
    const groups = groupBenchmarks([sample("wasm", 10, 0), sample("wasm", 30, 0), sample("wasm", 20, 0), sample("wasm", 5, 0, "threaded"), sample("cpu", 1, 0)]);
    expect(groups.map((g) => [g.facets.backend, g.facets.adapter, g.n])).toEqual([
      ["wasm", null, 3],
      ["wasm", "threaded", 1],
      ["cpu", null, 1],
    ]);
    expect(groups[0]!.items["moons-1"]).toEqual({ median: 20, p10: 12, p90: 28, n: 3 });
    expect(groupBenchmarks([sample("cpu", 1, 0)], ["matmul"])[0]!.items).toEqual({ matmul: { median: 0.1, p10: 0.1, p90: 0.1, n: 1 } });
  });

  it("tabulates each backend and vendor's deviation: median, max, n", () => {
    const rows = agreementTable([sample("wasm", 1, 1e-7), sample("wasm", 1, 3e-7), sample("wasm", 1, 2e-7), sample("cpu", 1, 5e-6)], ["moons-1"]);
    expect(rows).toEqual([
      { backend: "cpu", gpuVendor: "none", item: "moons-1", median: 5e-6, max: 5e-6, n: 1 },
      { backend: "wasm", gpuVendor: "none", item: "moons-1", median: 2e-7, max: 3e-7, n: 3 },
    ]);
  });
});
