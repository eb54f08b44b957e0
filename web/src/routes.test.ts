import { describe, expect, it } from "vitest";
import { benchUrl, boardUrl, fig4Url, figureName, figurePageOf, figurePagesOf, figureUrl, pageOfFigureName, labUrl, parseFig4Runs, parseRoute, parseSeed, replayUrl, rerunUrl, runUrl } from "./routes";

describe("parseRoute", () => {
  it("knows every page", () => {
    expect(parseRoute("/", "")).toEqual({ page: "home" });
    expect(parseRoute("/leaderboard/", "")).toEqual({ page: "leaderboard" });
    expect(parseRoute("/leaderboard/fig1-margin-pos", "")).toEqual({ page: "board", protocolId: "fig1-margin-pos" });
    expect(parseRoute("/runs/run_abc", "")).toEqual({ page: "run", runId: "run_abc" });
    expect(parseRoute("/replay", "?backend=wasm")).toEqual({ page: "replay", backend: "wasm" });
    expect(parseRoute("/replay", "?backend=cuda")).toEqual({ page: "replay", backend: "auto" });
    expect([replayUrl("wasm"), replayUrl()]).toEqual(["/replay?backend=wasm", "/replay"]);
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
    const replay = { seeds: [0], segments: [1, 8] };
    const protocolId = "fig1-margin-pos";
    expect(parseRoute("/bench", "?backend=webgpu&steps=3")).toEqual({ page: "bench", params: { backend: "webgpu", steps: 3, mode: "single", seeds: 10, replay, protocolId } });
    expect(parseRoute("/bench", "")).toEqual({ page: "bench", params: { backend: "auto", steps: 200, mode: "single", seeds: 10, replay, protocolId } });
    expect(parseRoute("/bench", "?steps=0")).toEqual({ page: "bench", params: { backend: "auto", steps: 1, mode: "single", seeds: 10, replay, protocolId } });
    expect(parseRoute("/bench", "?backend=wasm&steps=200&seeds=10&mode=compare")).toEqual({
      page: "bench",
      params: { backend: "wasm", steps: 200, mode: "compare", seeds: 10, replay, protocolId },
    });
    // ?protocol= names any two-moons protocol; anything else (unknown, Colored MNIST) times Fig. 1's.
    expect(parseRoute("/bench", "?protocol=fig3-dropout")).toMatchObject({ params: { protocolId: "fig3-dropout" } });
    for (const other of ["?protocol=nope", "?protocol=cmnist-erm", "?protocol=<script>"]) expect(parseRoute("/bench", other)).toMatchObject({ params: { protocolId } });
    expect(benchUrl({ backend: "webgpu", steps: 20, protocolId: "fig3-dropout" })).toBe("/bench?backend=webgpu&steps=20&protocol=fig3-dropout");
    expect(parseRoute("/bench", "?seeds=1000&mode=compare")).toMatchObject({ params: { seeds: 64 } });
  });

  it("reads the replay-tolerance benchmark's seed and segment lists", () => {
    expect(parseRoute("/bench", "?mode=replay&seeds=0-2&segments=1,8")).toMatchObject({
      params: { mode: "replay", backend: "auto", replay: { seeds: [0, 1, 2], segments: [1, 8] } },
    });
    expect(parseRoute("/bench", "?mode=replay&backend=webgpu&seeds=5,2-3,3&segments=9,0")).toMatchObject({
      params: { mode: "replay", backend: "webgpu", replay: { seeds: [2, 3, 5], segments: [0, 9] } },
    });
    // Malformed or oversized lists fall back to seed 0, segments 1 and 8.
    for (const search of ["?mode=replay&seeds=x&segments=1-", "?mode=replay&seeds=0-99&segments=0-50", "?mode=replay&seeds=3-1&segments=12345"]) {
      expect(parseRoute("/bench", search)).toMatchObject({ params: { replay: { seeds: [0], segments: [1, 8] } } });
    }
    expect(benchUrl({ mode: "replay", replay: { seeds: [0, 1, 2, 7], segments: [1, 8] } })).toBe("/bench?mode=replay&seeds=0-2,7&segments=1,8");
    const url = new URL(benchUrl({ backend: "webgl", mode: "replay", replay: { seeds: [4], segments: [0, 1, 2] } }), "http://x");
    expect(parseRoute(url.pathname, url.search)).toMatchObject({ params: { backend: "webgl", mode: "replay", replay: { seeds: [4], segments: [0, 1, 2] } } });
  });

  it("reads the figure pages, and Fig. 2's pair of components", () => {
    expect(parseRoute("/figures/fig2", "")).toEqual({ page: "fig2", components: [1, 6] });
    expect(parseRoute("/figures/fig2", "?k=0,31")).toEqual({ page: "fig2", components: [0, 31] });
    expect(parseRoute("/figures/fig2", "?k=1,32")).toEqual({ page: "fig2", components: [1, 6] });
    expect(parseRoute("/figures/fig3/", "")).toEqual({ page: "fig3" });
    expect(parseRoute("/figures/fig6", "")).toEqual({ page: "fig6" });
    expect(parseRoute("/figures/table1", "")).toEqual({ page: "table1" });
    expect(parseRoute("/figures/fig4/", "")).toEqual({ page: "fig4", runs: new Map() });
    expect(parseRoute("/figures/fig5", "")).toEqual({ page: "not-found", path: "/figures/fig5" });
    expect(parseRoute("/figures/table2", "")).toEqual({ page: "not-found", path: "/figures/table2" });
  });

  it("reads the playground's settings", () => {
    expect(parseRoute("/playground", "?margin=-0.2&reg=wd&lambda=0.01&lr=0.05&seed=3")).toEqual({
      page: "playground",
      params: { params: { margin: -0.2, regularizer: "weight-decay", lambda: 0.01, lr: 0.05, seed: 3 }, exploration: null },
    });
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
    expect(benchUrl({ backend: "wasm", steps: 200, seeds: 10, mode: "compare" })).toBe("/bench?backend=wasm&steps=200&seeds=10&mode=compare");
    expect(figureUrl("fig2", [1, 6])).toBe("/figures/fig2");
    expect(figureUrl("fig2", [3, 4])).toBe("/figures/fig2?k=3,4");
    expect(figurePageOf("Fig. 3")).toBe("fig3");
    expect(figurePageOf("Fig. 1")).toBeNull();
    expect(figureUrl("table1")).toBe("/figures/table1");
    expect(figureUrl("fig4")).toBe("/figures/fig4");
  });

  it("find every figure page of a combined label", () => {
    expect(figurePagesOf("Table 1, Fig. 4")).toEqual(["table1", "fig4"]);
    expect(figurePageOf("Table 1, Fig. 4")).toBe("table1");
    expect(figurePagesOf("Fig. 6")).toEqual(["fig6"]);
    expect(figurePagesOf("Fig. 1")).toEqual([]);
    expect(figurePagesOf("Table 2")).toEqual([]);
    expect(figurePagesOf("Figure 4")).toEqual([]);
    expect(pageOfFigureName(" Table 1 ")).toBe("table1");
    expect(pageOfFigureName("Fig. 4")).toBe("fig4");
    expect(figureName("table1")).toBe("Table 1");
    expect(figureName("fig4")).toBe("Fig. 4");
  });
});

describe("the Fig. 4 page's chosen runs", () => {
  const erm = "run_0b6a1c2e-1111-4222-8333-444455556666";
  const sd = "run_9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff";
  it("round-trip through the URL, and malformed pairs are dropped", () => {
    const runs = new Map([["cmnist-erm", erm], ["cmnist-sd-reduced", sd]]);
    const url = fig4Url(runs);
    expect(url).toBe(`/figures/fig4?runs=cmnist-erm:${erm},cmnist-sd-reduced:${sd}`);
    const [path, query] = url.split("?");
    expect(parseRoute(path!, `?${query}`)).toEqual({ page: "fig4", runs });
    expect(parseFig4Runs("cmnist-erm:run_x,<script>:" + erm + ",cmnist-sd:" + sd + ",nonsense")).toEqual(new Map([["cmnist-sd", sd]]));
    expect(fig4Url(new Map())).toBe("/figures/fig4");
  });
});
