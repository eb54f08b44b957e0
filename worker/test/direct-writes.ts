// Test support: runs written or changed straight in D1 (fixtures that stand for what the server would have
// stored) go through the same aggregate marks and refresh as the Worker's own writes (worker/aggregates).
import { env } from "cloudflare:test";
import { inArray } from "drizzle-orm";
import { changeMarks } from "../aggregates/marks";
import { settle } from "../aggregates/settle";
import { database } from "../db/client";
import { runs } from "../db/schema";

/** Marks the runs' seeds dirty and their keys stale, as a write of them would, and refreshes everything. */
export async function afterDirectWrite(runIds: readonly string[]): Promise<void> {
  const db = database(env.DB);
  const rows = [];
  // D1 binds at most 100 values a statement.
  for (let at = 0; at < runIds.length; at += 90) {
    const part = runIds.slice(at, at + 90);
    rows.push(...(await db.select({ protocolId: runs.protocolId, protocolVersion: runs.protocolVersion, seed: runs.seed, contributorId: runs.contributorId }).from(runs).where(inArray(runs.id, part))));
  }
  await db.batch(changeMarks(db, { seeds: rows, keys: rows.map((r) => r.contributorId) }));
  await settleAll();
}

/** Refreshes every mark left (in the budget's chunks). */
export async function settleAll(): Promise<void> {
  const db = database(env.DB);
  for (let round = 0; round < 1000; round++) if (!(await settle(db, { standings: 50, seeds: 50 })).more) return;
  throw new Error("the aggregates did not settle");
}
