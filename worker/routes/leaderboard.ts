// GET /api/leaderboard (every protocol's verified aggregate and claim verdicts) and
// GET /api/leaderboard/:protocolId (its runs and the seed-averaged decision function of the figure).
import { asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import type { LeaderboardEntry, ProtocolBoard } from "../../shared/api";
import { decodeFloat32 } from "../../shared/nn/float32-codec";
import { familyOf } from "../../shared/protocols/families";
import { findProtocol, PROTOCOLS } from "../../shared/protocols/registry";
import { judgeClaims, summarize, type AcceptedRun } from "../../shared/metrics/aggregate";
import { database, type Database } from "../db/client";
import { runs, type RunRow } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError } from "../http";
import { artifactKeys } from "../storage";

/** Seeds drawn in the averaged figure (the lowest ones; the paper averages seeds 0-9). */
const FIGURE_SEEDS = 20;
/** The board lists the most recent accepted runs, newest first; the aggregates use them all. */
const RUNS_LISTED = 500;

async function acceptedRows(db: Database): Promise<RunRow[]> {
  return db.select().from(runs).where(eq(runs.status, "accepted")).orderBy(asc(runs.createdAt));
}

const asAccepted = (row: RunRow): AcceptedRun => ({
  seed: row.seed,
  contributor: row.contributor,
  recomputed: JSON.parse(row.recomputed ?? "{}") as Record<string, number | null>,
});

function leaderboardEntries(rows: readonly RunRow[]): LeaderboardEntry[] {
  const summaries = new Map(
    PROTOCOLS.map((protocol) => {
      const mine = rows.filter((r) => r.protocolId === protocol.id && r.protocolVersion === protocol.version).map(asAccepted);
      return [protocol.id, summarize(protocol, familyOf(protocol).metrics, mine)] as const;
    }),
  );
  return PROTOCOLS.map((protocol) => ({ ...summaries.get(protocol.id)!, claims: judgeClaims(protocol, summaries) }));
}

/** Mean over seeds of the figure grid, using each seed's first accepted run. */
async function averagedGrid(bucket: R2Bucket, rows: readonly RunRow[]): Promise<ProtocolBoard["boundary"]> {
  const firstPerSeed = new Map<number, RunRow>();
  for (const row of rows) if (!firstPerSeed.has(row.seed)) firstPerSeed.set(row.seed, row);
  const chosen = [...firstPerSeed.values()].sort((a, b) => a.seed - b.seed).slice(0, FIGURE_SEEDS);
  const grids = (
    await Promise.all(
      chosen.map(async (row) => {
        const object = await bucket.get(artifactKeys(row.id).grid);
        return object ? decodeFloat32(new Uint8Array(await object.arrayBuffer())) : null;
      }),
    )
  ).filter((g): g is Float32Array => g !== null);
  if (grids.length === 0) return null;
  const sum = new Float64Array(grids[0]!.length);
  for (const grid of grids) grid.forEach((v, k) => (sum[k] = sum[k]! + v));
  return { seeds: grids.length, grid: Array.from(sum, (v) => Math.round((v / grids.length) * 1e5) / 1e5) };
}

export const leaderboardRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const rows = await acceptedRows(database(c.env.DB));
    return c.json({ protocols: leaderboardEntries(rows) });
  })
  .get("/:protocolId", async (c) => {
    const protocol = findProtocol(c.req.param("protocolId"));
    if (!protocol) return apiError(c, 404, "unknown_protocol", "No protocol has that id; GET /api/protocols lists them.");
    const db = database(c.env.DB);
    const rows = await acceptedRows(db);
    const entry = leaderboardEntries(rows).find((e) => e.protocolId === protocol.id)!;
    const mine = rows.filter((r) => r.protocolId === protocol.id && r.protocolVersion === protocol.version);
    const board: ProtocolBoard = {
      entry,
      runs: mine.slice(-RUNS_LISTED).reverse().map((row) => ({
        id: row.id,
        seed: row.seed,
        contributor: row.contributor,
        backend: row.backend as ProtocolBoard["runs"][number]["backend"],
        recomputed: asAccepted(row).recomputed,
        trainMs: row.trainMs,
        createdAt: new Date(row.createdAt).toISOString(),
      })),
      boundary: await averagedGrid(c.env.ARTIFACTS, mine),
    };
    return c.json(board);
  });

