// Rebuilding every aggregate: mark every seed with an accepted run dirty and every key's standing stale (two
// INSERT … SELECT statements D1 runs itself), then drain them in bounded chunks (settle.ts), and say what remains.
import { sql } from "drizzle-orm";
import type { RebuildProgress } from "../../shared/board-api";
import type { Database } from "../db/client";

export async function markEverything(db: Database): Promise<void> {
  const d1 = db.$client;
  await d1.batch([
    d1.prepare(
      "INSERT INTO aggregate_dirty (protocol_id, protocol_version, seed, mark) SELECT DISTINCT protocol_id, protocol_version, seed, abs(random()) % 4503599627370496 FROM runs WHERE status = 'accepted' ON CONFLICT DO UPDATE SET mark = excluded.mark",
    ),
    d1.prepare(
      "INSERT INTO contributor_standing (contributor_id, server_verified_runs, refusals, weight, earned, stale, updated_at) SELECT DISTINCT contributor_id, 0, 0, 0, 0, 1, 0 FROM runs WHERE contributor_id IS NOT NULL ON CONFLICT DO UPDATE SET stale = 1",
    ),
    d1.prepare("UPDATE aggregate_version SET version = version + 1 WHERE id = 1"),
  ]);
}

export async function pendingMarks(db: Database): Promise<RebuildProgress> {
  const [row] = await db.all<{ dirty: number; stale: number; version: number }>(
    sql`SELECT (SELECT count(*) FROM aggregate_dirty) AS dirty, (SELECT count(*) FROM contributor_standing WHERE stale = 1) AS stale, (SELECT version FROM aggregate_version WHERE id = 1) AS version`,
  );
  return { dirtySeeds: Number(row?.dirty ?? 0), staleStandings: Number(row?.stale ?? 0), version: Number(row?.version ?? 0) };
}
