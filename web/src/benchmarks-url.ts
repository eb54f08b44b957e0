// The benchmark board's addresses: /benchmarks with its filters in the query, /benchmarks/<id> for one result and
// /benchmarks/compare?a=<id>&b=<id> for two side by side; parsed here and built here, so every link round-trips.
import { BenchQuerySchema, type BenchQuery } from "../../shared/bench-api";
import { BENCH_QUERY_KEYS, benchQueryString } from "./bench-client";

export type BenchmarksRoute =
  | { readonly page: "benchmarks"; readonly query: BenchQuery }
  | { readonly page: "benchmark"; readonly id: string }
  | { readonly page: "benchmarks-compare"; readonly a: string | null; readonly b: string | null };

const BENCH_ID = /^bm_[0-9a-f-]{36}$/;
const idOrNull = (value: string | null): string | null => (value && BENCH_ID.test(value) ? value : null);

/** The filters of a query string: each one kept where it is valid, dropped where it is not. */
export function parseBenchQuery(query: URLSearchParams): BenchQuery {
  const out: Record<string, string> = {};
  for (const key of BENCH_QUERY_KEYS) {
    const value = query.get(key);
    if (value && BenchQuerySchema.shape[key].safeParse(value).success) out[key] = value;
  }
  return out as BenchQuery;
}

/** The route of a /benchmarks path, or null for any other path. */
export function parseBenchmarksRoute(path: string, query: URLSearchParams): BenchmarksRoute | null {
  if (path === "/benchmarks") return { page: "benchmarks", query: parseBenchQuery(query) };
  if (path === "/benchmarks/compare") return { page: "benchmarks-compare", a: idOrNull(query.get("a")), b: idOrNull(query.get("b")) };
  const one = /^\/benchmarks\/([^/]+)$/.exec(path);
  if (one) return { page: "benchmark", id: decodeURIComponent(one[1]!) };
  return null;
}

export const benchmarksUrl = (query: BenchQuery = {}): string => `/benchmarks${benchQueryString(query)}`;
export const benchmarkUrl = (id: string): string => `/benchmarks/${encodeURIComponent(id)}`;
export const benchmarksCompareUrl = (a: string, b: string): string => `/benchmarks/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
