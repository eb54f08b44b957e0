// Leaderboard arithmetic: per-seed means, then mean ± population std across seeds (the paper's np.std),
// over the counted runs (counted.ts: pending and refuted runs count nowhere) of the seeds a dispute does not
// leave out (quorum.ts), and the verdict on each of the paper's claims. Pure functions over accepted runs.
import type { LeaderboardEntry, Stat } from "../api";
import type { MetricDefinition, Protocol } from "../protocols/types";
import { isCounted } from "./counted";
import { AGREEMENT, disputeLeavesSeedOut, seedTrust } from "./quorum";

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
const identityOf = (run: AcceptedRun): string => (run.contributorId ? `key:${run.contributorId}` : run.contributor ? `name:${run.contributor}` : "anonymous");

export function meanStd(values: readonly number[]): Stat | null {
  if (values.length === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance), n: values.length };
}

/** One value per seed (the mean of that seed's runs) so that a much-repeated seed does not dominate. */
function perSeedMeans(runs: readonly AcceptedRun[], key: string): number[] {
  const bySeed = new Map<number, number[]>();
  for (const run of runs) {
    const value = run.recomputed[key];
    if (typeof value !== "number") continue;
    bySeed.set(run.seed, [...(bySeed.get(run.seed) ?? []), value]);
  }
  return [...bySeed.values()].map((values) => values.reduce((a, b) => a + b, 0) / values.length);
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

export function summarize(protocol: Protocol, metrics: readonly MetricDefinition[], shown: readonly AcceptedRun[]): Omit<LeaderboardEntry, "claims"> {
  const runs = countedRuns(shown);
  const trust = trustBySeed(protocol, metrics, runs);
  const levels = [...trust.values()];
  // A disputed seed is flagged; it is left out of the averages only where the server did not settle both runs itself.
  const averaged = disputeLeavesSeedOut(protocol) ? runs.filter((r) => trust.get(r.seed) !== "disputed") : runs;
  return {
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    title: protocol.title,
    figure: protocol.figure,
    runs: runs.length,
    seeds: trust.size,
    contributors: new Set(runs.map(identityOf)).size,
    reproducedSeeds: levels.filter((t) => t === "reproduced").length,
    disputedSeeds: levels.filter((t) => t === "disputed").length,
    metrics: Object.fromEntries(metrics.map((m) => [m.key, meanStd(perSeedMeans(averaged, m.key))])),
  };
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
