// The verified runs that the run listing and the export show: accepted, fully checked (shared/metrics/counted.ts),
// not hidden by an admin, not by a hidden identity nor under a hidden display name — the runs the boards count —
// and how one such row reads as a listed run (shared/board-api.ts ListedRun).
import { and, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { ListedRun } from "../shared/board-api";
import { BROWSERS, GPU_VENDORS, OPERATING_SYSTEMS } from "../shared/environment-facets";
import { isCounted } from "../shared/metrics/counted";
import { runTrust } from "../shared/metrics/quorum";
import { ALL_RUNS } from "./aggregates/facets";
import { hiddenNameKeys, isUnderHiddenName, shownCondition } from "./aggregates/shown-runs";
import type { Database } from "./db/client";
import { runs, seedStats, type RunRow } from "./db/schema";
import { publicContributorId } from "./run-record";

/** The columns a listed or exported run is read with (no claimed values, environment JSON or message). */
export const LISTED_COLUMNS = {
  id: runs.id,
  protocolId: runs.protocolId,
  protocolVersion: runs.protocolVersion,
  seed: runs.seed,
  status: runs.status,
  contributor: runs.contributor,
  contributorId: runs.contributorId,
  recomputed: runs.recomputed,
  backend: runs.backend,
  trainMs: runs.trainMs,
  createdAt: runs.createdAt,
  replayedSegments: runs.replayedSegments,
  peerStatus: runs.peerStatus,
  hiddenAt: runs.hiddenAt,
  gpuVendor: runs.gpuVendor,
  gpuArchitecture: runs.gpuArchitecture,
  browser: runs.browser,
  os: runs.os,
  /** The seed's quorum over all counted runs (worker/aggregates seed_stats); null while the seed has none counted. */
  seedTrust: seedStats.trust,
};
export type ListedRow = Pick<RunRow, Exclude<keyof typeof LISTED_COLUMNS, "seedTrust">> & { seedTrust: "recomputed" | "reproduced" | "disputed" | null };

/** Runs with their seed's aggregate row (one primary-key lookup per run read). */
export const listedRuns = (db: Database) =>
  db
    .select(LISTED_COLUMNS)
    .from(runs)
    .leftJoin(
      seedStats,
      and(eq(seedStats.protocolId, runs.protocolId), eq(seedStats.protocolVersion, runs.protocolVersion), eq(seedStats.facet, ALL_RUNS), eq(seedStats.seed, runs.seed)),
    );

/**
 * Accepted runs whose evidence is fully checked (isCounted in SQL), not hidden, not of a hidden identity.
 * `accepted`: how the status is tested (acceptedOf: a query narrowed to one key tests it without its index).
 */
export function shownCounted(db: Database, accepted: SQL = eq(runs.status, "accepted")): SQL {
  return and(shownCondition(db, accepted), or(isNull(runs.peerStatus), eq(runs.peerStatus, "replayed")))!;
}

/**
 * The status test of a query: D1 keeps no planner statistics, so with an indexable status SQLite walks
 * runs_status_created even for one key's runs; `+status` (no index) leaves it runs_contributor_created.
 */
export const acceptedOf = (byContributor: boolean): SQL => (byContributor ? sql`+${runs.status} = 'accepted'` : eq(runs.status, "accepted"));

/** Whether a row is not under a display name an admin hid (SQL cannot fold names: rows are matched here). */
export async function hiddenNameFilter(db: Database): Promise<(row: Pick<RunRow, "contributor">) => boolean> {
  const hidden = await hiddenNameKeys(db);
  return (row) => !isUnderHiddenName(hidden, row.contributor);
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): T => ((values as readonly string[]).includes(value ?? "") ? (value as T) : ("other" as T));

/**
 * A run's trust level, as boards give it: pending or disputed by its peers, else its seed's quorum (reproduced,
 * disputed) from the seed's aggregate, else replayed (trajectory segments replayed by the server or confirmed by
 * peers) or recomputed.
 */
export const listedTrust = (row: Pick<ListedRow, "replayedSegments" | "peerStatus" | "seedTrust">): ListedRun["trust"] =>
  runTrust(row.seedTrust ?? "recomputed", row.replayedSegments !== null || row.peerStatus === "replayed", row.peerStatus);

export function toListedRun(row: ListedRow): ListedRun {
  return {
    id: row.id,
    protocolId: row.protocolId,
    protocolVersion: row.protocolVersion,
    seed: row.seed,
    contributor: row.contributor,
    contributorId: publicContributorId(row.contributorId),
    trust: listedTrust(row),
    counted: isCounted(row) && row.hiddenAt === null,
    backend: row.backend as ListedRun["backend"],
    recomputed: JSON.parse(row.recomputed ?? "{}") as ListedRun["recomputed"],
    trainMs: row.trainMs,
    createdAt: new Date(row.createdAt).toISOString(),
    gpuVendor: oneOf(GPU_VENDORS, row.gpuVendor),
    gpuArchitecture: row.gpuArchitecture,
    browser: oneOf(BROWSERS, row.browser),
    os: oneOf(OPERATING_SYSTEMS, row.os),
  };
}
