// What a write that changes what counts adds to its own D1 batch: the (protocol, version, seed) rows it made
// dirty, the contributor keys whose standing it made stale, and a bump of the aggregate version (ETags). The
// refresh (settle.ts) runs right after the batch; a request that dies in between leaves the marks for the next one.
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../db/client";
import { aggregateDirty, aggregateVersion, contributorStanding } from "../db/schema";

export interface SeedRef {
  readonly protocolId: string;
  readonly protocolVersion: number;
  readonly seed: number;
}

/** Rows per INSERT: D1 binds at most 100 values in one statement (4 per dirty row, 7 per standing row). */
const DIRTY_PER_INSERT = 24;
const STANDING_PER_INSERT = 14;

/** A fresh mark, so that a refresh deletes only the dirty row it read, not a newer marking of the same seed. */
const newMark = (): number => Math.floor(Math.random() * 2 ** 52);

const chunks = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, k) => items.slice(k * size, (k + 1) * size));

export const bumpVersion = (db: Database) => db.update(aggregateVersion).set({ version: sql`${aggregateVersion.version} + 1` }).where(sql`${aggregateVersion.id} = 1`);

/** Marks seeds dirty (a seed marked again gets a new mark). */
export function markSeeds(db: Database, seeds: readonly SeedRef[]): BatchItem<"sqlite">[] {
  const unique = [...new Map(seeds.map((s) => [`${s.protocolId}\u0000${s.protocolVersion}\u0000${s.seed}`, s])).values()];
  return chunks(unique, DIRTY_PER_INSERT).map((part) =>
    db
      .insert(aggregateDirty)
      .values(part.map((s) => ({ protocolId: s.protocolId, protocolVersion: s.protocolVersion, seed: s.seed, mark: newMark() })))
      .onConflictDoUpdate({ target: [aggregateDirty.protocolId, aggregateDirty.protocolVersion, aggregateDirty.seed], set: { mark: sql`excluded.mark` } }),
  );
}

/** Marks contributor keys' standing stale (a key seen for the first time gets a row without standing). */
export function markStale(db: Database, contributorIds: readonly (string | null)[]): BatchItem<"sqlite">[] {
  const ids = [...new Set(contributorIds.filter((id): id is string => id !== null))];
  return chunks(ids, STANDING_PER_INSERT).map((part) =>
    db
      .insert(contributorStanding)
      .values(part.map((contributorId) => ({ contributorId, serverVerifiedRuns: 0, refusals: 0, weight: 0, earned: false, stale: true, updatedAt: 0 })))
      .onConflictDoUpdate({ target: contributorStanding.contributorId, set: { stale: true } }),
  );
}

/** Everything a change adds to its batch: its dirty seeds, its stale keys, the version bump. */
export function changeMarks(db: Database, change: { seeds?: readonly SeedRef[]; keys?: readonly (string | null)[] }): [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] {
  return [bumpVersion(db), ...markSeeds(db, change.seeds ?? []), ...markStale(db, change.keys ?? [])];
}

/** Deletes refreshed seeds' dirty rows, each only under the mark the refresh read (a newer marking stays). */
export function clearMarks(db: Database, rows: readonly (SeedRef & { mark: number })[]): [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] {
  const [first, ...rest] = rows.map((r) =>
    db.delete(aggregateDirty).where(and(eq(aggregateDirty.protocolId, r.protocolId), eq(aggregateDirty.protocolVersion, r.protocolVersion), eq(aggregateDirty.seed, r.seed), eq(aggregateDirty.mark, r.mark))),
  );
  if (!first) throw new Error("clearMarks needs at least one row");
  return [first, ...rest];
}
