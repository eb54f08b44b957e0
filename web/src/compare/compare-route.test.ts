// The /compare?runs=… route (parsed in routes.ts, with the other routes).
import { describe, expect, it } from "vitest";
import { COMPARE_MAX_RUNS, compareUrl, parseCompareRuns, parseRoute } from "../routes";

const id = (n: number): string => `run_${String(n).padStart(8, "0")}-0000-4000-8000-000000000000`;

describe("parseCompareRuns", () => {
  it("reads the runs in order, without repeats", () => {
    expect(parseRoute("/compare", `?runs=${id(2)},${id(1)},${id(2)}`)).toEqual({
      page: "compare",
      runs: { ids: [id(2), id(1)], malformed: [], dropped: [] },
    });
    expect(parseRoute("/compare/", "")).toEqual({ page: "compare", runs: { ids: [], malformed: [], dropped: [] } });
  });

  it("reports entries that are not run ids instead of fetching them", () => {
    const runs = parseCompareRuns(`${id(1)}, ../admin ,,run_XYZ,<script>`);
    expect(runs.ids).toEqual([id(1)]);
    expect(runs.malformed).toEqual(["../admin", "run_XYZ", "<script>"]);
  });

  it("keeps at most eight runs and says which it dropped", () => {
    const ids = Array.from({ length: COMPARE_MAX_RUNS + 2 }, (_, k) => id(k));
    const runs = parseCompareRuns(ids.join(","));
    expect(runs.ids).toEqual(ids.slice(0, COMPARE_MAX_RUNS));
    expect(runs.dropped).toEqual(ids.slice(COMPARE_MAX_RUNS));
  });

  it("bounds what it reads of a huge query", () => {
    const runs = parseCompareRuns("x,".repeat(100_000));
    expect(runs.ids).toEqual([]);
    expect(runs.malformed.length).toBeLessThanOrEqual(COMPARE_MAX_RUNS);
  });
});

describe("compareUrl", () => {
  it("round-trips through the parser with readable commas", () => {
    const url = compareUrl([id(1), id(2)]);
    expect(url).toBe(`/compare?runs=${id(1)},${id(2)}`);
    const parsed = new URL(url, "http://x");
    expect(parseRoute(parsed.pathname, parsed.search)).toEqual({ page: "compare", runs: { ids: [id(1), id(2)], malformed: [], dropped: [] } });
  });

  it("leaves out anything that is not a run id", () => {
    expect(compareUrl(["bad", id(3)])).toBe(`/compare?runs=${id(3)}`);
    expect(compareUrl([])).toBe("/compare");
  });
});
