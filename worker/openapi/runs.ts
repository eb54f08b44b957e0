// OpenAPI: runs — the submission (multipart), a run's record and artifacts (worker/routes/runs.ts), its evidence
// (run-evidence.ts) and the listing (run-listing.ts).
import { z } from "zod";
import { LIMITS, RunMetaSchema, RunRecordSchema } from "../../shared/api";
import { RunEvidenceSchema, RunsPageSchema, RunsQuerySchema } from "../../shared/board-api";
import { BINARY, binary, errors, json, MALFORMED, named, queryObject, RATE_LIMITED, RunIdParams, type Registry } from "./common";

const WITHHELD = "Peers are still replaying this run's drawn segments: its artifacts are served once they have answered (error.reason awaiting_peers).";

export function register(registry: Registry): void {
  const RunRecord = named("RunRecord", RunRecordSchema);
  const RunMeta = named("RunMeta", RunMetaSchema);
  registry.registerPath({
    method: "post",
    path: "/api/runs",
    tags: ["runs"],
    summary: "Submit a trained run for verification",
    description:
      "multipart/form-data: 'meta' (JSON, RunMeta), 'weights' (little-endian float32 in mlpParams order) and, for trajectory protocols, 'checkpoints' (the weights and optimiser state at every checkpoint). " +
      `At most ${LIMITS.requestBytes} bytes, meta at most ${LIMITS.metaBytes}. The server recomputes the metrics and replays the trajectory before anything counts; the same body sent again gets the stored run back with Idempotent-Replay: true.`,
    request: {
      body: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: z.object({ meta: RunMeta, weights: BINARY, checkpoints: BINARY.optional() }),
            encoding: { meta: { contentType: "application/json" }, weights: { contentType: "application/octet-stream" }, checkpoints: { contentType: "application/octet-stream" } },
          },
        },
      },
    },
    responses: {
      201: json("Accepted: the stored run, claimed and recomputed metrics side by side.", RunRecord),
      422: json("Rejected: the stored row with its machine-readable reason and a sentence.", RunRecord),
      ...errors({
        400: "The body or its parts are malformed (error.message says which).",
        403: "The token was not issued by this server, or the workunit belongs to another contributor key.",
        409: "The token was already used (or a submission of it is being verified: Retry-After).",
        410: "The workunit expired, or its protocol version was retired.",
        413: "The body or its meta part is too large.",
        415: "Not multipart/form-data.",
        429: RATE_LIMITED,
      }),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/runs",
    tags: ["runs"],
    summary: "List runs, newest first, a page at a time",
    description:
      "Counted runs by default (accepted, fully checked, not hidden); counted=false lists every accepted run. Filters: protocol (its current version), contributor (12-hex public id), seed, at most one environment facet, trust=replayed, since (inclusive) and until (exclusive). " +
      "Pass nextCursor back as cursor for the next page (keyset pagination: stable under inserts). trust=reproduced is a seed's quorum: ask the board.",
    request: { query: queryObject(RunsQuerySchema) },
    responses: {
      200: json("A page of runs and the cursor of the next (null on the last page).", named("RunsPage", RunsPageSchema)),
      ...errors({ 400: `${MALFORMED} Also a cursor this listing did not give.`, 404: "No protocol has that id.", 409: "Two contributor identities share that public id (error.reason ambiguous)." }),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/runs/{id}",
    tags: ["runs"],
    summary: "A stored run (accepted or rejected) with its verdict and peer replays",
    request: { params: RunIdParams },
    responses: { 200: json("The run.", RunRecord), ...errors({ 404: "No run has that id." }) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/runs/{id}/weights",
    tags: ["runs"],
    summary: "A verified run's final weights (little-endian float32, mlpParams order)",
    request: { params: RunIdParams },
    responses: { 200: binary("The weights (immutable)."), ...errors({ 404: "No verified run has that id, or its weights are not stored.", 409: WITHHELD }) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/runs/{id}/checkpoints",
    tags: ["runs"],
    summary: "A verified run's trajectory checkpoints (little-endian float32: weights and optimiser state at each checkpoint)",
    request: { params: RunIdParams },
    responses: { 200: binary("The checkpoints (immutable)."), ...errors({ 404: "No verified run has that id, or it has no checkpoints.", 409: WITHHELD }) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/runs/{id}/evidence",
    tags: ["runs"],
    summary: "What a verified run recorded while training: first losses, loss history, evidence series, timings",
    description: "Lists longer than 2,000 values are thinned to every k-th value plus the last (sampledEvery gives k).",
    request: { params: RunIdParams },
    responses: { 200: json("The evidence (immutable).", named("RunEvidence", RunEvidenceSchema)), ...errors({ 404: "No verified run has that id, or its evidence is not stored.", 409: WITHHELD }) },
  });
}
