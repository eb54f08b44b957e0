// The benchmark board's API: POST /api/benchmarks/workunits hands out a seed and a single-use token for one
// backend's suite; POST /api/benchmarks takes the suite's timings, environment and computed end states, checks
// them (shared/metrics/benchmark-check.ts: float64 replay, recomputed matmul rows, physical timing bounds) and
// stores an accepted result; GET /api/benchmarks groups the newest results (a bounded read) with the
// cross-backend agreement table; GET /api/benchmarks/:id is one result.
import { zValidator } from "@hono/zod-validator";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import {
  BENCH_ITEMS,
  BENCH_SUITE,
  BenchQuerySchema,
  BenchSubmissionSchema,
  type BenchBoard,
  type BenchResult,
  type BenchWorkunit,
} from "../../shared/bench-api";
import { environmentFacets } from "../../shared/environment-facets";
import { benchDraw, checkBenchmark } from "../../shared/metrics/benchmark-check";
import { benchCmnistData } from "../../shared/metrics/benchmark-cmnist";
import { workerMnistPack } from "../mnist-pack";
import { agreementTable, groupBenchmarks, type BenchSample } from "../../shared/metrics/benchmark-stats";
import { clientKey } from "../address";
import { database } from "../db/client";
import { benchmarks, benchmarkWorkunits, type BenchmarkRow } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError, malformedOnFailure } from "../http";
import { rateLimit } from "../rate-limit";
import { newToken, tokenHash } from "../tokens";

/** How long a benchmark workunit's token is good for: the suite takes seconds to minutes on one backend. */
export const BENCH_WORKUNIT_TTL_MS = 30 * 60_000;
/** Open benchmark workunits one address may hold: a suite on every backend, twice. */
export const BENCH_OPEN_PER_ADDRESS = 8;
/** The board's figures come from at most this many of the newest matching results (one indexed, bounded read). */
export const BOARD_ROW_CAP = 2000;
/** Newest results listed with their pages. */
const RECENT = 50;
const BENCH_ID = /^bm_[0-9a-f-]{36}$/;

const ISSUE_SQL = `
INSERT INTO benchmark_workunits (id, token_hash, seed, steps, lanes, matmul_size, matmul_repeats, cmnist_images_per_env, cmnist_steps, created_at, expires_at, client_key)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?12, ?13, ?8, ?9, ?10
WHERE (SELECT count(*) FROM benchmark_workunits WHERE client_key IS ?10 AND consumed_at IS NULL AND expires_at > ?8) < ?11
RETURNING id`;

/** A uniform integer in [0, bound) from the Worker's cryptographic randomness. */
function randomBelow(bound: number): number {
  const limit = Math.floor(2 ** 32 / bound) * bound;
  for (;;) {
    const [value] = crypto.getRandomValues(new Uint32Array(1));
    if (value! < limit) return value! % bound;
  }
}

const valuesOf = (row: BenchmarkRow): BenchResult["values"] => ({ "moons-1": row.moons1, "moons-10": row.moons10, cmnist: row.cmnist, matmul: row.matmul });

function resultOf(row: BenchmarkRow): BenchResult {
  const details = JSON.parse(row.details) as { matmulRows: number[]; timings: BenchResult["timings"]; steps: number; lanes: number; matmulSize: number };
  return {
    id: row.id,
    createdAt: new Date(row.createdAt).toISOString(),
    facets: facetsOf(row),
    tfjsVersion: row.tfjsVersion,
    userAgent: row.userAgent,
    values: valuesOf(row),
    agreement: { moons1: row.moons1Deviation, moons10: row.moons10Deviation, moons10Lane: row.moons10Lane, cmnist: row.cmnistDeviation, matmul: row.matmulError, matmulRows: details.matmulRows },
    timings: details.timings,
    steps: details.steps,
    lanes: details.lanes,
    matmulSize: details.matmulSize,
  };
}

const facetsOf = (row: BenchmarkRow): BenchResult["facets"] => ({
  backend: row.backend as BenchResult["facets"]["backend"],
  gpuVendor: row.gpuVendor as BenchResult["facets"]["gpuVendor"],
  gpuArchitecture: row.gpuArchitecture,
  adapter: row.adapter,
  browser: row.browser as BenchResult["facets"]["browser"],
  os: row.os as BenchResult["facets"]["os"],
});

const sampleOf = (row: BenchmarkRow): BenchSample => ({
  facets: facetsOf(row),
  values: valuesOf(row),
  deviations: { "moons-1": row.moons1Deviation, "moons-10": row.moons10Deviation, cmnist: row.cmnistDeviation, matmul: row.matmulError },
});

export const benchmarkRoutes = new Hono<AppEnv>()
  .post(
    "/workunits",
    rateLimit((env) => env.WORKUNIT_LIMITER, "benchmark workunit requests"),
    bodyLimit({ maxSize: 1024, onError: (c) => apiError(c, 413, "payload_too_large", "A benchmark workunit request has no body.") }),
    async (c) => {
      const now = Date.now();
      const token = newToken();
      const workunit: BenchWorkunit = {
        id: `bwu_${crypto.randomUUID()}`,
        token,
        seed: crypto.getRandomValues(new Uint32Array(1))[0]!,
        steps: BENCH_SUITE.steps,
        lanes: BENCH_SUITE.lanes,
        matmulSize: BENCH_SUITE.matmulSize,
        matmulRepeats: BENCH_SUITE.matmulRepeats,
        cmnistImagesPerEnv: BENCH_SUITE.cmnistImagesPerEnv,
        cmnistSteps: BENCH_SUITE.cmnistSteps,
        expiresAt: new Date(now + BENCH_WORKUNIT_TTL_MS).toISOString(),
      };
      const issued = await c.env.DB.prepare(ISSUE_SQL)
        .bind(workunit.id, await tokenHash(token), workunit.seed, workunit.steps, workunit.lanes, workunit.matmulSize, workunit.matmulRepeats, now, now + BENCH_WORKUNIT_TTL_MS, clientKey(c.req.header("cf-connecting-ip")), BENCH_OPEN_PER_ADDRESS, workunit.cmnistImagesPerEnv, workunit.cmnistSteps)
        .first();
      if (!issued) return apiError(c, 429, "rate_limited", `Your address holds ${BENCH_OPEN_PER_ADDRESS} open benchmark workunits, the most allowed at once: submit or let some expire (30 minutes) first.`);
      return c.json(workunit, 201);
    },
  )
  .post(
    "/",
    rateLimit((env) => env.SUBMIT_LIMITER, "benchmark submissions"),
    bodyLimit({ maxSize: 1536 * 1024, onError: (c) => apiError(c, 413, "payload_too_large", "A benchmark submission is at most 1.5 MiB.") }),
    zValidator("json", BenchSubmissionSchema, malformedOnFailure),
    async (c) => {
      const submission = c.req.valid("json");
      const db = database(c.env.DB);
      const [workunit] = await db.select().from(benchmarkWorkunits).where(eq(benchmarkWorkunits.id, submission.workunitId)).limit(1);
      if (!workunit || workunit.tokenHash !== (await tokenHash(submission.token))) {
        return apiError(c, 403, "token_invalid", "This token was not issued by this server for that benchmark workunit. Ask for a benchmark workunit first.");
      }
      const now = Date.now();
      if (workunit.consumedAt !== null) return apiError(c, 409, "token_used", "This benchmark workunit's token has already been used; ask for a new one.");
      if (workunit.expiresAt <= now) return apiError(c, 410, "token_expired", "This benchmark workunit expired before the submission arrived; ask for a new one.");
      // One try per token, taken atomically: a concurrent second submission finds it consumed.
      const consumed = await c.env.DB.prepare("UPDATE benchmark_workunits SET consumed_at = ?1 WHERE id = ?2 AND consumed_at IS NULL RETURNING id").bind(now, workunit.id).first();
      if (!consumed) return apiError(c, 409, "token_used", "This benchmark workunit's token has already been used; ask for a new one.");

      const windowMs = now - workunit.createdAt;
      const { environment } = submission;
      const draw = benchDraw(randomBelow, workunit.lanes, workunit.matmulSize);
      const pack = await workerMnistPack(c.env.ASSETS, new URL(c.req.url).origin);
      const verdict = checkBenchmark(workunit, submission, environment.backend, windowMs, draw, benchCmnistData(pack, workunit.seed, workunit.cmnistImagesPerEnv));
      if (!verdict.ok) return apiError(c, 422, verdict.reason, verdict.message);

      const facets = environmentFacets(environment);
      const id = `bm_${crypto.randomUUID()}`;
      const timings: BenchResult["timings"] = { moons1Ms: submission.moons1.elapsedMs, moons10Ms: submission.moons10.elapsedMs, cmnistMs: submission.cmnist.elapsedMs, matmulMs: submission.matmul.elapsedMs, windowMs };
      const row: BenchmarkRow = {
        id,
        workunitId: workunit.id,
        createdAt: now,
        ...facets,
        adapter: environment.adapter ?? null,
        tfjsVersion: environment.tfjsVersion,
        userAgent: environment.userAgent,
        moons1: verdict.values["moons-1"],
        moons10: verdict.values["moons-10"],
        cmnist: verdict.values.cmnist,
        matmul: verdict.values.matmul,
        moons1Deviation: verdict.agreement.moons1,
        moons10Deviation: verdict.agreement.moons10,
        moons10Lane: verdict.agreement.moons10Lane,
        cmnistDeviation: verdict.agreement.cmnist,
        matmulError: verdict.agreement.matmul,
        details: JSON.stringify({ matmulRows: verdict.agreement.matmulRows, timings, steps: workunit.steps, lanes: workunit.lanes, matmulSize: workunit.matmulSize }),
      };
      await db.insert(benchmarks).values(row);
      return c.json({ id, result: resultOf(row) }, 201);
    },
  )
  .get("/", zValidator("query", BenchQuerySchema, malformedOnFailure), async (c) => {
    const query = c.req.valid("query");
    const conditions: SQL[] = [];
    if (query.backend) conditions.push(eq(benchmarks.backend, query.backend));
    if (query.gpuVendor) conditions.push(eq(benchmarks.gpuVendor, query.gpuVendor));
    if (query.gpuArchitecture) conditions.push(eq(benchmarks.gpuArchitecture, query.gpuArchitecture));
    if (query.browser) conditions.push(eq(benchmarks.browser, query.browser));
    if (query.os) conditions.push(eq(benchmarks.os, query.os));
    const rows = await database(c.env.DB)
      .select()
      .from(benchmarks)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(benchmarks.createdAt))
      .limit(BOARD_ROW_CAP);
    const items = query.item ? [query.item] : BENCH_ITEMS;
    const samples = rows.map(sampleOf);
    const body: BenchBoard = {
      groups: groupBenchmarks(samples, items),
      agreement: agreementTable(samples, items),
      recent: rows.slice(0, RECENT).map((row) => ({ id: row.id, createdAt: new Date(row.createdAt).toISOString(), facets: facetsOf(row), values: valuesOf(row) })),
      rows: rows.length,
      cap: BOARD_ROW_CAP,
      capped: rows.length === BOARD_ROW_CAP,
    };
    // A new result shows within a minute; the board is the same for everyone.
    c.header("Cache-Control", "public, max-age=60");
    return c.json(body);
  })
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    if (!BENCH_ID.test(id)) return apiError(c, 404, "not_found", "No benchmark result has that id.");
    const [row] = await database(c.env.DB).select().from(benchmarks).where(eq(benchmarks.id, id)).limit(1);
    if (!row) return apiError(c, 404, "not_found", "No benchmark result has that id.");
    // A stored result never changes.
    c.header("Cache-Control", "public, max-age=86400, immutable");
    return c.json(resultOf(row));
  });
