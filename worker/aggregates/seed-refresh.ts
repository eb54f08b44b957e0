// Recomputes one dirty (protocol, version, seed): its seed_stats and seed_identities rows for every facet its
// shown, counted runs have (stale facets deleted), from those runs only (index-backed), with the earned keys
// from contributor_standing; the board_stats rows of every facet it touched are refreshed after (board-refresh.ts).
import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { identityOf, seedAggregates, type AcceptedRun } from "../../shared/metrics/aggregate";
import { isCounted } from "../../shared/metrics/counted";
import { familyOf } from "../../shared/protocols/families";
import { findProtocol } from "../../shared/protocols/registry";
import type { Database } from "../db/client";
import { seedIdentities, seedStats } from "../db/schema";
import { facetsOfRun } from "./facets";
import { bumpVersion, type SeedRef } from "./marks";
import { shownRunsOfSeed, type SeedRunRow } from "./shown-runs";
import { earnedAmong } from "./standing";

/** Rows per INSERT within D1's 100 bound values: seed_stats binds 11 columns, seed_identities 5. */
const STATS_PER_INSERT = 9;
const IDENTITIES_PER_INSERT = 20;

const chunks = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, k) => items.slice(k * size, (k + 1) * size));

const asAccepted = (earned: ReadonlySet<string>) => (row: SeedRunRow): AcceptedRun => ({
  seed: row.seed,
  contributor: row.contributor,
  contributorId: row.contributorId,
  recomputed: JSON.parse(row.recomputed ?? "{}") as Record<string, number | null>,
  peerStatus: row.peerStatus,
  addressBlock: row.addressBlock,
  earned: row.contributorId !== null && earned.has(row.contributorId),
});

/**
 * Refreshes one seed's rows. Returns the facets it touched (old and new), whose board_stats rows the caller
 * refreshes (once for many seeds) before it clears the seed's dirty mark (settle.ts).
 */
export async function refreshSeed(db: Database, ref: SeedRef): Promise<string[]> {
  const { protocolId, protocolVersion, seed } = ref;
  const where = and(eq(seedStats.protocolId, protocolId), eq(seedStats.protocolVersion, protocolVersion), eq(seedStats.seed, seed));
  const protocol = findProtocol(protocolId);
  const current = protocol !== undefined && protocol.version === protocolVersion;
  const [shown, oldFacets] = await Promise.all([
    current ? shownRunsOfSeed(db, protocolId, protocolVersion, seed) : Promise.resolve([]),
    db.select({ facet: seedStats.facet }).from(seedStats).where(where),
  ]);
  const counted = shown.filter((r) => isCounted({ status: "accepted", peerStatus: r.peerStatus }));
  const earned = await earnedAmong(db, counted.flatMap((r) => (r.contributorId ? [r.contributorId] : [])));
  const byFacet = new Map<string, SeedRunRow[]>();
  for (const run of counted) {
    for (const facet of facetsOfRun(run)) {
      const rows = byFacet.get(facet);
      if (rows) rows.push(run);
      else byFacet.set(facet, [run]);
    }
  }

  const now = Date.now();
  const stats: (typeof seedStats.$inferInsert)[] = [];
  const identities: (typeof seedIdentities.$inferInsert)[] = [];
  if (protocol && current) {
    const metrics = familyOf(protocol).metrics(protocol);
    for (const [facet, rows] of byFacet) {
      const [aggregate] = seedAggregates(protocol, metrics, rows.map(asAccepted(earned)));
      stats.push({
        protocolId,
        protocolVersion,
        facet,
        seed,
        runs: aggregate!.runs,
        means: JSON.stringify(aggregate!.means),
        trust: aggregate!.trust,
        replayed: rows.some((r) => r.replayedSegments !== null || r.peerStatus === "replayed"),
        excluded: aggregate!.excluded,
        firstRunId: rows[0]!.id,
        updatedAt: now,
      });
      for (const identity of new Set(rows.map(identityOf))) identities.push({ protocolId, protocolVersion, facet, seed, identity });
    }
  }
  const statements: BatchItem<"sqlite">[] = [
    db.delete(seedStats).where(where),
    db.delete(seedIdentities).where(and(eq(seedIdentities.protocolId, protocolId), eq(seedIdentities.protocolVersion, protocolVersion), eq(seedIdentities.seed, seed))),
    ...chunks(stats, STATS_PER_INSERT).map((part) => db.insert(seedStats).values(part)),
    ...chunks(identities, IDENTITIES_PER_INSERT).map((part) => db.insert(seedIdentities).values(part)),
    bumpVersion(db),
  ];
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return [...new Set([...oldFacets.map((f) => f.facet), ...byFacet.keys()])];
}
