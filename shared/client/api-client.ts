// The GS Lab API from a client's side (the web app and the command-line runner): one typed call per
// endpoint, every response checked against the shared schemas, every error surfaced with its reason.
import type { z } from "zod";
import {
  ErrorResponseSchema,
  LeaderboardResponseSchema,
  MoonsDatasetSchema,
  ProtocolBoardSchema,
  ProtocolsResponseSchema,
  RunRecordSchema,
  SeriesAggregateSchema,
  ExplorationSchema,
  ReplayLeaseSchema,
  ReplayOutcomeSchema,
  WorkunitSchema,
  type Challenge,
  type ExplorationRequest,
  type ReplayRequest,
  type ReplayResultMeta,
  type ReplayWorkunit,
  type RunMeta,
  type WorkunitRequest,
} from "../api";
import {
  BoardPageSchema,
  ContributorPageSchema,
  FacetCountsSchema,
  FacetedLeaderboardSchema,
  RunEvidenceSchema,
  RunsPageSchema,
  type BoardSort,
  type FacetQuery,
} from "../board-api";
import { decodeFloat32, encodeFloat32 } from "../nn/float32-codec";
import { facetEntries, toQueryString } from "./query-string";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    /** What the server asks to be solved before it answers otherwise (a Turnstile challenge on POST /api/workunits). */
    readonly challenge: Challenge | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface BoardPageQuery {
  readonly facet?: FacetQuery;
  readonly sort?: BoardSort;
  readonly order?: "asc" | "desc";
  readonly limit?: number;
  readonly cursor?: string | null;
}

export interface RunsPageQuery {
  readonly facet?: FacetQuery;
  readonly protocol?: string;
  readonly contributor?: string;
  readonly counted?: "true" | "false";
  readonly limit?: number;
  readonly cursor?: string | null;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export function createApiClient(baseUrl = "", fetchImpl: Fetch = (input, init) => fetch(input, init)) {
  const call = async <S extends z.ZodType>(schema: S, path: string, init?: RequestInit, okStatuses: number[] = []): Promise<z.infer<S>> => {
    const response = await fetchImpl(baseUrl + path, init);
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok && !okStatuses.includes(response.status)) {
      const error = ErrorResponseSchema.safeParse(body);
      throw error.success
        ? new ApiError(response.status, error.data.error.reason, error.data.error.message, error.data.error.challenge ?? null)
        : new ApiError(response.status, "internal", `The server answered ${response.status} ${response.statusText}.`);
    }
    return schema.parse(body);
  };
  /** A binary response of little-endian float32 values. */
  const floats = async (path: string, init: RequestInit): Promise<Float32Array> => {
    const response = await fetchImpl(baseUrl + path, init);
    if (!response.ok) {
      const error = ErrorResponseSchema.safeParse(await response.json().catch(() => null));
      throw error.success ? new ApiError(response.status, error.data.error.reason, error.data.error.message) : new ApiError(response.status, "internal", `The server answered ${response.status}.`);
    }
    const values = decodeFloat32(new Uint8Array(await response.arrayBuffer()));
    if (!values) throw new ApiError(response.status, "internal", "The server sent a body that is not a whole number of float32 values.");
    return values;
  };
  return {
    protocols: async () => (await call(ProtocolsResponseSchema, "/api/protocols")).protocols,
    dataset: (path: string, signal?: AbortSignal) => call(MoonsDatasetSchema, path, signal ? { signal } : undefined),
    /** `turnstileToken`: a solved challenge's single-use token, when a 403's ApiError named one (`challenge`). */
    workunit: (protocolId: string, turnstileToken?: string) =>
      call(WorkunitSchema, "/api/workunits", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ protocolId, ...(turnstileToken ? { turnstileToken } : {}) } satisfies WorkunitRequest),
      }),
    /** Resolves with the stored run whether it was accepted (201) or rejected by verification (422). */
    submitRun: (meta: RunMeta, weights: Float32Array, checkpoints: Float32Array | null = null) => {
      const form = new FormData();
      form.set("meta", JSON.stringify(meta));
      form.set("weights", new Blob([encodeFloat32(weights)], { type: "application/octet-stream" }), "weights.f32");
      if (checkpoints) form.set("checkpoints", new Blob([encodeFloat32(checkpoints)], { type: "application/octet-stream" }), "checkpoints.f32");
      return call(RunRecordSchema, "/api/runs", { method: "POST", body: form }, [422]);
    },
    run: (id: string) => call(RunRecordSchema, `/api/runs/${encodeURIComponent(id)}`),
    /** A verified run's final weights (404 for a rejected or unknown run). */
    runWeights: (id: string, signal?: AbortSignal): Promise<Float32Array> => floats(`/api/runs/${encodeURIComponent(id)}/weights`, signal ? { signal } : {}),
    /** What a verified run recorded while training (409 awaiting_peers while its weights are withheld). */
    runEvidence: (id: string) => call(RunEvidenceSchema, `/api/runs/${encodeURIComponent(id)}/evidence`),
    /** Ask for a segment of another contributor's run to replay; `replay` is null when none is waiting. */
    leaseReplay: (request: ReplayRequest) =>
      call(ReplayLeaseSchema, "/api/replays", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) }),
    /** The checkpoint a replay workunit starts from (weights, then optimiser state); only its lease's holder may read it. */
    replayStart: (workunit: ReplayWorkunit, signal?: AbortSignal): Promise<Float32Array> => {
      if (!workunit.startUrl) throw new RangeError(`segment ${workunit.segment} starts from the seed's initial weights`);
      return floats(workunit.startUrl, { headers: { authorization: `Bearer ${workunit.token}` }, ...(signal ? { signal } : {}) });
    },
    /** Where the replay ended (weights, then optimiser state): the server judges it against the run's own checkpoint. */
    submitReplay: (workunit: ReplayWorkunit, meta: Omit<ReplayResultMeta, "token">, state: Float32Array) => {
      const form = new FormData();
      form.set("meta", JSON.stringify({ token: workunit.token, ...meta } satisfies ReplayResultMeta));
      form.set("state", new Blob([encodeFloat32(state)], { type: "application/octet-stream" }), "state.f32");
      return call(ReplayOutcomeSchema, `/api/replays/${encodeURIComponent(workunit.replayId)}`, { method: "POST", body: form });
    },
    leaderboard: async () => (await call(LeaderboardResponseSchema, "/api/leaderboard")).protocols,
    board: (protocolId: string) => call(ProtocolBoardSchema, `/api/leaderboard/${encodeURIComponent(protocolId)}`),
    /** Seed-mean (and std) of an evidence series over a protocol's verified runs, e.g. Fig. 2's "ntkAbsZ". */
    series: (protocolId: string, name: string) => call(SeriesAggregateSchema, `/api/leaderboard/${encodeURIComponent(protocolId)}/series/${encodeURIComponent(name)}`),
    // ---- the read side (shared/board-api.ts): faceted leaderboard, paginated boards, run listing, contributors ----
    facetedLeaderboard: (facet: FacetQuery = {}) => call(FacetedLeaderboardSchema, `/api/leaderboard${toQueryString(facetEntries(facet))}`),
    facetCounts: () => call(FacetCountsSchema, "/api/leaderboard/facets"),
    boardPage: (protocolId: string, query: BoardPageQuery = {}) =>
      call(
        BoardPageSchema,
        `/api/leaderboard/${encodeURIComponent(protocolId)}${toQueryString([...facetEntries(query.facet ?? {}), ["sort", query.sort], ["order", query.order], ["limit", query.limit], ["cursor", query.cursor]])}`,
      ),
    /** A contributor's record by the 12-hex public id of their key. */
    contributor: (contributorId: string) => call(ContributorPageSchema, `/api/contributors/${encodeURIComponent(contributorId)}`),
    runsPage: (query: RunsPageQuery = {}) =>
      call(
        RunsPageSchema,
        `/api/runs${toQueryString([...facetEntries(query.facet ?? {}), ["protocol", query.protocol], ["contributor", query.contributor], ["counted", query.counted], ["limit", query.limit], ["cursor", query.cursor]])}`,
      ),
    saveExploration: (request: ExplorationRequest) =>
      call(ExplorationSchema, "/api/explorations", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) }),
    exploration: (id: string) => call(ExplorationSchema, `/api/explorations/${encodeURIComponent(id)}`),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
