// OpenAPI: the leaderboard, a protocol's board and its evidence series (worker/routes/leaderboard.ts), as the
// read-side contract shared/board-api.ts defines them, and the facet counts (registerFacets).
import { z } from "zod";
import { SeriesAggregateSchema } from "../../shared/api";
import { BoardPageSchema, BoardQuerySchema, FacetCountsSchema, FacetedLeaderboardSchema, FacetQuerySchema } from "../../shared/board-api";
import { errors, json, MALFORMED, named, ProtocolIdParam, queryObject, type Registry } from "./common";

const CACHED = "Answers carry an ETag (from the aggregates' version and the query) and are revalidated: If-None-Match gets 304 until a run is accepted, hidden or judged.";

export function register(registry: Registry): void {
  registry.registerPath({
    method: "get",
    path: "/api/leaderboard",
    tags: ["leaderboard"],
    summary: "Every protocol's aggregate over counted runs, next to the paper's claims",
    description: `Narrowed by at most one environment facet (backend, gpuVendor, gpuArchitecture, browser, os) and a lowest trust level. ${CACHED}`,
    request: { query: queryObject(FacetQuerySchema) },
    responses: { 200: json("One entry per protocol: runs, seeds, contributors, mean ± std per metric, claim verdicts.", named("FacetedLeaderboard", FacetedLeaderboardSchema)), ...errors({ 400: MALFORMED }) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/leaderboard/{protocolId}",
    tags: ["leaderboard"],
    summary: "A protocol's board: its entry, the per-seed distribution, a sorted page of runs, the seed-averaged figure",
    description: `sort = createdAt | seed | trainMs | metric:<key>; keyset cursor as GET /api/runs. ${CACHED}`,
    request: { params: z.object({ protocolId: ProtocolIdParam }), query: queryObject(BoardQuerySchema) },
    responses: { 200: json("The board page.", named("BoardPage", BoardPageSchema)), ...errors({ 400: MALFORMED, 404: "No protocol has that id." }) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/leaderboard/{protocolId}/series/{name}",
    tags: ["leaderboard"],
    summary: "The seed-mean and std of an evidence series (e.g. Fig. 2's NTK |z|) over each seed's first counted run",
    request: { params: z.object({ protocolId: ProtocolIdParam, name: z.string().describe("A series the protocol records.") }) },
    responses: { 200: json("The series aggregate.", named("SeriesAggregate", SeriesAggregateSchema)), ...errors({ 404: "No protocol has that id, or it records no such series." }) },
  });
}

/** GET /api/leaderboard/facets. */
export function registerFacets(registry: Registry): void {
  registry.registerPath({
    method: "get",
    path: "/api/leaderboard/facets",
    tags: ["leaderboard"],
    summary: "Every value each environment dimension takes among counted runs, with its run count",
    description: CACHED,
    responses: { 200: json("The facet values.", named("FacetCounts", FacetCountsSchema)) },
  });
}
