// Drains the marks writes leave (marks.ts): stale contributor standings first (a flip marks more seeds dirty),
// then dirty seeds, each bounded per call. Writes call it inline right after their batch (the write's own seeds
// first); reads refresh a few leftovers inline before answering; POST /api/admin/aggregates/rebuild drains
// everything in bounded chunks.
import { and, eq, or } from "drizzle-orm";
import type { Database } from "../db/client";
import { aggregateDirty, contributorStanding } from "../db/schema";
import { clearMarks, type SeedRef } from "./marks";
import { refreshBoard } from "./board-refresh";
import { refreshSeed } from "./seed-refresh";
import { refreshStanding } from "./standing";

export interface SettleBudget {
  readonly standings: number;
  readonly seeds: number;
}

/**
 * After a write: its own key and seeds, plus leftovers and what a standing flip marks (a key's seeds). A seed's
 * refresh is about 3 queries per facet it has (5 to 12 facets), a standing's 5: this stays far below the
 * 1,000 D1 queries a Worker invocation may make.
 */
export const WRITE_BUDGET: SettleBudget = { standings: 6, seeds: 16 };
/** Before a read answers: a few leftovers of a write that died mid-way. */
export const READ_BUDGET: SettleBudget = { standings: 2, seeds: 4 };

export interface Settled {
  readonly standings: number;
  readonly seeds: number;
  /** Whether marks were left for later (the budget ran out). */
  readonly more: boolean;
}

/** The dirty rows of the given seeds (the write's own), at most 20 at a time (bound values). */
async function dirtyRowsOf(db: Database, seeds: readonly SeedRef[]) {
  const rows = [];
  for (let at = 0; at < seeds.length; at += 20) {
    const part = seeds.slice(at, at + 20).map((s) => and(eq(aggregateDirty.protocolId, s.protocolId), eq(aggregateDirty.protocolVersion, s.protocolVersion), eq(aggregateDirty.seed, s.seed)));
    rows.push(...(await db.select().from(aggregateDirty).where(or(...part))));
  }
  return rows;
}

export async function settle(db: Database, budget: SettleBudget, first: readonly SeedRef[] = []): Promise<Settled> {
  const stale = await db.select({ id: contributorStanding.contributorId }).from(contributorStanding).where(eq(contributorStanding.stale, true)).limit(budget.standings + 1);
  for (const { id } of stale.slice(0, budget.standings)) await refreshStanding(db, id);
  // With standings still stale (a rebuild's first calls), a flip would mark the seeds again: unless a write asks
  // for its own seeds, they wait until the standings are done.
  if (stale.length > budget.standings && first.length === 0) return { standings: budget.standings, seeds: 0, more: true };
  const mine = first.length > 0 ? await dirtyRowsOf(db, first) : [];
  const rest = await db.select().from(aggregateDirty).limit(budget.seeds + 1);
  const key = (r: SeedRef) => `${r.protocolId}\u0000${r.protocolVersion}\u0000${r.seed}`;
  const queue = [...new Map([...mine, ...rest].map((r) => [key(r), r])).values()];
  const now = queue.slice(0, Math.max(budget.seeds, mine.length));
  // Each touched (protocol, version, facet) board row is recomputed once, after all of this call's seeds.
  const boards = new Map<string, { protocolId: string; protocolVersion: number; facet: string }>();
  for (const row of now) {
    for (const facet of await refreshSeed(db, row)) boards.set(`${row.protocolId}\u0000${row.protocolVersion}\u0000${facet}`, { protocolId: row.protocolId, protocolVersion: row.protocolVersion, facet });
  }
  for (const b of boards.values()) await refreshBoard(db, b.protocolId, b.protocolVersion, b.facet);
  // Only now are the seeds clean (a request that dies before leaves them dirty); a newer marking keeps its row.
  if (now.length > 0) await db.batch(clearMarks(db, now));
  return { standings: Math.min(stale.length, budget.standings), seeds: now.length, more: stale.length > budget.standings || queue.length > now.length };
}

/** settle after a committed write: a failure is logged, never the write's answer (its marks stay for the next request). */
export async function settleAfterWrite(db: Database, first: readonly SeedRef[] = []): Promise<void> {
  try {
    await settle(db, WRITE_BUDGET, first);
  } catch (error) {
    console.error("refreshing the aggregates after a write failed; its marks stay for the next request", error);
  }
}
