// The verified runs that the run listing and the export show: accepted, fully checked (shared/metrics/counted.ts),
// not hidden by an admin, not by a hidden identity nor under a hidden display name — the runs the boards count —
// and how one such row reads as a listed run (shared/board-api.ts ListedRun).
import { and, eq, isNull, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { ListedRun } from "../shared/board-api";
import { BROWSERS, GPU_VENDORS, OPERATING_SYSTEMS } from "../shared/environment-facets";
import { isCounted } from "../shared/metrics/counted";
import { runTrust } from "../shared/metrics/quorum";
import { nameKey } from "../shared/names";
import type { Database } from "./db/client";
import { hiddenContributorKeys, hiddenContributors, runs, type RunRow } from "./db/schema";
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
};
export type ListedRow = Pick<RunRow, keyof typeof LISTED_COLUMNS>;

/**
 * Accepted runs whose evidence is fully checked (isCounted in SQL), not hidden, not of a hidden identity.
 * `accepted`: how the status is tested (acceptedOf: a query narrowed to one key tests it without its index).
 */
export function shownCounted(db: Database, accepted: SQL = eq(runs.status, "accepted")): SQL {
  const hiddenKeys = db.select({ id: hiddenContributorKeys.contributorId }).from(hiddenContributorKeys);
  return and(
    accepted,
    or(isNull(runs.peerStatus), eq(runs.peerStatus, "replayed")),
    isNull(runs.hiddenAt),
    or(isNull(runs.contributorId), notInArray(runs.contributorId, hiddenKeys)),
  )!;
}

/**
 * The status test of a query: D1 keeps no planner statistics, so with an indexable status SQLite walks
 * runs_status_created even for one key's runs; `+status` (no index) leaves it runs_contributor_created.
 */
export const acceptedOf = (byContributor: boolean): SQL => (byContributor ? sql`+${runs.status} = 'accepted'` : eq(runs.status, "accepted"));

/** Display names an admin hid (by nameKey; SQL cannot fold names, so rows are matched here). A short admin-kept list. */
const HIDDEN_NAMES_MAX = 10_000;
export async function hiddenNameFilter(db: Database): Promise<(row: Pick<RunRow, "contributor">) => boolean> {
  const hidden = await db.select({ name: hiddenContributors.name }).from(hiddenContributors).limit(HIDDEN_NAMES_MAX);
  if (hidden.length === 0) return () => true;
  const keys = new Set(hidden.map((h) => nameKey(h.name)));
  return (row) => row.contributor === null || !keys.has(nameKey(row.contributor));
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): T => ((values as readonly string[]).includes(value ?? "") ? (value as T) : ("other" as T));

/**
 * The run's own trust level: pending or refuted (peers), replayed (trajectory segments replayed by the server
 * or confirmed by peers), otherwise recomputed. A seed's quorum (reproduced, disputed) needs every run of the
 * seed: the board's per-seed aggregates carry it.
 */
export const ownTrust = (row: Pick<RunRow, "replayedSegments" | "peerStatus">): ListedRun["trust"] =>
  runTrust("recomputed", row.replayedSegments !== null || row.peerStatus === "replayed", row.peerStatus);

export function toListedRun(row: ListedRow): ListedRun {
  return {
    id: row.id,
    protocolId: row.protocolId,
    protocolVersion: row.protocolVersion,
    seed: row.seed,
    contributor: row.contributor,
    contributorId: publicContributorId(row.contributorId),
    trust: ownTrust(row),
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
