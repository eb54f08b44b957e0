// Leaderboard arithmetic: per-seed means, then mean ± population std across seeds (the paper's np.std),
// and the verdict on each of the paper's claims. Pure functions over accepted runs.
import type { LeaderboardEntry, Stat } from "../api";
import type { MetricDefinition, Protocol } from "../protocols/types";

export interface AcceptedRun {
  readonly seed: number;
  readonly contributor: string | null;
  readonly recomputed: Readonly<Record<string, number | null>>;
}

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

export function summarize(protocol: Protocol, metrics: readonly MetricDefinition[], runs: readonly AcceptedRun[]): Omit<LeaderboardEntry, "claims"> {
  return {
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    title: protocol.title,
    figure: protocol.figure,
    runs: runs.length,
    seeds: new Set(runs.map((r) => r.seed)).size,
    contributors: new Set(runs.map((r) => r.contributor ?? "")).size,
    metrics: Object.fromEntries(metrics.map((m) => [m.key, meanStd(perSeedMeans(runs, m.key))])),
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
