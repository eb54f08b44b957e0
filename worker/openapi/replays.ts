// OpenAPI: replay workunits (worker/routes/replays.ts) — peers replay drawn segments of other contributors' runs.
import { ReplayLeaseSchema, ReplayOutcomeSchema, ReplayRequestSchema, ReplayResultMetaSchema } from "../../shared/api";
import { z } from "zod";
import { BINARY, binary, errors, json, MALFORMED, named, RATE_LIMITED, type Registry } from "./common";

const ReplayIdParams = z.object({ id: z.string().regex(/^rp_[0-9a-f-]{36}$/).describe("The replay workunit's id.") });
const HELD = { 403: "This token does not hold this replay.", 404: "No replay has that id.", 409: "This replay was already answered.", 410: "The lease expired, or the run's protocol version was retired." };

export function register(registry: Registry): void {
  const ReplayMeta = named("ReplayResultMeta", ReplayResultMetaSchema);
  registry.registerComponent("securitySchemes", "replayToken", { type: "http", scheme: "bearer", description: "The lease's single-use token (ReplayWorkunit.token)." });
  registry.registerPath({
    method: "post",
    path: "/api/replays",
    tags: ["replays"],
    summary: "Lease a drawn segment of another contributor's run to replay (keys with earned standing only)",
    request: { body: { required: true, content: { "application/json": { schema: named("ReplayRequest", ReplayRequestSchema) } } } },
    responses: {
      201: json("A new lease.", named("ReplayLease", ReplayLeaseSchema)),
      200: json("The lease this key already holds, with a new token; or replay: null when no segment waits for this key.", named("ReplayLease", ReplayLeaseSchema)),
      ...errors({ 400: MALFORMED, 403: "The key has no earned standing, is suspect or hidden, or abandoned too many leases.", 413: "The body is over 4 KiB.", 429: RATE_LIMITED }),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/replays/{id}/start",
    tags: ["replays"],
    summary: "The checkpoint a leased segment starts from (the lease's holder only)",
    security: [{ replayToken: [] }],
    request: { params: ReplayIdParams },
    responses: { 200: binary("Weights then optimiser state, little-endian float32."), ...errors({ ...HELD, 404: "No replay has that id, segment 0 (it starts from the seed's initial weights), or no checkpoints stored." }) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/replays/{id}",
    tags: ["replays"],
    summary: "Answer a leased replay with where training ended",
    description: "multipart/form-data: 'meta' (JSON, ReplayResultMeta with the token) and 'state' (the end weights then the optimiser state, little-endian float32).",
    request: {
      params: ReplayIdParams,
      body: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: z.object({ meta: ReplayMeta, state: BINARY }),
            encoding: { meta: { contentType: "application/json" }, state: { contentType: "application/octet-stream" } },
          },
        },
      },
    },
    responses: {
      200: json("The judgement of this answer, the segment's and the run's.", named("ReplayOutcome", ReplayOutcomeSchema)),
      ...errors({ ...HELD, 400: "Malformed parts, a state of the wrong size or with non-finite values.", 413: "The body is too large.", 415: "Not multipart/form-data.", 429: RATE_LIMITED }),
    },
  });
}
