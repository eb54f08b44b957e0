// The runs an aggregate may see: accepted, not hidden by an admin, not by a hidden key (whatever name it used),
// not under a hidden name. Names are compared by their key (shared/names.ts nameKey: normalised, case-folded),
// which SQL cannot compute, so hidden names are matched here, on rows an indexed query already narrowed.
import { and, asc, eq, isNull, notInArray, or, type SQL } from "drizzle-orm";
import { nameKey } from "../../shared/names";
import type { Database } from "../db/client";
import { hiddenContributorKeys, hiddenContributors, runs } from "../db/schema";

/**
 * Accepted, not hidden, nor by a hidden key (SQL); hidden names are filtered by withoutHiddenNames. `accepted`:
 * how the status is tested (worker/shown-runs.ts acceptedOf: a query narrowed to one key tests it without its index).
 */
export const shownCondition = (db: Database, accepted: SQL = eq(runs.status, "accepted")) =>
  and(
    accepted,
    isNull(runs.hiddenAt),
    or(isNull(runs.contributorId), notInArray(runs.contributorId, db.select({ id: hiddenContributorKeys.contributorId }).from(hiddenContributorKeys))),
  );

/** The comparison keys of every hidden name (a small table: one row per name an admin hid). */
export async function hiddenNameKeys(db: Database): Promise<Set<string>> {
  const rows = await db.select({ name: hiddenContributors.name }).from(hiddenContributors);
  return new Set(rows.map((r) => nameKey(r.name)));
}

export const isUnderHiddenName = (hidden: ReadonlySet<string>, contributor: string | null): boolean => contributor !== null && hidden.size > 0 && hidden.has(nameKey(contributor));

/** The columns an aggregate reads of a run. */
const SEED_COLUMNS = {
  id: runs.id,
  seed: runs.seed,
  contributor: runs.contributor,
  contributorId: runs.contributorId,
  recomputed: runs.recomputed,
  peerStatus: runs.peerStatus,
  addressBlock: runs.addressBlock,
  replayedSegments: runs.replayedSegments,
  backend: runs.backend,
  gpuVendor: runs.gpuVendor,
  gpuArchitecture: runs.gpuArchitecture,
  browser: runs.browser,
  os: runs.os,
  createdAt: runs.createdAt,
};

/** One seed's shown runs, oldest first (index runs_protocol_seed). */
export async function shownRunsOfSeed(db: Database, protocolId: string, protocolVersion: number, seed: number) {
  const [rows, hidden] = await Promise.all([
    db
      .select(SEED_COLUMNS)
      .from(runs)
      .where(and(eq(runs.protocolId, protocolId), eq(runs.protocolVersion, protocolVersion), eq(runs.seed, seed), shownCondition(db)))
      .orderBy(asc(runs.createdAt), asc(runs.id)),
    hiddenNameKeys(db),
  ]);
  return rows.filter((r) => !isUnderHiddenName(hidden, r.contributor));
}
export type SeedRunRow = Awaited<ReturnType<typeof shownRunsOfSeed>>[number];
