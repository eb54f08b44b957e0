// Recomputes a (protocol, version, facet)'s board_stats rows — every trust level: all seeds, the replayed ones
// (reproduced, or a run of the seed had segments replayed) and the reproduced ones — from its seed_stats rows
// (one per seed, never one per run) with the same arithmetic as the from-scratch summarize
// (shared/metrics/aggregate.ts entryFromSeeds), and the distinct contributors from seed_identities (SQL count).
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { entryFromSeeds, type SeedAggregate } from "../../shared/metrics/aggregate";
import { familyOf } from "../../shared/protocols/families";
import { findProtocol } from "../../shared/protocols/registry";
import type { Database } from "../db/client";
import { boardStats, seedIdentities, seedStats, type SeedStatsRow } from "../db/schema";
import { bumpVersion } from "./marks";

export const TRUST_LEVELS = ["all", "replayed", "reproduced"] as const;
export type BoardTrust = (typeof TRUST_LEVELS)[number];

/** Whether a seed counts at a trust level (the board query's `trust`). */
export const seedQualifies = (trust: BoardTrust, seed: Pick<SeedStatsRow, "trust" | "replayed">): boolean =>
  trust === "all" || seed.trust === "reproduced" || (trust === "replayed" && seed.replayed);

/** The same predicate in SQL over seed_stats (alias `s`). */
export const SEED_QUALIFIES_SQL: Record<BoardTrust, string> = {
  all: "1",
  replayed: "(s.trust = 'reproduced' OR s.replayed = 1)",
  reproduced: "s.trust = 'reproduced'",
};

export const asSeedAggregate = (row: Pick<SeedStatsRow, "seed" | "runs" | "trust" | "excluded" | "means">): SeedAggregate => ({
  seed: row.seed,
  runs: row.runs,
  trust: row.trust,
  excluded: row.excluded,
  means: JSON.parse(row.means) as Record<string, number | null>,
});

export async function refreshBoard(db: Database, protocolId: string, protocolVersion: number, facet: string): Promise<void> {
  const protocol = findProtocol(protocolId);
  const of = and(eq(boardStats.protocolId, protocolId), eq(boardStats.protocolVersion, protocolVersion), eq(boardStats.facet, facet));
  const [seeds, [counts]] = await Promise.all([
    db
      .select()
      .from(seedStats)
      .where(and(eq(seedStats.protocolId, protocolId), eq(seedStats.protocolVersion, protocolVersion), eq(seedStats.facet, facet)))
      .orderBy(seedStats.seed),
    db
      .select({
        all: sql<number>`count(distinct ${seedIdentities.identity})`,
        replayed: sql<number>`count(distinct case when ${seedStats.trust} = 'reproduced' or ${seedStats.replayed} = 1 then ${seedIdentities.identity} end)`,
        reproduced: sql<number>`count(distinct case when ${seedStats.trust} = 'reproduced' then ${seedIdentities.identity} end)`,
      })
      .from(seedIdentities)
      .innerJoin(
        seedStats,
        and(
          eq(seedStats.protocolId, seedIdentities.protocolId),
          eq(seedStats.protocolVersion, seedIdentities.protocolVersion),
          eq(seedStats.facet, seedIdentities.facet),
          eq(seedStats.seed, seedIdentities.seed),
        ),
      )
      .where(and(eq(seedIdentities.protocolId, protocolId), eq(seedIdentities.protocolVersion, protocolVersion), eq(seedIdentities.facet, facet))),
  ]);
  const statements: BatchItem<"sqlite">[] = [db.delete(boardStats).where(of), bumpVersion(db)];
  if (protocol && protocol.version === protocolVersion) {
    const metrics = familyOf(protocol).metrics(protocol);
    const now = Date.now();
    for (const trust of TRUST_LEVELS) {
      const mine = seeds.filter((s) => seedQualifies(trust, s)).map(asSeedAggregate);
      if (mine.length === 0) continue;
      const entry = entryFromSeeds(protocol, metrics, mine, Number(counts?.[trust] ?? 0));
      statements.push(db.insert(boardStats).values({ protocolId, protocolVersion, facet, trust, runs: entry.runs, entry: JSON.stringify(entry), updatedAt: now }));
    }
  }
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
