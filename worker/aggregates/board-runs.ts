// A board's runs, one page at a time: keyset pagination (never an offset) over the shown runs of a protocol,
// narrowed to a facet's runs and, with a trust level, to the counted runs of the seeds that qualify; sorted by
// submission time, seed or training time (each backed by an index: runs_protocol_created, runs_protocol_seed,
// runs_protocol_train) or by a metric (json_extract of the recomputed metrics: no index, so that sort reads the
// protocol's runs). limit + 1 rows are read to know whether another page follows. Each run's trust comes from its
// seed's seed_stats row in the facet.
import type { ProtocolBoard } from "../../shared/api";
import type { BoardQuery, BoardSort } from "../../shared/board-api";
import { isCounted } from "../../shared/metrics/counted";
import { runTrust, type TrustLevel } from "../../shared/metrics/quorum";
import { nameKey } from "../../shared/names";
import { publicContributorId } from "../run-record";
import { SEED_QUALIFIES_SQL, type BoardTrust } from "./board-refresh";
import { FACET_COLUMN, type appliedFacet } from "./facets";
import type { CountingReader } from "./reader";
import { decodeCursor, encodeCursor } from "../cursor";
import { z } from "zod";

type RunSummary = ProtocolBoard["runs"][number];

/** Rounds of limit + 1 rows read when hidden names drop rows from a page (hidden names are rare). */
const MAX_ROUNDS = 5;
const RUN_ID = /^run_[0-9a-f-]{36}$|^run_[A-Za-z0-9_-]{1,64}$/;
/** A missing metric sorts below every number. */
const MISSING = -1.7976931348623157e308;

/** The SQL of a sort key (metric keys are validated by BoardSortSchema and against the protocol's metrics). */
function sortExpression(sort: BoardSort): string {
  if (sort === "createdAt") return "created_at";
  if (sort === "seed") return "seed";
  if (sort === "trainMs") return "train_ms";
  const key = sort.slice("metric:".length);
  if (!/^[A-Za-z][A-Za-z0-9]{0,31}$/.test(key)) throw new Error(`unsafe metric key ${key}`);
  return `ifnull(json_extract(recomputed, '$.${key}'), ${MISSING})`;
}

/** A board cursor's position: the last row's sort key and run id (worker/cursor.ts keeps it opaque and checked). */
const BoardPositionSchema = z.tuple([z.number().refine(Number.isFinite), z.string().regex(RUN_ID)]);

/** The cursor's sort key and run id, or null when it is not one this server gave. */
export function decodeBoardCursor(cursor: string): { key: number; id: string } | null {
  const position = decodeCursor(cursor, BoardPositionSchema);
  return position ? { key: position[0], id: position[1] } : null;
}

interface PageRow {
  id: string;
  seed: number;
  contributor: string | null;
  contributor_id: string | null;
  recomputed: string | null;
  backend: string;
  train_ms: number;
  created_at: number;
  replayed_segments: string | null;
  peer_status: "pending" | "replayed" | "refuted" | null;
  sort_key: number;
}

export interface RunsPageRequest {
  readonly protocolId: string;
  readonly protocolVersion: number;
  readonly facet: string;
  readonly applied: ReturnType<typeof appliedFacet>;
  readonly trust: BoardTrust;
  readonly query: Pick<BoardQuery, "sort" | "order" | "limit">;
  readonly after: { key: number; id: string } | null;
  readonly hiddenNames: ReadonlySet<string>;
}

export async function boardRunsPage(reader: CountingReader, request: RunsPageRequest): Promise<{ runs: RunSummary[]; nextCursor: string | null }> {
  const { protocolId, protocolVersion, facet, applied, trust, query, hiddenNames } = request;
  const expr = sortExpression(query.sort);
  const [cmp, dir] = query.order === "desc" ? ["<", "DESC"] : [">", "ASC"];
  const where = [
    "protocol_id = ?",
    "protocol_version = ?",
    "status = 'accepted'",
    "hidden_at IS NULL",
    "(contributor_id IS NULL OR contributor_id NOT IN (SELECT contributor_id FROM hidden_contributor_keys))",
  ];
  const binds: unknown[] = [protocolId, protocolVersion];
  if (applied) {
    where.push(`${FACET_COLUMN[applied.dimension]} = ?`);
    binds.push(applied.value);
  }
  if (trust !== "all") {
    where.push(
      `(peer_status IS NULL OR peer_status = 'replayed') AND seed IN (SELECT s.seed FROM seed_stats s WHERE s.protocol_id = ? AND s.protocol_version = ? AND s.facet = ? AND ${SEED_QUALIFIES_SQL[trust]})`,
    );
    binds.push(protocolId, protocolVersion, facet);
  }
  const rows: PageRow[] = [];
  let after = request.after;
  for (let round = 0; round < MAX_ROUNDS && rows.length <= query.limit; round++) {
    const keyset = after ? [`${expr} ${cmp}= ? AND (${expr} ${cmp} ? OR id ${cmp} ?)`] : [];
    const fetched = await reader.all<PageRow>(
      `SELECT id, seed, contributor, contributor_id, recomputed, backend, train_ms, created_at, replayed_segments, peer_status, ${expr} AS sort_key
       FROM runs WHERE ${[...where, ...keyset].join(" AND ")} ORDER BY ${expr} ${dir}, id ${dir} LIMIT ?`,
      ...binds,
      ...(after ? [after.key, after.key, after.id] : []),
      query.limit + 1,
    );
    rows.push(...fetched.filter((r) => r.contributor === null || hiddenNames.size === 0 || !hiddenNames.has(nameKey(r.contributor))));
    if (fetched.length < query.limit + 1) break;
    const last = fetched[fetched.length - 1]!;
    after = { key: last.sort_key, id: last.id };
  }
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  const trustOf = await seedTrustOf(reader, protocolId, protocolVersion, facet, [...new Set(page.map((r) => r.seed))]);
  return {
    runs: page.map((row) => ({
      id: row.id,
      seed: row.seed,
      contributor: row.contributor,
      contributorId: publicContributorId(row.contributor_id),
      trust: runTrust(trustOf.get(row.seed) ?? "recomputed", row.replayed_segments !== null || row.peer_status === "replayed", row.peer_status),
      counted: isCounted({ status: "accepted", peerStatus: row.peer_status }),
      backend: row.backend as RunSummary["backend"],
      recomputed: JSON.parse(row.recomputed ?? "{}") as Record<string, number | null>,
      trainMs: row.train_ms,
      createdAt: new Date(row.created_at).toISOString(),
    })),
    nextCursor: more ? encodeCursor([page[page.length - 1]!.sort_key, page[page.length - 1]!.id]) : null,
  };
}

/** The seeds' trust levels in the facet (one indexed query for the page's seeds). */
async function seedTrustOf(reader: CountingReader, protocolId: string, protocolVersion: number, facet: string, seeds: readonly number[]): Promise<Map<number, TrustLevel>> {
  if (seeds.length === 0) return new Map();
  const rows = await reader.all<{ seed: number; trust: TrustLevel }>(
    "SELECT seed, trust FROM seed_stats WHERE protocol_id = ? AND protocol_version = ? AND facet = ? AND seed IN (SELECT value FROM json_each(?))",
    protocolId,
    protocolVersion,
    facet,
    JSON.stringify(seeds),
  );
  return new Map(rows.map((r) => [r.seed, r.trust]));
}
