// OpenAPI: the benchmark board (worker/routes/benchmarks.ts) — benchmark workunits, submissions the server checks
// against its own recomputation and physical bounds, the grouped board with its agreement table, one result.
import { z } from "zod";
import { BenchAcceptedSchema, BenchBoardSchema, BenchQuerySchema, BenchResultSchema, BenchSubmissionSchema, BenchWorkunitSchema } from "../../shared/bench-api";
import { errors, json, MALFORMED, named, queryObject, RATE_LIMITED, type Registry } from "./common";

export function register(registry: Registry): void {
  const Result = named("BenchResult", BenchResultSchema);
  registry.registerPath({
    method: "post",
    path: "/api/benchmarks/workunits",
    tags: ["benchmarks"],
    summary: "A benchmark workunit: the server's seed and sizes for one backend's suite, behind a single-use token (no body)",
    responses: {
      201: json("The workunit and its token (shown once).", named("BenchWorkunit", BenchWorkunitSchema)),
      ...errors({ 413: "A benchmark workunit request has no body.", 429: `${RATE_LIMITED} Or this address holds the most open benchmark workunits allowed.` }),
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/benchmarks",
    tags: ["benchmarks"],
    summary: "Submit a suite's timings and computed end states: refused unless the end states are the computation and the timings physically possible",
    request: { body: { required: true, content: { "application/json": { schema: named("BenchSubmission", BenchSubmissionSchema) } } } },
    responses: {
      201: json("The stored result.", named("BenchAccepted", BenchAcceptedSchema)),
      ...errors({
        400: MALFORMED,
        403: "The token was not issued by this server.",
        409: "The token was already used.",
        410: "The workunit expired.",
        413: "The body is over 1.5 MiB.",
        422: "evidence_shape, claims_mismatch (a timing above the backend's physical bound, or longer than the time the server saw pass) or replay_mismatch (an end state that is not the computation).",
        429: RATE_LIMITED,
      }),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/benchmarks",
    tags: ["benchmarks"],
    summary: "Benchmark results grouped by GPU adapter, backend, browser and OS (median, p10/p90, n), the newest results, reference rows and the cross-backend agreement table",
    request: { query: queryObject(BenchQuerySchema) },
    responses: { 200: json("The benchmark board.", named("BenchBoard", BenchBoardSchema)), ...errors({ 400: MALFORMED }) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/benchmarks/{id}",
    tags: ["benchmarks"],
    summary: "One benchmark result",
    request: { params: z.object({ id: z.string().regex(/^bm_[0-9a-f-]{36}$/).describe("The result's id.") }) },
    responses: { 200: json("The result.", Result), ...errors({ 404: "No benchmark result has that id." }) },
  });
}
