// GET /api/export/runs.csv and /api/export/runs.json (?protocol=<id>, else every protocol: the one dump): every
// verified run the boards count, in the columns shared/export-api.ts defines, streamed a keyset page at a time
// (oldest first) so that a dump of any size stays within a Worker's memory; and GET /api/export/citation.
import { zValidator } from "@hono/zod-validator";
import { and, asc, eq, gt, gte, or, type SQL } from "drizzle-orm";
import { Hono, type Context } from "hono";
import type { ListedRun } from "../../shared/board-api";
import { csvLine } from "../../shared/csv";
import { boardBibtex, EXPORT_LICENCE, exportColumns, ExportQuerySchema, metricKeysOf, PAPER_BIBTEX, type Citation, type ExportRow } from "../../shared/export-api";
import { findProtocol, PROTOCOLS } from "../../shared/protocols/registry";
import type { Protocol } from "../../shared/protocols/types";
import { database, type Database } from "../db/client";
import { runs } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError, malformedOnFailure } from "../http";
import { rateLimit } from "../rate-limit";
import { hiddenNameFilter, listedRuns, shownCounted, toListedRun, type ListedRow } from "../shown-runs";

/** Rows read per D1 query: a page's rows are written out before the next page is read. */
export const EXPORT_PAGE_ROWS = 500;

/** One listed run as an export row (shared/export-api.ts EXPORT_COLUMNS, then the metric columns). */
export function exportRow(run: ListedRun, origin: string, metricKeys: readonly string[]): ExportRow {
  const row: Record<string, string | number | null> = {
    run_id: run.id,
    protocol_id: run.protocolId,
    protocol_version: run.protocolVersion,
    seed: run.seed,
    trust: run.trust,
    backend: run.backend,
    gpu_vendor: run.gpuVendor,
    gpu_architecture: run.gpuArchitecture,
    browser: run.browser,
    os: run.os,
    contributor_id: run.contributorId,
    display_name: run.contributor,
    train_ms: run.trainMs,
    created_at: run.createdAt,
    run_url: `${origin}/runs/${run.id}`,
    weights_url: `${origin}/api/runs/${run.id}/weights`,
  };
  for (const key of metricKeys) row[`metric_${key}`] = run.recomputed[key] ?? null;
  return row;
}

/**
 * The exported rows a page at a time: one keyset pass per (protocol, version) for one protocol (along
 * runs_protocol_created), or one pass over every accepted run for the dump (along runs_status_created).
 */
async function* exportPages(db: Database, protocol: Protocol | null): AsyncGenerator<ListedRow[]> {
  const shownName = await hiddenNameFilter(db);
  const passes: SQL[] = protocol
    ? Array.from({ length: protocol.version }, (_, k) => and(eq(runs.protocolId, protocol.id), eq(runs.protocolVersion, k + 1))!)
    : [eq(runs.status, "accepted")];
  for (const pass of passes) {
    let after: { createdAt: number; id: string } | null = null;
    for (;;) {
      const position: SQL[] = after ? [gte(runs.createdAt, after.createdAt), or(gt(runs.createdAt, after.createdAt), gt(runs.id, after.id))!] : [];
      const rows = await listedRuns(db)
        .where(and(pass, shownCounted(db), ...position))
        .orderBy(asc(runs.createdAt), asc(runs.id))
        .limit(EXPORT_PAGE_ROWS);
      if (rows.length > 0) yield rows.filter(shownName);
      if (rows.length < EXPORT_PAGE_ROWS) break;
      after = rows.at(-1)!;
    }
  }
}

/** A stream of text chunks, each produced only when the reader asks for more. */
function textStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

const citationOf = (origin: string, at: Date): Citation => ({ bibtex: PAPER_BIBTEX, board: boardBibtex(origin, at) });

type Format = "csv" | "json";

function exportResponse(c: Context<AppEnv>, format: Format, protocolId: string | undefined): Response {
  const found = protocolId === undefined ? null : findProtocol(protocolId);
  if (found === undefined) return apiError(c, 404, "unknown_protocol", "No protocol has that id; GET /api/protocols lists them.");
  const protocol: Protocol | null = found;
  const db = database(c.env.DB);
  const origin = new URL(c.req.url).origin;
  const now = new Date();
  const metricKeys = metricKeysOf(protocol ? [protocol] : PROTOCOLS);
  const columns = exportColumns(metricKeys);
  const names = columns.map((column) => column.name);
  const rowsOf = (page: readonly ListedRow[]) => page.map((row) => exportRow(toListedRun(row), origin, metricKeys));

  async function* csv(): AsyncGenerator<string> {
    yield csvLine(names);
    for await (const page of exportPages(db, protocol)) yield rowsOf(page).map((row) => csvLine(names.map((name) => row[name] ?? null))).join("");
  }
  async function* json(): AsyncGenerator<string> {
    const head = { protocol: protocol?.id ?? null, columns, metricKeys, licence: EXPORT_LICENCE, citation: citationOf(origin, now), generatedAt: now.toISOString() };
    yield `${JSON.stringify(head).slice(0, -1)},"runs":[`;
    let first = true;
    for await (const page of exportPages(db, protocol)) {
      const rows = rowsOf(page);
      if (rows.length === 0) continue;
      yield `${first ? "" : ","}${rows.map((row) => JSON.stringify(row)).join(",")}`;
      first = false;
    }
    yield "]}";
  }

  const filename = `gslab-runs-${protocol?.id ?? "all"}-${now.toISOString().slice(0, 10)}.${format}`;
  return new Response(textStream(format === "csv" ? csv() : json()), {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8; header=present" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "public, max-age=60",
    },
  });
}

/** Each address may ask for a few exports a minute (wrangler.toml EXPORT_LIMITER): a dump reads every verified run. */
const exportLimit = rateLimit((env) => env.EXPORT_LIMITER, "export downloads");

export const exportRoutes = new Hono<AppEnv>()
  .get("/runs.csv", exportLimit, zValidator("query", ExportQuerySchema, malformedOnFailure), (c) => exportResponse(c, "csv", c.req.valid("query").protocol))
  .get("/runs.json", exportLimit, zValidator("query", ExportQuerySchema, malformedOnFailure), (c) => exportResponse(c, "json", c.req.valid("query").protocol))
  .get("/citation", (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json(citationOf(new URL(c.req.url).origin, new Date()));
  });
