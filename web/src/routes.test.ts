import { describe, expect, it } from "vitest";
import {
  BOARD_DEFAULTS,
  LEADERBOARD_DEFAULTS,
  compareUrl,
  contributorUrl,
  facetChoice,
  leaderboardUrl,
  newerPage,
  nextPage,
  nextSortOrder,
  withFacetChoice,
  withTrust,
  parseBoardParams,
  parseLeaderboardParams,
  benchUrl,
  boardUrl, fig4Url, figureName, figurePageOf, figurePagesOf, figureUrl, pageOfFigureName, labUrl, parseFig4Runs, parseRoute, parseSeed, replayUrl, rerunUrl, runUrl } from "./routes";

describe("parseRoute", () => {
  it("knows every page", () => {
    expect(parseRoute("/", "")).toEqual({ page: "home" });
    expect(parseRoute("/leaderboard/", "")).toEqual({ page: "leaderboard", params: LEADERBOARD_DEFAULTS });
    expect(parseRoute("/leaderboard/fig1-margin-pos", "")).toEqual({ page: "board", protocolId: "fig1-margin-pos", params: BOARD_DEFAULTS });
    expect(parseRoute("/contributors/0123456789ab", "")).toEqual({ page: "contributor", contributorId: "0123456789ab", cursor: null });
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

describe("the leaderboard's and boards' URLs", () => {
  const leaderboard = (search: string) => parseLeaderboardParams(new URLSearchParams(search));
  const board = (search: string) => parseBoardParams(new URLSearchParams(search));

  it("reads a facet, a sort and a search from the leaderboard's URL, and writes them back", () => {
    const params = leaderboard("?backend=webgpu&sort=runs&q=moons");
    expect(params).toEqual({ facet: { backend: "webgpu" }, sort: "runs", order: "desc", q: "moons" });
    expect(leaderboardUrl(params)).toBe("/leaderboard?backend=webgpu&sort=runs&q=moons");
    expect(leaderboardUrl(leaderboard(""))).toBe("/leaderboard");
    expect(leaderboardUrl({ sort: "metric:curvature", order: "asc", facet: { gpuArchitecture: "rdna-3", trust: "reproduced" } })).toBe(
      "/leaderboard?gpuArchitecture=rdna-3&trust=reproduced&sort=metric:curvature&order=asc",
    );
    expect(leaderboard("?sort=metric:curvature&order=asc")).toMatchObject({ sort: "metric:curvature", order: "asc" });
    expect(leaderboard("?sort=title")).toMatchObject({ sort: "title", order: "asc" });
  });

  it("drops what the API would refuse: unknown values, a second dimension, bad sorts and orders", () => {
    expect(leaderboard("?backend=cuda&browser=firefox&os=linux&trust=all")).toEqual({ ...LEADERBOARD_DEFAULTS, facet: { browser: "firefox" } });
    expect(leaderboard("?gpuArchitecture=Not%20A%20Word")).toEqual(LEADERBOARD_DEFAULTS);
    expect(leaderboard("?sort=metric:1bad&order=sideways")).toEqual(LEADERBOARD_DEFAULTS);
    expect(leaderboard("?sort=drop%20table")).toEqual(LEADERBOARD_DEFAULTS);
  });

  it("trims and bounds the search", () => {
    expect(leaderboard("?q=%20%20two%20%20moons%20").q).toBe("two moons");
    expect(leaderboard(`?q=${"x".repeat(500)}`).q).toHaveLength(80);
    expect(leaderboardUrl({ q: "a&b" })).toBe("/leaderboard?q=a%26b");
  });

  it("reads a board's facet, runs order and page", () => {
    const params = board("?os=linux&sort=metric:minMargin&order=asc&limit=20&cursor=abc_-1");
    expect(params).toEqual({ facet: { os: "linux" }, sort: "metric:minMargin", order: "asc", limit: 20, cursor: "abc_-1", prev: [] });
    expect(boardUrl("fig1-margin-pos", params)).toBe("/leaderboard/fig1-margin-pos?os=linux&sort=metric:minMargin&order=asc&limit=20&cursor=abc_-1");
    expect(board("?sort=seed&order=up&cursor=not%20a%20cursor&limit=x")).toEqual({ ...BOARD_DEFAULTS, sort: "seed" });
    expect([board("?limit=0").limit, board("?limit=100000").limit]).toEqual([1, 100]);
    expect(board("?sort=bogus")).toEqual(BOARD_DEFAULTS);
    expect(boardUrl("fig1-margin-pos", BOARD_DEFAULTS)).toBe("/leaderboard/fig1-margin-pos");
  });

  it("remembers the pages before this one, so Newer goes back the way Next came", () => {
    const first = BOARD_DEFAULTS;
    const second = { ...first, ...nextPage(first, "c1") };
    const third = { ...second, ...nextPage(second, "c2") };
    expect([second.cursor, second.prev, third.cursor, third.prev]).toEqual(["c1", [], "c2", ["c1"]]);
    expect(boardUrl("fig1-margin-pos", third)).toBe("/leaderboard/fig1-margin-pos?cursor=c2&prev=c1");
    expect(board("?cursor=c2&prev=c1")).toEqual(third);
    expect({ ...third, ...newerPage(third) }).toEqual(second);
    expect({ ...second, ...newerPage(second) }).toEqual(first);
    // A trail without a page, or with a malformed cursor, is dropped; the trail is bounded.
    expect(board("?prev=c1").prev).toEqual([]);
    expect(board("?cursor=c2&prev=c1,bad%20one").prev).toEqual([]);
    let page = first;
    for (let k = 0; k < 30; k++) page = { ...page, ...nextPage(page, `c${k}`) };
    expect(page.prev).toHaveLength(20);
    expect(board(boardUrl("x", page).split("?")[1]!)).toEqual(page);
  });

  it("flips a sorted column's order, and starts seeds ascending and everything else descending", () => {
    expect(nextSortOrder("seed", BOARD_DEFAULTS)).toBe("asc");
    expect(nextSortOrder("metric:curvature", BOARD_DEFAULTS)).toBe("desc");
    expect(nextSortOrder("createdAt", BOARD_DEFAULTS)).toBe("asc");
    expect(nextSortOrder("seed", { ...BOARD_DEFAULTS, sort: "seed", order: "asc" })).toBe("desc");
  });

  it("links contributors by key and runs to the comparison", () => {
    expect(contributorUrl("0123456789ab")).toBe("/contributors/0123456789ab");
    expect(contributorUrl("0123456789ab", "c1")).toBe("/contributors/0123456789ab?cursor=c1");
    expect(parseRoute("/contributors/0123456789ab", "?cursor=c1")).toEqual({ page: "contributor", contributorId: "0123456789ab", cursor: "c1" });
    expect(parseRoute("/contributors/Alice", "").page).toBe("not-found");
    const [a, b] = ["run_00000000-0000-4000-8000-000000000001", "run_00000000-0000-4000-8000-000000000002"];
    expect(compareUrl([a, b])).toBe(`/compare?runs=${a},${b}`);
  });
});

describe("the facet controls' values", () => {
  it("name one environment facet, and change it or the trust level while keeping the other", () => {
    expect(facetChoice({ gpuVendor: "nvidia", trust: "replayed" })).toBe("gpuVendor=nvidia");
    expect(facetChoice({ trust: "replayed" })).toBe("");
    expect(withFacetChoice({ backend: "wasm", trust: "replayed" }, "os=linux")).toEqual({ os: "linux", trust: "replayed" });
    expect(withFacetChoice({ backend: "wasm" }, "")).toEqual({});
    expect(withFacetChoice({ trust: "reproduced" }, "backend=cuda")).toEqual({ trust: "reproduced" });
    expect(withTrust({ backend: "wasm" }, "reproduced")).toEqual({ backend: "wasm", trust: "reproduced" });
    expect(withTrust({ backend: "wasm", trust: "reproduced" }, "")).toEqual({ backend: "wasm" });
  });
});
