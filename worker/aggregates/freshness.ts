// Caching of the leaderboard's GETs: the aggregate version (one row) names the data, the ETag is the version
// and the normalised query, `Cache-Control: public, max-age=0, must-revalidate`, and a matching If-None-Match is
// answered 304 after reading the version row (and two probes for leftover marks). Leftover marks (a write that
// died mid-way) are refreshed inline here first, at most READ_BUDGET of them, so the answer and its ETag agree.
import type { Context } from "hono";
import { sha256Hex } from "../../shared/data/digest";
import type { Database } from "../db/client";
import type { AppEnv } from "../env";
import type { CountingReader } from "./reader";
import { READ_BUDGET, settle } from "./settle";

const VERSION = "SELECT version FROM aggregate_version WHERE id = 1";

/** The aggregate version once no marks are left over (at most READ_BUDGET refreshed inline). */
export async function freshVersion(db: Database, reader: CountingReader): Promise<number> {
  const [version, dirty, stale] = (await reader.batch([
    { query: VERSION, binds: [] },
    { query: "SELECT 1 FROM aggregate_dirty LIMIT 1", binds: [] },
    { query: "SELECT 1 FROM contributor_standing WHERE stale = 1 LIMIT 1", binds: [] },
  ])) as [{ version: number }[], unknown[], unknown[]];
  if (dirty.length === 0 && stale.length === 0) return version[0]?.version ?? 0;
  await settle(db, READ_BUDGET);
  return (await reader.all<{ version: number }>(VERSION))[0]?.version ?? 0;
}

const etagOf = async (version: number, path: string, canonical: string): Promise<string> =>
  `"${version}-${(await sha256Hex(new TextEncoder().encode(`${path}?${canonical}`))).slice(0, 20)}"`;

const matches = (header: string | undefined, etag: string): boolean =>
  header !== undefined && header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag || tag.trim() === "*");

/**
 * Answers a GET from the aggregates: 304 when the client's ETag is current, else `build(version)` as JSON. The
 * x-gs-rows-read header (D1 rows the request read) is added only where DEBUG_ROWS_READ is set.
 */
export async function cachedAnswer(
  c: Context<AppEnv>,
  db: Database,
  reader: CountingReader,
  canonical: string,
  build: (version: number) => Promise<Response | object>,
): Promise<Response> {
  const version = await freshVersion(db, reader);
  const etag = await etagOf(version, new URL(c.req.url).pathname, canonical);
  const headers: Record<string, string> = { etag, "cache-control": "public, max-age=0, must-revalidate" };
  const debug = (): Record<string, string> => (c.env.DEBUG_ROWS_READ ? { "x-gs-rows-read": String(reader.rowsRead) } : {});
  if (matches(c.req.header("if-none-match"), etag)) return c.body(null, 304, { ...headers, ...debug() });
  const body = await build(version);
  if (body instanceof Response) return body;
  return c.json(body, 200, { ...headers, ...debug() });
}
