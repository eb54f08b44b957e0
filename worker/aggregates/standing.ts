// contributor_standing: each key's earned standing (worker/contributors.ts earnedStanding, the same queries for
// one key), recomputed when a write marked it stale. When a key's `earned` flips, every seed it has accepted
// runs of is marked dirty in the same batch (its runs testify in quorums, or stop testifying).
import { and, eq, inArray } from "drizzle-orm";
import { earnedStanding } from "../contributors";
import type { Database } from "../db/client";
import { contributorStanding, runs } from "../db/schema";
import { bumpVersion, markSeeds } from "./marks";

/** Recomputes one key's standing; returns whether its earned standing flipped. */
export async function refreshStanding(db: Database, contributorId: string): Promise<boolean> {
  const [standing, [current]] = await Promise.all([
    earnedStanding(db, contributorId),
    db.select({ earned: contributorStanding.earned }).from(contributorStanding).where(eq(contributorStanding.contributorId, contributorId)).limit(1),
  ]);
  const earned = standing!.weight >= 1;
  const row = { serverVerifiedRuns: standing!.serverVerifiedRuns, refusals: standing!.refusals, weight: standing!.weight, earned, stale: false, updatedAt: Date.now() };
  const upsert = db.insert(contributorStanding).values({ contributorId, ...row }).onConflictDoUpdate({ target: contributorStanding.contributorId, set: row });
  const flipped = (current?.earned ?? false) !== earned;
  if (!flipped) {
    await upsert;
    return false;
  }
  const seeds = await db
    .selectDistinct({ protocolId: runs.protocolId, protocolVersion: runs.protocolVersion, seed: runs.seed })
    .from(runs)
    .where(and(eq(runs.contributorId, contributorId), eq(runs.status, "accepted")));
  await db.batch([upsert, bumpVersion(db), ...markSeeds(db, seeds)]);
  return true;
}

/** The keys among `contributorIds` with earned standing, as last recomputed. */
export async function earnedAmong(db: Database, contributorIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(contributorIds)];
  const earned = new Set<string>();
  // D1 binds at most 100 values a statement.
  for (let at = 0; at < ids.length; at += 90) {
    const rows = await db
      .select({ id: contributorStanding.contributorId })
      .from(contributorStanding)
      .where(and(inArray(contributorStanding.contributorId, ids.slice(at, at + 90)), eq(contributorStanding.earned, true)));
    for (const r of rows) earned.add(r.id);
  }
  return earned;
}
