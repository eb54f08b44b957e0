// Leaderboard arithmetic: per-seed means, then mean ± population std across seeds (the paper's np.std),
// over the counted runs (counted.ts: pending and refuted runs count nowhere) of the seeds a dispute does not
// leave out (quorum.ts), and the verdict on each of the paper's claims. Pure functions over accepted runs.
import type { LeaderboardEntry, Stat } from "../api";
import type { MetricDefinition, Protocol } from "../protocols/types";
import { isCounted } from "./counted";
import { AGREEMENT, disputeLeavesSeedOut, seedTrust, type TrustLevel } from "./quorum";

export interface AcceptedRun {
  readonly seed: number;
  /** The display name, as the contributor typed it (anyone can type any name). */
  readonly contributor: string | null;
  /** The contributor's identity: the hash of their secret key; absent or null for anonymous runs. */
  readonly contributorId?: string | null;
  readonly recomputed: Readonly<Record<string, number | null>>;
  /** The peers' verdict (counted.ts); absent or null when the server verified the run itself. Pending and refuted runs are dropped here. */
  readonly peerStatus?: "pending" | "replayed" | "refuted" | null;
  /** The submitter's address block (quorum.ts); absent: unknown, so the run is no quorum witness. */
  readonly addressBlock?: string | null;
  /** Whether the contributor key has earned standing (quorum.ts); absent: not earned. */
  readonly earned?: boolean;
}

/** The runs whose evidence is fully checked (counted.ts isCounted): the only ones any aggregate sees. */
export const countedRuns = <R extends AcceptedRun>(runs: readonly R[]): R[] => runs.filter((r) => isCounted({ status: "accepted", peerStatus: r.peerStatus ?? null }));

/** Who a run counts for: the key's identity, else the typed name, else "anonymous" (all anonymous runs are one). */
export const identityOf = (run: Pick<AcceptedRun, "contributor" | "contributorId">): string =>
  run.contributorId ? `key:${run.contributorId}` : run.contributor ? `name:${run.contributor}` : "anonymous";

export function meanStd(values: readonly number[]): Stat | null {
  if (values.length === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance), n: values.length };
}

/**
 * Each seed's mean of each metric over its runs (null: no run recorded a number), in one pass with running sums,
 * so that a much-repeated seed costs linear time; seeds in the order their first run comes.
 */
export function seedMeans(runs: readonly AcceptedRun[], keys: readonly string[]): Map<number, Record<string, number | null>> {
  const sums = new Map<number, { sum: number[]; n: number[] }>();
  for (const run of runs) {
    let acc = sums.get(run.seed);
    if (!acc) sums.set(run.seed, (acc = { sum: keys.map(() => 0), n: keys.map(() => 0) }));
    keys.forEach((key, k) => {
      const value = run.recomputed[key];
      if (typeof value !== "number") return;
      acc.sum[k]! += value;
      acc.n[k]! += 1;
    });
  }
  return new Map([...sums].map(([seed, acc]) => [seed, Object.fromEntries(keys.map((key, k) => [key, acc.n[k]! > 0 ? acc.sum[k]! / acc.n[k]! : null]))]));
}

/** Each seed's trust level under the protocol's agreement tolerance, from its counted runs only. */
export const trustBySeed = (protocol: Protocol, metrics: readonly MetricDefinition[], runs: readonly AcceptedRun[]) =>
  seedTrust(
    countedRuns(runs).map((r) => ({
      seed: r.seed,
      contributorId: r.contributorId ?? null,
      addressBlock: r.addressBlock ?? null,
      earned: r.earned ?? false,
      recomputed: r.recomputed,
    })),
    { keys: metrics.map((m) => m.key), ...AGREEMENT[protocol.family] },
  );

/** One seed's share of a protocol's entry: what the Worker keeps per (protocol, facet, seed) in seed_stats. */
export interface SeedAggregate {
  readonly seed: number;
  /** Counted runs of the seed. */
  readonly runs: number;
  readonly trust: TrustLevel;
  /** Left out of the metrics' mean ± std: disputed where a dispute leaves the seed out (quorum.ts disputeLeavesSeedOut). */
  readonly excluded: boolean;
  /** The seed's mean of each metric over its runs (seedMeans). */
  readonly means: Readonly<Record<string, number | null>>;
}

/** Every seed's aggregate from counted runs (all of one protocol): the per-seed half of summarize. */
export function seedAggregates(protocol: Protocol, metrics: readonly MetricDefinition[], counted: readonly AcceptedRun[]): SeedAggregate[] {
  const trust = trustBySeed(protocol, metrics, counted);
  const means = seedMeans(counted, metrics.map((m) => m.key));
  const runsOf = new Map<number, number>();
  for (const run of counted) runsOf.set(run.seed, (runsOf.get(run.seed) ?? 0) + 1);
  const leavesOut = disputeLeavesSeedOut(protocol);
  return [...means].map(([seed, m]) => {
    const level = trust.get(seed) ?? "recomputed";
    return { seed, runs: runsOf.get(seed)!, trust: level, excluded: leavesOut && level === "disputed", means: m };
  });
}

/**
 * A protocol's entry from its seeds' aggregates and its distinct contributors: runs and seeds over every seed,
 * each metric's mean ± population std over the per-seed means of the seeds not excluded. The per-protocol half
 * of summarize, and what the Worker's board_stats rows are computed with.
 */
export function entryFromSeeds(protocol: Protocol, metrics: readonly MetricDefinition[], seeds: readonly SeedAggregate[], contributors: number): Omit<LeaderboardEntry, "claims"> {
  const averaged = seeds.filter((s) => !s.excluded);
  return {
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    title: protocol.title,
    figure: protocol.figure,
    runs: seeds.reduce((n, s) => n + s.runs, 0),
    seeds: seeds.length,
    contributors,
    reproducedSeeds: seeds.filter((s) => s.trust === "reproduced").length,
    disputedSeeds: seeds.filter((s) => s.trust === "disputed").length,
    metrics: Object.fromEntries(
      metrics.map((m) => [m.key, meanStd(averaged.map((s) => s.means[m.key]).filter((v): v is number => typeof v === "number"))]),
    ),
  };
}

/** The from-scratch reference: a protocol's entry over the runs shown (only counted ones are aggregated). */
export function summarize(protocol: Protocol, metrics: readonly MetricDefinition[], shown: readonly AcceptedRun[]): Omit<LeaderboardEntry, "claims"> {
  const runs = countedRuns(shown);
  return entryFromSeeds(protocol, metrics, seedAggregates(protocol, metrics, runs), new Set(runs.map(identityOf)).size);
}

/** Verdicts on a protocol's claims, from the summaries of every protocol. */
export function judgeClaims(protocol: Protocol, summaries: ReadonlyMap<string, Omit<LeaderboardEntry, "claims">>): LeaderboardEntry["claims"] {
  return protocol.claims.map((claim) => {
    const value = summaries.get(protocol.id)?.metrics[claim.metric] ?? null;
    const other = summaries.get(claim.otherProtocolId)?.metrics[claim.metric] ?? null;
    const holds = value && other ? (claim.relation === "<" ? value.mean < other.mean : value.mean > other.mean) : null;
    return { ...claim, value, other, holds };
  });
}
