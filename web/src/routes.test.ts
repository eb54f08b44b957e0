import { describe, expect, it } from "vitest";
import { benchUrl, boardUrl, labUrl, parseRoute, parseSeed, rerunUrl, runUrl } from "./routes";

describe("parseRoute", () => {
  it("knows every page", () => {
    expect(parseRoute("/", "")).toEqual({ page: "home" });
    expect(parseRoute("/leaderboard/", "")).toEqual({ page: "leaderboard" });
    expect(parseRoute("/leaderboard/fig1-margin-pos", "")).toEqual({ page: "board", protocolId: "fig1-margin-pos" });
    expect(parseRoute("/runs/run_abc", "")).toEqual({ page: "run", runId: "run_abc" });
    expect(parseRoute("/nowhere", "")).toEqual({ page: "not-found", path: "/nowhere" });
  });

  it("reads the Lab's state from the query", () => {
    expect(parseRoute("/lab", "?protocol=fig1-margin-pos&backend=wasm&seed=3")).toEqual({
      page: "lab",
      params: { protocol: "fig1-margin-pos", backend: "wasm", seed: 3 },
    });
    expect(parseRoute("/lab", "?protocol=Bad%20Id&backend=cuda&seed=-1")).toEqual({
      page: "lab",
      params: { protocol: null, backend: "auto", seed: null },
    });
  });

  it("reads the benchmark's backend and step count, bounded", () => {
    expect(parseRoute("/bench", "?backend=webgpu&steps=3")).toEqual({ page: "bench", params: { backend: "webgpu", steps: 3 } });
    expect(parseRoute("/bench", "")).toEqual({ page: "bench", params: { backend: "auto", steps: 200 } });
    expect(parseRoute("/bench", "?steps=0")).toEqual({ page: "bench", params: { backend: "auto", steps: 1 } });
  });
});

describe("seeds", () => {
  it("accepts only integers in [0, 2^32 - 1]", () => {
    expect(parseSeed("0")).toBe(0);
    expect(parseSeed("4294967295")).toBe(4294967295);
    expect(parseSeed("4294967296")).toBeNull();
    expect(parseSeed("1.5")).toBeNull();
    expect(parseSeed("")).toBeNull();
    expect(parseSeed(null)).toBeNull();
  });
});

describe("links", () => {
  it("round-trip through parseRoute", () => {
    const url = new URL(labUrl({ protocol: "fig2-margin-pos-sd", backend: "webgl", seed: 7 }), "http://x");
    expect(parseRoute(url.pathname, url.search)).toEqual({ page: "lab", params: { protocol: "fig2-margin-pos-sd", backend: "webgl", seed: 7 } });
    expect(labUrl({ backend: "auto" })).toBe("/lab");
    expect(rerunUrl("fig1-margin-neg", 0)).toBe("/lab?protocol=fig1-margin-neg&seed=0");
    expect(boardUrl("fig1-margin-neg")).toBe("/leaderboard/fig1-margin-neg");
    expect(runUrl("run_1")).toBe("/runs/run_1");
    expect(benchUrl({ backend: "wasm", steps: 200 })).toBe("/bench?backend=wasm&steps=200");
  });
});
