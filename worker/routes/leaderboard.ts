// GET /api/leaderboard (every protocol's entry and claim verdicts, optionally for one facet and trust level),
// GET /api/leaderboard/facets (the runs each environment value counts), GET /api/leaderboard/:protocolId (a
// board: its entry, per-seed points, a sorted page of its runs, the seed-averaged figure) and
// GET /api/leaderboard/:protocolId/series/:name. Every answer is read from the aggregates kept on write
// (worker/aggregates: board_stats, seed_stats), O(protocols + page) rows whatever the number of runs, and is
// cacheable (ETag from the aggregate version, 304 on a match).
import { Hono, type Context } from "hono";
import type { SeriesAggregate } from "../../shared/api";
import {
  BoardQuerySchema,
  ENVIRONMENT_DIMENSIONS,
  FacetQuerySchema,
  SEED_POINTS_MAX,
  type BoardPage,
  type EnvironmentDimension,
  type FacetCounts,
  type FacetedLeaderboard,
  type SeedPoint,
} from "../../shared/board-api";
import { runTrust, type TrustLevel } from "../../shared/metrics/quorum";
import { nameKey } from "../../shared/names";
import { familyOf, recordedSeries } from "../../shared/protocols/families";
import { findProtocol } from "../../shared/protocols/registry";
import { SEED_QUALIFIES_SQL, type BoardTrust } from "../aggregates/board-refresh";
import { boardRunsPage, decodeBoardCursor } from "../aggregates/board-runs";
import { facetRunCounts, leaderboardEntries } from "../aggregates/entries";
import { appliedFacet, facetOfQuery, parseFacetKey } from "../aggregates/facets";
import { averagedGrid, FIGURE_SEEDS, seriesAggregate } from "../aggregates/figures";
import { cachedAnswer } from "../aggregates/freshness";
import { parseQuery } from "../aggregates/query";
import { CountingReader } from "../aggregates/reader";
import { database } from "../db/client";
import type { AppEnv } from "../env";
import { apiError } from "../http";

const FACET_PARAMS = [...ENVIRONMENT_DIMENSIONS, "trust"];
const BOARD_PARAMS = [...FACET_PARAMS, "sort", "order", "limit", "cursor"];

const unknownProtocol = (c: Context<AppEnv>) => apiError(c, 404, "unknown_protocol", "No protocol has that id; GET /api/protocols lists them.");

interface SeedRow {
  seed: number;
  runs: number;
  means: string;
  trust: TrustLevel;
  replayed: number;
  excluded: number;
  first_run_id: string;
}

export const leaderboardRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const query = parseQuery(c, FacetQuerySchema, FACET_PARAMS);
    if (!query.ok) return query.response;
    const reader = new CountingReader(c.env.DB);
    return cachedAnswer(c, database(c.env.DB), reader, query.canonical, async (version): Promise<FacetedLeaderboard> => ({
      facet: appliedFacet(query.data),
      trust: query.data.trust ?? null,
      protocols: await leaderboardEntries(reader, facetOfQuery(query.data), query.data.trust ?? "all"),
      version,
    }));
  })
  .get("/facets", async (c) => {
    const query = parseQuery(c, FacetQuerySchema, []);
    if (!query.ok) return query.response;
    const reader = new CountingReader(c.env.DB);
    return cachedAnswer(c, database(c.env.DB), reader, query.canonical, async (version): Promise<FacetCounts> => {
      const dimensions = Object.fromEntries(ENVIRONMENT_DIMENSIONS.map((d) => [d, [] as { value: string; runs: number }[]])) as Record<EnvironmentDimension, { value: string; runs: number }[]>;
      for (const { facet, runs } of await facetRunCounts(reader)) {
        const parsed = parseFacetKey(facet);
        if (parsed) dimensions[parsed.dimension].push({ value: parsed.value, runs });
      }
      for (const values of Object.values(dimensions)) values.sort((a, b) => b.runs - a.runs || a.value.localeCompare(b.value));
      return { dimensions, version };
    });
  })
  .get("/:protocolId", async (c) => {
    const protocol = findProtocol(c.req.param("protocolId"));
    if (!protocol) return unknownProtocol(c);
    const query = parseQuery(c, BoardQuerySchema, BOARD_PARAMS);
    if (!query.ok) return query.response;
    const { sort, cursor } = query.data;
    if (sort.startsWith("metric:") && !familyOf(protocol).metrics(protocol).some((m) => `metric:${m.key}` === sort)) {
      return apiError(c, 400, "malformed", `Invalid request. sort: ${protocol.id} has no metric ${sort.slice(7)}.`);
    }
    const after = cursor === undefined ? null : decodeBoardCursor(cursor);
    if (cursor !== undefined && after === null) return apiError(c, 400, "malformed", "Invalid request. cursor: not a cursor this server gave.");
    const db = database(c.env.DB);
    const reader = new CountingReader(c.env.DB);
    const facet = facetOfQuery(query.data);
    const trust: BoardTrust = query.data.trust ?? "all";
    return cachedAnswer(c, db, reader, `${protocol.id}:${query.canonical}`, async (version): Promise<BoardPage> => {
      const [entries, seedRows, hiddenNames] = await Promise.all([
        leaderboardEntries(reader, facet, trust),
        reader.all<SeedRow>(
          `SELECT s.seed, s.runs, s.means, s.trust, s.replayed, s.excluded, s.first_run_id FROM seed_stats s
           WHERE s.protocol_id = ? AND s.protocol_version = ? AND s.facet = ? AND ${SEED_QUALIFIES_SQL[trust]} ORDER BY s.seed LIMIT ?`,
          protocol.id,
          protocol.version,
          facet,
          SEED_POINTS_MAX + 1,
        ),
        reader.all<{ name: string }>("SELECT name FROM hidden_contributors").then((rows) => new Set(rows.map((r) => nameKey(r.name)))),
      ]);
      const seeds: SeedPoint[] = seedRows.slice(0, SEED_POINTS_MAX).map((s) => ({
        seed: s.seed,
        runs: s.runs,
        trust: runTrust(s.trust, s.replayed === 1),
        excluded: s.excluded === 1,
        means: JSON.parse(s.means) as SeedPoint["means"],
      }));
      const page = await boardRunsPage(reader, { protocolId: protocol.id, protocolVersion: protocol.version, facet, applied: appliedFacet(query.data), trust, query: query.data, after, hiddenNames });
      return {
        entry: entries.find((e) => e.protocolId === protocol.id)!,
        facet: appliedFacet(query.data),
        seeds,
        seedsTruncated: seedRows.length > SEED_POINTS_MAX,
        runs: page.runs,
        nextCursor: page.nextCursor,
        boundary: await averagedGrid(c.env.ARTIFACTS, seedRows.slice(0, FIGURE_SEEDS).map((s) => s.first_run_id)),
        version,
      };
    });
  })
  .get("/:protocolId/series/:name", async (c) => {
    const protocol = findProtocol(c.req.param("protocolId"));
    if (!protocol) return unknownProtocol(c);
    const name = c.req.param("name");
    if (!recordedSeries(protocol).includes(name)) {
      const recorded = recordedSeries(protocol);
      return apiError(c, 404, "not_found", `This protocol records ${recorded.length ? `only the series ${recorded.join(", ")}` : "no series"}.`);
    }
    const query = parseQuery(c, FacetQuerySchema, []);
    if (!query.ok) return query.response;
    const reader = new CountingReader(c.env.DB);
    return cachedAnswer(c, database(c.env.DB), reader, `${protocol.id}:${name}`, async (): Promise<SeriesAggregate> => {
      const firstRuns = await reader.all<{ first_run_id: string }>(
        "SELECT first_run_id FROM seed_stats WHERE protocol_id = ? AND protocol_version = ? AND facet = '' ORDER BY seed LIMIT ?",
        protocol.id,
        protocol.version,
        FIGURE_SEEDS,
      );
      return seriesAggregate(c.env.ARTIFACTS, firstRuns.map((r) => r.first_run_id), name);
    });
  });
