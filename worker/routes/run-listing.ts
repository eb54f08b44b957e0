// GET /api/runs: the verified runs, newest first, filtered by protocol, contributor (public id), seed, one
// environment facet, the seed's trust (its aggregate row, worker/aggregates) and time, a page at a time by keyset cursor (created_at, id) — limit + 1 rows read
// along the runs_status_created / runs_protocol_created / runs_contributor_created indexes, never an offset.
import { zValidator } from "@hono/zod-validator";
import { and, desc, eq, gte, lt, lte, or, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { RunsQuerySchema, type RunsPage, type RunsQuery } from "../../shared/board-api";
import { findProtocol } from "../../shared/protocols/registry";
import { cachedAnswer } from "../aggregates/freshness";
import { CountingReader } from "../aggregates/reader";
import { AMBIGUOUS_MESSAGE, resolvePublicId } from "../contributor-prefix";
import { decodeCursor, encodeCursor } from "../cursor";
import { database, type Database } from "../db/client";
import { runs, seedStats } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError, malformedOnFailure } from "../http";
import { acceptedOf, hiddenNameFilter, listedRuns, shownCounted, toListedRun } from "../shown-runs";

/** A listing cursor: the last row's created_at and id. */
const PositionSchema = z.tuple([z.int().nonnegative(), z.string().regex(/^run_[0-9a-f-]{36}$/)]);

/** The column each environment facet of the query narrows. */
const FACET_COLUMNS = { backend: runs.backend, gpuVendor: runs.gpuVendor, gpuArchitecture: runs.gpuArchitecture, browser: runs.browser, os: runs.os } as const;

type Conditions = { ok: true; where: SQL[] } | { ok: false; status: 400 | 404 | 409; reason: "malformed" | "unknown_protocol" | "ambiguous"; message: string } | { ok: "empty" };

/** The WHERE clause of a query from `position` on (the last row of the page before), or why it cannot be answered. */
export async function listingConditions(db: Database, query: RunsQuery, position: readonly [number, string] | null): Promise<Conditions> {
  const accepted = acceptedOf(query.contributor !== undefined);
  const where: SQL[] = [query.counted === "true" ? shownCounted(db, accepted) : accepted];
  if (query.protocol !== undefined) {
    const protocol = findProtocol(query.protocol);
    if (!protocol) return { ok: false, status: 404, reason: "unknown_protocol", message: "No protocol has that id; GET /api/protocols lists them." };
    where.push(eq(runs.protocolId, protocol.id), eq(runs.protocolVersion, protocol.version));
  }
  if (query.contributor !== undefined) {
    const resolved = await resolvePublicId(db, query.contributor);
    if (resolved.kind === "none") return { ok: "empty" };
    if (resolved.kind === "ambiguous") return { ok: false, status: 409, reason: "ambiguous", message: AMBIGUOUS_MESSAGE };
    where.push(eq(runs.contributorId, resolved.id));
  }
  if (query.seed !== undefined) where.push(eq(runs.seed, query.seed));
  for (const [dimension, column] of Object.entries(FACET_COLUMNS)) {
    const value = query[dimension as keyof typeof FACET_COLUMNS];
    if (value !== undefined) where.push(eq(column, value));
  }
  // The lowest trust level the run's seed must have, as on the boards (worker/aggregates/board-refresh.ts SEED_QUALIFIES_SQL).
  if (query.trust === "replayed") where.push(or(eq(seedStats.trust, "reproduced"), eq(seedStats.replayed, true))!);
  if (query.trust === "reproduced") where.push(eq(seedStats.trust, "reproduced"));
  if (query.since !== undefined) where.push(gte(runs.createdAt, Date.parse(query.since)));
  if (query.until !== undefined) where.push(lt(runs.createdAt, Date.parse(query.until)));
  if (position) {
    const [createdAt, id] = position;
    // A range on created_at the index can seek, then the tie on id.
    where.push(lte(runs.createdAt, createdAt), or(lt(runs.createdAt, createdAt), lt(runs.id, id))!);
  }
  return { ok: true, where };
}

/** One page of the listing: limit + 1 rows (the last one only says whether there is a next page), newest first. */
export const pageSelect = (db: Database, where: readonly SQL[], limit: number) =>
  listedRuns(db).where(and(...where)).orderBy(desc(runs.createdAt), desc(runs.id)).limit(limit + 1);

export const runListingRoutes = new Hono<AppEnv>().get("/", zValidator("query", RunsQuerySchema, malformedOnFailure), async (c) => {
  const query = c.req.valid("query");
  const position = query.cursor === undefined ? null : decodeCursor(query.cursor, PositionSchema);
  if (query.cursor !== undefined && position === null) return apiError(c, 400, "malformed", "Invalid request. cursor: not a cursor this listing gave; start again without one.");
  const db = database(c.env.DB);
  const found = await listingConditions(db, query, position);
  if (found.ok === false) return apiError(c, found.status, found.reason, found.message);
  // Every write that changes what the listing shows (a run accepted or hidden, a verdict, a seed's trust) bumps
  // the aggregate version (worker/aggregates/marks.ts): the ETag names it, and a current one is answered 304.
  const canonical = [...new URL(c.req.url).searchParams].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join("&");
  return cachedAnswer(c, db, new CountingReader(c.env.DB), canonical, async () => {
    if (found.ok === "empty") return { runs: [], nextCursor: null } satisfies RunsPage;
    const [rows, shownName] = await Promise.all([
      pageSelect(db, found.where, query.limit),
      query.counted === "true" ? hiddenNameFilter(db) : () => true,
    ]);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      runs: page.filter(shownName).map(toListedRun),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
    } satisfies RunsPage;
  });
});
