import { describe, expect, it } from "vitest";
import { benchmarksCompareUrl, benchmarksUrl, benchmarkUrl, parseBenchmarksRoute } from "./benchmarks-url";

const id = "bm_0123abcd-0000-4000-8000-000000000000";
const parse = (url: string) => {
  const parsed = new URL(url, "http://x");
  return parseBenchmarksRoute(parsed.pathname, parsed.searchParams);
};

describe("benchmark board URLs", () => {
  it("round-trips the filters and drops invalid ones", () => {
    const query = { backend: "webgpu", gpuVendor: "nvidia", gpuArchitecture: "ampere", browser: "chrome", os: "linux", item: "matmul" } as const;
    expect(parse(benchmarksUrl(query))).toEqual({ page: "benchmarks", query });
    expect(parse("/benchmarks?backend=quantum&os=linux&gpuArchitecture=A%20B")).toEqual({ page: "benchmarks", query: { os: "linux" } });
    expect(benchmarksUrl()).toBe("/benchmarks");
  });

  it("parses one result and a comparison of two", () => {
    expect(parse(benchmarkUrl(id))).toEqual({ page: "benchmark", id });
    expect(parse(benchmarksCompareUrl(id, id))).toEqual({ page: "benchmarks-compare", a: id, b: id });
    expect(parse("/benchmarks/compare?a=nope")).toEqual({ page: "benchmarks-compare", a: null, b: null });
    expect(parse("/leaderboard")).toBeNull();
  });
});
