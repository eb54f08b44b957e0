// Leaderboard entries from board_stats: one stored row per protocol for the (facet, trust) asked (a missing
// row is an empty entry), claims judged at read time from those entries (shared/metrics/aggregate.ts judgeClaims).
import type { LeaderboardEntry } from "../../shared/api";
import { entryFromSeeds, judgeClaims } from "../../shared/metrics/aggregate";
import { familyOf } from "../../shared/protocols/families";
import { PROTOCOLS } from "../../shared/protocols/registry";
import type { BoardTrust } from "./board-refresh";
import type { CountingReader } from "./reader";

type Summary = Omit<LeaderboardEntry, "claims">;

/** Every current protocol's entry for a facet and trust level, with its claims' verdicts. */
export async function leaderboardEntries(reader: CountingReader, facet: string, trust: BoardTrust): Promise<LeaderboardEntry[]> {
  const rows = await reader.all<{ protocol_id: string; protocol_version: number; entry: string }>(
    "SELECT protocol_id, protocol_version, entry FROM board_stats WHERE facet = ? AND trust = ?",
    facet,
    trust,
  );
  const stored = new Map(rows.map((r) => [`${r.protocol_id}@${r.protocol_version}`, JSON.parse(r.entry) as Summary]));
  const summaries = new Map<string, Summary>(
    PROTOCOLS.map((protocol) => {
      const entry = stored.get(`${protocol.id}@${protocol.version}`) ?? entryFromSeeds(protocol, familyOf(protocol).metrics(protocol), [], 0);
      // The title and figure are the protocol's own, whenever the row was computed.
      return [protocol.id, { ...entry, title: protocol.title, figure: protocol.figure }];
    }),
  );
  return PROTOCOLS.map((protocol) => ({ ...summaries.get(protocol.id)!, claims: judgeClaims(protocol, summaries) }));
}

/** What each environment value counts, from the stored entries of every protocol (GET /api/leaderboard/facets). */
export async function facetRunCounts(reader: CountingReader): Promise<{ facet: string; runs: number }[]> {
  const rows = await reader.all<{ protocol_id: string; protocol_version: number; facet: string; runs: number }>(
    "SELECT protocol_id, protocol_version, facet, runs FROM board_stats WHERE trust = 'all' AND facet <> ''",
  );
  const current = new Set(PROTOCOLS.map((p) => `${p.id}@${p.version}`));
  const totals = new Map<string, number>();
  for (const r of rows) if (current.has(`${r.protocol_id}@${r.protocol_version}`)) totals.set(r.facet, (totals.get(r.facet) ?? 0) + r.runs);
  return [...totals].map(([facet, runs]) => ({ facet, runs }));
}
