import { describe, expect, it } from "vitest";
import type { LeaderboardEntry } from "../../../shared/api";
import { CMNIST_PROTOCOLS, reducedCmnistProtocol } from "../../../shared/protocols/colored-mnist";
import {
  formatDiffInStd,
  formatDiffPoints,
  formatPercent,
  orderingVerdict,
  reducedRows,
  table1Cell,
  table1Rows,
} from "./table1-rows";

function entry(protocolId: string, train: number, test: number, n = 3, std = 0.01): LeaderboardEntry {
  return {
    protocolId,
    protocolVersion: 1,
    title: protocolId,
    figure: "Table 1, Fig. 4",
    runs: n,
    seeds: n,
    contributors: 2,
    reproducedSeeds: 0,
    disputedSeeds: 0,
    metrics: { trainAccuracy: { mean: train, std, n }, testAccuracy: { mean: test, std, n } },
    claims: [],
  };
}

describe("table1Cell", () => {
  it("turns fractions into percent and measures the gap in paper stds", () => {
    const cell = table1Cell({ mean: 91.1, std: 0.4 }, { mean: 0.913, std: 0.005, n: 10 });
    expect(cell.lab!.mean).toBeCloseTo(91.3, 10);
    expect(cell.lab!.std).toBeCloseTo(0.5, 10);
    expect(cell.lab!.n).toBe(10);
    expect(cell.diffPoints).toBeCloseTo(0.2, 10);
    expect(cell.diffInStd).toBeCloseTo(0.5, 10);
  });

  it("has no difference without runs, and none in std units when the paper's std is 0", () => {
    expect(table1Cell({ mean: 50, std: 0 }, null)).toEqual({ paper: { mean: 50, std: 0 }, lab: null, diffPoints: null, diffInStd: null });
    const zeroStd = table1Cell({ mean: 50, std: 0 }, { mean: 0.52, std: 0, n: 1 });
    expect(zeroStd.diffPoints).toBeCloseTo(2, 10);
    expect(zeroStd.diffInStd).toBeNull();
    expect(table1Cell(null, { mean: 0.5, std: 0, n: 1 }).diffPoints).toBeNull();
  });
});

describe("table1Rows", () => {
  it("lists every method in paper order with the paper's numbers, then the random-guess row", () => {
    const rows = table1Rows(CMNIST_PROTOCOLS, []);
    expect(rows.map((r) => r.method)).toEqual(["ERM", "SD", "IRM", "REx", "Oracle (grayscale)", "Random guess"]);
    expect(rows.map((r) => r.key)).toEqual(["cmnist-erm", "cmnist-sd", "cmnist-irm", "cmnist-rex", "cmnist-oracle", "random"]);
    expect(rows[0]!.train.paper).toEqual({ mean: 91.1, std: 0.4 });
    expect(rows[0]!.test.paper).toEqual({ mean: 23.7, std: 0.8 });
    expect(rows[5]!.test.paper).toEqual({ mean: 50, std: 0 });
    expect(rows.every((r) => !r.hasRuns && r.train.lab === null && r.runs === 0)).toBe(true);
    expect(rows[5]!.protocolId).toBeNull();
  });

  it("takes GS Lab's numbers from the protocol's own leaderboard entry", () => {
    const rows = table1Rows(CMNIST_PROTOCOLS, [entry("cmnist-sd", 0.7, 0.684), entry("other", 0.1, 0.1)]);
    const sd = rows.find((r) => r.key === "cmnist-sd")!;
    expect(sd.hasRuns).toBe(true);
    expect(sd.test.lab!.mean).toBeCloseTo(68.4, 10);
    expect(sd.test.diffInStd).toBeCloseTo(0, 10);
    expect(sd.contributors).toBe(2);
    expect(rows.find((r) => r.key === "cmnist-erm")!.hasRuns).toBe(false);
  });

  it("ignores metrics of an entry without runs", () => {
    const rows = table1Rows(CMNIST_PROTOCOLS, [{ ...entry("cmnist-erm", 0.9, 0.2), runs: 0 }]);
    expect(rows[0]!.hasRuns).toBe(false);
    expect(rows[0]!.test.lab).toBeNull();
  });

  it("never compares reduced configurations with the paper", () => {
    const reduced = CMNIST_PROTOCOLS.map((p) => reducedCmnistProtocol(p));
    const rows = reducedRows(reduced, [entry("cmnist-erm-reduced", 0.85, 0.3)]);
    expect(rows.map((r) => r.method)).toEqual(["ERM, reduced", "SD, reduced", "IRM, reduced", "REx, reduced", "Oracle (grayscale), reduced"]);
    expect(rows.every((r) => r.train.paper === null && r.test.paper === null && r.test.diffInStd === null)).toBe(true);
    expect(rows[0]!.test.lab!.mean).toBeCloseTo(30, 10);
  });
});

describe("formatting", () => {
  it("writes percent stats and signed differences", () => {
    expect(formatPercent({ mean: 23.66, std: 0.81 })).toBe("23.7 ± 0.8");
    expect(formatPercent(null)).toBe("—");
    expect(formatPercent({ mean: 50, std: 0 })).toBe("50.0");
    expect(formatDiffInStd(1.26)).toBe("+1.3σ");
    expect(formatDiffInStd(-0.44)).toBe("−0.4σ");
    expect(formatDiffInStd(-0.01)).toBe("+0.0σ");
    expect(formatDiffInStd(null)).toBe("—");
    expect(formatDiffPoints(-12.34)).toBe("−12.3 pts");
    expect(formatDiffPoints(Number.NaN)).toBe("—");
  });
});

describe("orderingVerdict", () => {
  const verdict = (entries: LeaderboardEntry[]) => orderingVerdict(table1Rows(CMNIST_PROTOCOLS, entries));

  it("judges nothing without runs", () => {
    const v = verdict([]);
    expect(v.status).toBe("no-runs");
    expect(v.checks.map((c) => c.protocolId)).toEqual(["cmnist-erm", "cmnist-sd", "cmnist-irm"]);
    expect(v.checks.every((c) => c.holds === null)).toBe(true);
  });

  it("derives its thresholds from the paper's rows", () => {
    const v = verdict([]);
    expect(v.ermBelow).toBe(40);
    expect(v.band[0]).toBeCloseTo(67.1 - 5, 10);
    expect(v.band[1]).toBeCloseTo(68.4 + 5, 10);
  });

  it("holds when ERM falls far below chance and SD and IRM stay near 67–68 %", () => {
    const v = verdict([entry("cmnist-erm", 0.91, 0.24), entry("cmnist-sd", 0.7, 0.68), entry("cmnist-irm", 0.705, 0.67)]);
    expect(v.status).toBe("holds");
    expect(v.checks.every((c) => c.holds === true)).toBe(true);
  });

  it("is partial while some of the three have no runs, and fails on any broken check", () => {
    expect(verdict([entry("cmnist-erm", 0.91, 0.24)]).status).toBe("partial");
    const fails = verdict([entry("cmnist-erm", 0.91, 0.24), entry("cmnist-sd", 0.9, 0.3)]);
    expect(fails.status).toBe("fails");
    expect(fails.checks.find((c) => c.protocolId === "cmnist-sd")!.holds).toBe(false);
    expect(verdict([entry("cmnist-erm", 0.9, 0.45)]).status).toBe("fails");
  });
});
