// Unit tests of the leaderboard arithmetic the Worker's leaderboard uses: pure functions, no bindings needed.
// The code moved from worker/aggregate.ts to shared/metrics/aggregate.ts (worker/aggregate.ts is only a
// temporary re-export), so the tests import it from where worker/routes/leaderboard.ts does.
import { describe, expect, it } from "vitest";
import type { LeaderboardEntry } from "../shared/api";
import { TWO_MOONS_METRICS } from "../shared/metrics/two-moons";
import { findProtocol } from "../shared/protocols/registry";
import type { Protocol } from "../shared/protocols/types";
import { judgeClaims, meanStd, summarize, type AcceptedRun } from "../shared/metrics/aggregate";

const protocol = (id: string): Protocol => {
  const p = findProtocol(id);
  if (!p) throw new Error(id);
  return p;
};

const metrics = (values: Partial<Record<string, number | null>>): Record<string, number | null> => ({
  trainAccuracy: 1,
  finalLoss: 0.1,
  curvature: 0.5,
  meanMargin: 0.2,
  minMargin: 0.01,
  ...values,
});

const runOf = (seed: number, values: Partial<Record<string, number | null>> = {}, contributor: string | null = null): AcceptedRun => ({
  seed,
  contributor,
  recomputed: metrics(values),
});

describe("meanStd", () => {
  it("is null for no values", () => {
    expect(meanStd([])).toBeNull();
  });

  it("of one value is that value with std 0", () => {
    expect(meanStd([0.37])).toEqual({ mean: 0.37, std: 0, n: 1 });
  });

  it("uses the population standard deviation (numpy's np.std, ddof = 0)", () => {
    const stat = meanStd([1, 2, 3, 4])!;
    expect(stat.mean).toBe(2.5);
    expect(stat.std).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(stat.n).toBe(4);
    // Not the sample std (ddof = 1), which would be sqrt(5/3).
    expect(stat.std).not.toBeCloseTo(Math.sqrt(5 / 3), 5);
    expect(meanStd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, std: 2, n: 8 });
  });

  it("is exact for identical values and handles negatives", () => {
    expect(meanStd([0.1, 0.1, 0.1])).toEqual({ mean: expect.closeTo(0.1, 15), std: expect.closeTo(0, 15), n: 3 });
    expect(meanStd([-1, 1])).toEqual({ mean: 0, std: 1, n: 2 });
  });
});

describe("summarize", () => {
  const p = protocol("fig1-margin-neg");

  it("with no runs: zero counts and null metrics", () => {
    const summary = summarize(p, TWO_MOONS_METRICS, []);
    expect(summary).toEqual({
      protocolId: p.id,
      protocolVersion: p.version,
      title: p.title,
      figure: p.figure,
      runs: 0,
      seeds: 0,
      contributors: 0,
      reproducedSeeds: 0,
      disputedSeeds: 0,
      metrics: { trainAccuracy: null, finalLoss: null, curvature: null, meanMargin: null, minMargin: null },
    });
  });

  it("averages per seed first, so a much-repeated seed does not dominate", () => {
    const runs = [...Array.from({ length: 9 }, () => runOf(0, { curvature: 1 })), runOf(1, { curvature: 3 })];
    const summary = summarize(p, TWO_MOONS_METRICS, runs);
    expect(summary.runs).toBe(10);
    expect(summary.seeds).toBe(2);
    // Per-seed means 1 and 3 → mean 2, population std 1, n = 2 seeds (a plain mean over runs would be 1.2).
    expect(summary.metrics.curvature).toEqual({ mean: 2, std: 1, n: 2 });
  });

  it("a seed's value is the mean of its runs", () => {
    const runs = [runOf(4, { finalLoss: 0.1 }), runOf(4, { finalLoss: 0.3 }), runOf(7, { finalLoss: 0.5 })];
    const stat = summarize(p, TWO_MOONS_METRICS, runs).metrics.finalLoss!;
    expect(stat.n).toBe(2);
    expect(stat.mean).toBeCloseTo((0.2 + 0.5) / 2, 15);
    expect(stat.std).toBeCloseTo(0.15, 15);
  });

  it("skips null metric values (and a seed whose runs are all null for that metric)", () => {
    const runs = [runOf(0, { meanMargin: null, minMargin: null }), runOf(1, { meanMargin: 0.4, minMargin: null }), runOf(1, { meanMargin: null, minMargin: null }), runOf(2, { meanMargin: 0.2, minMargin: null })];
    const summary = summarize(p, TWO_MOONS_METRICS, runs);
    // Seed 1's null run does not pull its mean towards 0; seed 0 contributes nothing.
    expect(summary.metrics.meanMargin).toEqual({ mean: expect.closeTo(0.3, 15), std: expect.closeTo(0.1, 15), n: 2 });
    expect(summary.metrics.minMargin).toBeNull();
    expect(summary.metrics.trainAccuracy).toEqual({ mean: 1, std: 0, n: 3 });
  });

  it("ignores metric keys that the family does not define and reports missing ones as null", () => {
    const summary = summarize(p, TWO_MOONS_METRICS, [{ seed: 0, contributor: null, recomputed: { curvature: 0.2, bogus: 5 } }]);
    expect(Object.keys(summary.metrics)).toEqual(["trainAccuracy", "finalLoss", "curvature", "meanMargin", "minMargin"]);
    expect(summary.metrics.curvature).toEqual({ mean: 0.2, std: 0, n: 1 });
    expect(summary.metrics.trainAccuracy).toBeNull();
  });

  it("counts distinct seeds and contributors", () => {
    const runs = [runOf(0, {}, "alice"), runOf(0, {}, "bob"), runOf(3, {}, "alice"), runOf(5, {}, null)];
    const summary = summarize(p, TWO_MOONS_METRICS, runs);
    expect(summary).toMatchObject({ runs: 4, seeds: 3, contributors: 3 });
  });

  it("counts every anonymous run as one contributor (documents the current rule)", () => {
    const summary = summarize(p, TWO_MOONS_METRICS, [runOf(0), runOf(1), runOf(2)]);
    expect(summary.contributors).toBe(1);
  });

  it("counts contributors by key, not by the name they type", () => {
    const keyed = (seed: number, id: string, name: string): AcceptedRun => ({ ...runOf(seed, {}, name), contributorId: id });
    const summary = summarize(p, TWO_MOONS_METRICS, [keyed(0, "k1", "alice"), keyed(1, "k1", "Alice!"), keyed(2, "k2", "alice")]);
    expect(summary.contributors).toBe(2);
  });

  /** A run of an earned key from its own address block. */
  const keyed = (seed: number, id: string, curvature: number, extra: Partial<AcceptedRun> = {}): AcceptedRun => ({
    ...runOf(seed, { curvature }),
    contributorId: id,
    addressBlock: `block-${id}`,
    earned: true,
    ...extra,
  });

  it("counts reproduced and disputed seeds; on a protocol the server verifies in full, a disputed seed stays averaged in", () => {
    const runs = [keyed(0, "a", 0.3), keyed(0, "b", 0.301), keyed(1, "a", 0.5), keyed(1, "b", 0.9), keyed(2, "a", 0.1)];
    const summary = summarize(p, TWO_MOONS_METRICS, runs);
    expect(summary).toMatchObject({ runs: 5, seeds: 3, reproducedSeeds: 1, disputedSeeds: 1 });
    // The server replayed both of seed 1's runs itself: the dispute is information, seed 1 (0.7) stays in.
    expect(summary.metrics.curvature).toEqual({ mean: expect.closeTo((0.3005 + 0.7 + 0.1) / 3, 12), std: expect.any(Number), n: 3 });
  });

  it("a forged-but-accepted disagreeing run does not take an honest two-moons seed out of the averages", () => {
    const honest = [keyed(0, "h1", 0.3), keyed(1, "h2", 0.5)];
    const before = summarize(p, TWO_MOONS_METRICS, honest);
    const forged = summarize(p, TWO_MOONS_METRICS, [...honest, keyed(0, "forger", 0.9)]);
    expect(forged.metrics.curvature!.n).toBe(before.metrics.curvature!.n);
    expect(forged.disputedSeeds).toBe(1);
  });

  it("on a peer-replayed or Colored-MNIST protocol, an earned cross-block dispute leaves the seed out", () => {
    for (const id of ["fig3-deeper", "cmnist-erm"]) {
      const q = protocol(id);
      const ms = [{ key: "curvature", label: "", description: "", tolerance: { abs: 0, rel: 0 }, nullable: false, digits: 3 }];
      const runs = [keyed(0, "a", 0.3, { peerStatus: "replayed" }), keyed(0, "b", 0.9, { peerStatus: "replayed" }), keyed(1, "a", 0.1, { peerStatus: "replayed" })];
      const summary = summarize(q, ms, runs);
      expect(summary).toMatchObject({ runs: 3, seeds: 2, disputedSeeds: 1 });
      expect(summary.metrics.curvature).toEqual({ mean: 0.1, std: 0, n: 1 });
      // Unearned or same-block disagreement does not.
      const sybil = summarize(q, ms, [runs[0]!, { ...runs[1]!, earned: false }, runs[2]!]);
      const sameBlock = summarize(q, ms, [runs[0]!, { ...runs[1]!, addressBlock: "block-a" }, runs[2]!]);
      for (const s of [sybil, sameBlock]) expect(s).toMatchObject({ disputedSeeds: 0, metrics: { curvature: { n: 2 } } });
    }
  });

  it("leaves pending and refuted runs out of every count, average and quorum", () => {
    const counted = [keyed(0, "a", 0.3), keyed(1, "b", 0.5, { peerStatus: "replayed" })];
    const before = summarize(p, TWO_MOONS_METRICS, counted);
    const withPending = summarize(p, TWO_MOONS_METRICS, [
      ...counted,
      keyed(0, "c", 0.301, { peerStatus: "pending" }),
      keyed(0, "d", 0.9, { peerStatus: "pending" }),
      keyed(2, "e", 0.1, { peerStatus: "pending" }),
      keyed(1, "f", 0.9, { peerStatus: "refuted" }),
    ]);
    expect(withPending).toEqual(before);
    expect(before).toMatchObject({ runs: 2, seeds: 2, contributors: 2, reproducedSeeds: 0, disputedSeeds: 0 });
  });

  it("a pending run counts once its peers have replayed it", () => {
    const pending = [keyed(0, "a", 0.3), keyed(0, "b", 0.301, { peerStatus: "pending" })];
    expect(summarize(p, TWO_MOONS_METRICS, pending)).toMatchObject({ runs: 1, reproducedSeeds: 0 });
    const replayed = [pending[0]!, { ...pending[1]!, peerStatus: "replayed" as const }];
    expect(summarize(p, TWO_MOONS_METRICS, replayed)).toMatchObject({ runs: 2, reproducedSeeds: 1 });
  });
});

describe("judgeClaims", () => {
  it("never moves on pending runs", () => {
    const neg = protocol("fig1-margin-neg");
    const pos = protocol("fig1-margin-pos");
    const honest = new Map([
      [neg.id, summarize(neg, TWO_MOONS_METRICS, [runOf(0, { curvature: 0.6 })])],
      [pos.id, summarize(pos, TWO_MOONS_METRICS, [runOf(0, { curvature: 0.1 })])],
    ]);
    const forgedPending = Array.from({ length: 5 }, (_, k): AcceptedRun => ({ ...runOf(k + 1, { curvature: 0 }), peerStatus: "pending" }));
    const attacked = new Map([
      [neg.id, summarize(neg, TWO_MOONS_METRICS, [runOf(0, { curvature: 0.6 }), ...forgedPending])],
      [pos.id, summarize(pos, TWO_MOONS_METRICS, [runOf(0, { curvature: 0.1 })])],
    ]);
    expect(judgeClaims(neg, attacked)).toEqual(judgeClaims(neg, honest));
    expect(judgeClaims(neg, attacked)[0]!.holds).toBe(true);
  });

  const neg = protocol("fig1-margin-neg");
  const pos = protocol("fig1-margin-pos");
  const sd = protocol("fig2-margin-pos-sd");
  const fig2pos = protocol("fig2-margin-pos");

  const summaries = (...entries: [Protocol, AcceptedRun[]][]): Map<string, Omit<LeaderboardEntry, "claims">> =>
    new Map(entries.map(([p, runs]) => [p.id, summarize(p, TWO_MOONS_METRICS, runs)] as const));

  it("holds is true when the claimed relation holds between the seed means", () => {
    const s = summaries([neg, [runOf(0, { curvature: 0.6 }), runOf(1, { curvature: 0.4 })]], [pos, [runOf(0, { curvature: 0.1 })]]);
    const [negClaim] = judgeClaims(neg, s);
    expect(negClaim).toMatchObject({ metric: "curvature", relation: ">", otherProtocolId: pos.id, holds: true });
    expect(negClaim!.value).toEqual({ mean: expect.closeTo(0.5, 15), std: expect.closeTo(0.1, 15), n: 2 });
    expect(negClaim!.other).toEqual({ mean: 0.1, std: 0, n: 1 });
    const [posClaim] = judgeClaims(pos, s);
    expect(posClaim).toMatchObject({ relation: "<", otherProtocolId: neg.id, holds: true });
  });

  it("holds is false when it does not (and for equal means, the relation being strict)", () => {
    const reversed = summaries([neg, [runOf(0, { curvature: 0.1 })]], [pos, [runOf(0, { curvature: 0.6 })]]);
    expect(judgeClaims(neg, reversed)[0]!.holds).toBe(false);
    expect(judgeClaims(pos, reversed)[0]!.holds).toBe(false);
    const equal = summaries([neg, [runOf(0, { curvature: 0.3 })]], [pos, [runOf(0, { curvature: 0.3 })]]);
    expect(judgeClaims(neg, equal)[0]!.holds).toBe(false);
  });

  it("holds is null until both protocols have a value", () => {
    const onlyNeg = summaries([neg, [runOf(0)]], [pos, []]);
    expect(judgeClaims(neg, onlyNeg)[0]).toMatchObject({ holds: null, other: null, value: { mean: 0.5, std: 0, n: 1 } });
    expect(judgeClaims(pos, onlyNeg)[0]).toMatchObject({ holds: null, value: null });
    // The other protocol missing from the map altogether.
    expect(judgeClaims(neg, summaries([neg, [runOf(0)]]))[0]).toMatchObject({ holds: null, other: null });
  });

  it("holds is null when the claim's metric is null on one side", () => {
    const s = summaries([sd, [runOf(0, { minMargin: 0.05 })]], [fig2pos, [runOf(0, { minMargin: null })]]);
    const claims = judgeClaims(sd, s);
    expect(claims.map((c) => c.metric)).toEqual(["curvature", "minMargin"]);
    expect(claims[0]!.holds).toBe(false); // curvature 0.5 > 0.5 is false
    expect(claims[1]).toMatchObject({ metric: "minMargin", holds: null, other: null, value: { mean: 0.05, std: 0, n: 1 } });
  });

  it("a protocol without claims has no verdicts", () => {
    expect(judgeClaims(fig2pos, summaries([fig2pos, [runOf(0)]]))).toEqual([]);
  });

  it("a negative mean is still compared (a Stat with mean 0 or below is not treated as missing)", () => {
    const s = summaries([sd, [runOf(0, { minMargin: -0.01, curvature: 0 })]], [fig2pos, [runOf(0, { minMargin: -0.2, curvature: 0 })]]);
    const claims = judgeClaims(sd, s);
    expect(claims[1]).toMatchObject({ metric: "minMargin", holds: true });
    expect(claims[0]).toMatchObject({ metric: "curvature", holds: false });
  });
});
