// Recomputes one dirty (protocol, version, seed): its seed_stats and seed_identities rows for every facet its
// shown, counted runs have (stale facets deleted), from those runs only (index-backed), with the earned keys
// from contributor_standing; the board_stats rows of every facet it touched are refreshed after (board-refresh.ts).
import { and, eq } from "drizzle-orm";
import { identityOf, seedAggregates, type AcceptedRun } from "../../shared/metrics/aggregate";
import { isCounted } from "../../shared/metrics/counted";
import { familyOf } from "../../shared/protocols/families";
import { findProtocol } from "../../shared/protocols/registry";
import type { Database } from "../db/client";
import { seedStats } from "../db/schema";
import { facetsOfRun } from "./facets";
import type { SeedRef } from "./marks";
import { shownRunsOfSeed, type SeedRunRow } from "./shown-runs";
import { earnedAmong } from "./standing";

/** Identities per INSERT (one bound JSON array: about 70 bytes each). */
const IDENTITIES_PER_INSERT = 1000;

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
  const stats: { facet: string; runs: number; means: string; trust: string; replayed: number; excluded: number; firstRunId: string }[] = [];
  const identities: { facet: string; identities: string[] }[] = [];
  if (protocol && current) {
    const metrics = familyOf(protocol).metrics(protocol);
    for (const [facet, rows] of byFacet) {
      const [aggregate] = seedAggregates(protocol, metrics, rows.map(asAccepted(earned)));
      stats.push({
        facet,
        runs: aggregate!.runs,
        means: JSON.stringify(aggregate!.means),
        trust: aggregate!.trust,
        replayed: rows.some((r) => r.replayedSegments !== null || r.peerStatus === "replayed") ? 1 : 0,
        excluded: aggregate!.excluded ? 1 : 0,
        firstRunId: rows[0]!.id,
      });
      identities.push({ facet, identities: [...new Set(rows.map(identityOf))] });
    }
  }
  // Rows go in as JSON arrays (json_each): a seed with thousands of contributors in a dozen facets is a few
  // statements, not thousands, within D1's bound-value and per-invocation query limits. Plain D1 statements, one batch.
  const d1 = db.$client;
  const statements = [
    d1.prepare("DELETE FROM seed_stats WHERE protocol_id = ? AND protocol_version = ? AND seed = ?").bind(protocolId, protocolVersion, seed),
    d1.prepare("DELETE FROM seed_identities WHERE protocol_id = ? AND protocol_version = ? AND seed = ?").bind(protocolId, protocolVersion, seed),
    ...(stats.length === 0
      ? []
      : [
          d1
            .prepare(
              `INSERT INTO seed_stats (protocol_id, protocol_version, facet, seed, runs, means, trust, replayed, excluded, first_run_id, updated_at)
               SELECT ?, ?, json_extract(value, '$.facet'), ?, json_extract(value, '$.runs'), json_extract(value, '$.means'), json_extract(value, '$.trust'),
                 json_extract(value, '$.replayed'), json_extract(value, '$.excluded'), json_extract(value, '$.firstRunId'), ? FROM json_each(?)`,
            )
            .bind(protocolId, protocolVersion, seed, now, JSON.stringify(stats)),
        ]),
    ...identities.flatMap(({ facet, identities: ids }) =>
      chunks(ids, IDENTITIES_PER_INSERT).map((part) =>
        d1.prepare("INSERT INTO seed_identities (protocol_id, protocol_version, facet, seed, identity) SELECT ?, ?, ?, ?, value FROM json_each(?)").bind(protocolId, protocolVersion, facet, seed, JSON.stringify(part)),
      ),
    ),
    d1.prepare("UPDATE aggregate_version SET version = version + 1 WHERE id = 1"),
  ];
  await d1.batch(statements);
  return [...new Set([...oldFacets.map((f) => f.facet), ...byFacet.keys()])];
}
