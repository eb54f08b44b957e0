// The benchmark board's calls from the page (same origin): a benchmark workunit, a suite's submission, the
// grouped board and one result, each answer checked against shared/bench-api.ts; errors as the API client's ApiError.
import type { z } from "zod";
import { ErrorResponseSchema } from "../../shared/api";
import { BenchAcceptedSchema, BenchBoardSchema, BenchResultSchema, BenchWorkunitSchema, type BenchQuery, type BenchSubmission } from "../../shared/bench-api";
import { ApiError } from "../../shared/client/api-client";

async function benchCall<S extends z.ZodType>(schema: S, path: string, init?: RequestInit): Promise<z.infer<S>> {
  const response = await fetch(path, init);
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return schema.parse(body);
  const error = ErrorResponseSchema.safeParse(body);
  throw error.success ? new ApiError(response.status, error.data.error.reason, error.data.error.message) : new ApiError(response.status, "internal", `The server answered ${response.status}.`);
}

/** The board's query string, in BENCH_QUERY_KEYS order, without empty filters. */
export function benchQueryString(query: BenchQuery): string {
  const params = new URLSearchParams();
  for (const key of BENCH_QUERY_KEYS) if (query[key]) params.set(key, query[key]);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export const BENCH_QUERY_KEYS = ["backend", "gpuVendor", "gpuArchitecture", "browser", "os", "item"] as const;

export const benchClient = {
  workunit: () => benchCall(BenchWorkunitSchema, "/api/benchmarks/workunits", { method: "POST" }),
  submit: (submission: BenchSubmission) =>
    benchCall(BenchAcceptedSchema, "/api/benchmarks", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(submission) }),
  /** Revalidated every time: a suite just submitted must show even where the browser holds the board from a minute ago. */
  board: (query: BenchQuery) => benchCall(BenchBoardSchema, `/api/benchmarks${benchQueryString(query)}`, { cache: "no-cache" }),
  result: (id: string) => benchCall(BenchResultSchema, `/api/benchmarks/${encodeURIComponent(id)}`),
};
