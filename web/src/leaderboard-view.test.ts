import { describe, expect, it } from "vitest";
import type { LeaderboardEntry, ProtocolInfo } from "../../shared/api";
import { leaderboardGroups, matchesSearch, metricOptions, sortEntries } from "./leaderboard-view";

const entry = (protocolId: string, title: string, figure: string, runs: number, curvature: number | null): LeaderboardEntry => ({
  protocolId,
  protocolVersion: 1,
  title,
  figure,
  runs,
  seeds: runs,
  contributors: 1,
  reproducedSeeds: 0,
  disputedSeeds: 0,
  metrics: curvature === null ? {} : { curvature: { mean: curvature, std: 0.01, n: runs } },
  claims: [],
});

const ENTRIES = [
  entry("fig1-margin-neg", "Two moons, small gap", "Fig. 1", 3, 0.13),
  entry("fig1-margin-pos", "Two moons, wide gap", "Fig. 1", 10, 0.05),
  entry("fig2-sd", "Spectral Decoupling", "Fig. 2", 5, 0.33),
  entry("cmnist-erm", "Colored MNIST: ERM", "Table 1, Fig. 4", 1, null),
];
const ids = (entries: readonly LeaderboardEntry[]) => entries.map((e) => e.protocolId);

describe("matchesSearch", () => {
  it("finds every word in the title, the protocol id or the figure, in any case", () => {
    expect(ENTRIES.filter((e) => matchesSearch(e, "MOONS")).map((e) => e.protocolId)).toEqual(["fig1-margin-neg", "fig1-margin-pos"]);
    expect(ENTRIES.filter((e) => matchesSearch(e, "margin-pos")).map((e) => e.protocolId)).toEqual(["fig1-margin-pos"]);
    expect(ENTRIES.filter((e) => matchesSearch(e, "table 1")).map((e) => e.protocolId)).toEqual(["cmnist-erm"]);
    expect(ENTRIES.filter((e) => matchesSearch(e, "moons fig. 2"))).toEqual([]);
    expect(ENTRIES.every((e) => matchesSearch(e, ""))).toBe(true);
  });
});

describe("sortEntries", () => {
  it("keeps the figure order, or reverses it", () => {
    expect(ids(sortEntries(ENTRIES, "figure", "asc"))).toEqual(ids(ENTRIES));
    expect(ids(sortEntries(ENTRIES, "figure", "desc"))).toEqual(ids(ENTRIES).reverse());
  });

  it("sorts by title and counts", () => {
    expect(ids(sortEntries(ENTRIES, "title", "asc"))).toEqual(["cmnist-erm", "fig2-sd", "fig1-margin-neg", "fig1-margin-pos"]);
    expect(ids(sortEntries(ENTRIES, "runs", "desc"))).toEqual(["fig1-margin-pos", "fig2-sd", "fig1-margin-neg", "cmnist-erm"]);
    expect(ids(sortEntries(ENTRIES, "runs", "asc"))).toEqual(["cmnist-erm", "fig1-margin-neg", "fig2-sd", "fig1-margin-pos"]);
  });

  it("sorts by a metric's mean, with protocols that lack it last in both orders", () => {
    expect(ids(sortEntries(ENTRIES, "metric:curvature", "desc"))).toEqual(["fig2-sd", "fig1-margin-neg", "fig1-margin-pos", "cmnist-erm"]);
    expect(ids(sortEntries(ENTRIES, "metric:curvature", "asc"))).toEqual(["fig1-margin-pos", "fig1-margin-neg", "fig2-sd", "cmnist-erm"]);
  });
});

describe("leaderboardGroups", () => {
  it("groups by figure in the figure order only", () => {
    expect(leaderboardGroups(ENTRIES, "", "figure", "asc").map((g) => [g.figure, ids(g.items)])).toEqual([
      ["Fig. 1", ["fig1-margin-neg", "fig1-margin-pos"]],
      ["Fig. 2", ["fig2-sd"]],
      ["Table 1, Fig. 4", ["cmnist-erm"]],
    ]);
    expect(leaderboardGroups(ENTRIES, "moons", "runs", "desc").map((g) => [g.figure, ids(g.items)])).toEqual([["", ["fig1-margin-pos", "fig1-margin-neg"]]]);
    expect(leaderboardGroups(ENTRIES, "no such thing", "figure", "asc")).toEqual([]);
  });
});

describe("metricOptions", () => {
  it("lists each metric once, in registry order", () => {
    const info = (keys: string[]) => ({ metrics: keys.map((key) => ({ key, label: key.toUpperCase() })) }) as unknown as ProtocolInfo;
    expect(metricOptions([info(["curvature", "minMargin"]), info(["minMargin", "testAccuracy"])])).toEqual([
      { key: "curvature", label: "CURVATURE" },
      { key: "minMargin", label: "MINMARGIN" },
      { key: "testAccuracy", label: "TESTACCURACY" },
    ]);
  });
});
