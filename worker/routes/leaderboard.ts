// GET /api/leaderboard (every protocol's verified aggregate and claim verdicts; runs peers refuted are listed, not counted),
// GET /api/leaderboard/:protocolId (its runs and the seed-averaged decision function of the figure) and
// GET /api/leaderboard/:protocolId/series/:name (the seed-mean of an evidence series, e.g. Fig. 2's |z|).
import { and, asc, eq, isNull, notInArray, or } from "drizzle-orm";
import { Hono } from "hono";
import type { LeaderboardEntry, ProtocolBoard, SeriesAggregate } from "../../shared/api";
import { decodeFloat32 } from "../../shared/nn/float32-codec";
import { nameKey } from "../../shared/names";
import { familyOf, recordedSeries } from "../../shared/protocols/families";
import { findProtocol, PROTOCOLS } from "../../shared/protocols/registry";
import { judgeClaims, summarize, trustBySeed, type AcceptedRun } from "../../shared/metrics/aggregate";
import { runTrust } from "../../shared/metrics/quorum";
import { database, type Database } from "../db/client";
import { hiddenContributorKeys, hiddenContributors, runs, type RunRow } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError } from "../http";
import { publicContributorId } from "../run-record";
import { artifactKeys } from "../storage";

/** Seeds drawn in the averaged figure (the lowest ones; the paper averages seeds 0-9). */
const FIGURE_SEEDS = 20;
/** The board lists the most recent accepted runs, newest first; the aggregates use them all. */
const RUNS_LISTED = 500;

/** Runs whose trajectory peers refuted: listed as disputed, left out of every aggregate. */
const refuted = (row: RunRow): boolean => row.peerStatus === "refuted";
const counted = (rows: readonly RunRow[]): RunRow[] => rows.filter((row) => !refuted(row));

/**
 * The runs that are shown: verified, not hidden by an admin, not by a hidden identity (whatever name it used),
 * not under a hidden name. Names are compared by their key (shared/names.ts nameKey: normalised, case-folded),
 * which SQL cannot compute, so they are matched here; a name stored before submissions were normalised is
 * normalised first.
 */
async function acceptedRows(db: Database): Promise<RunRow[]> {
  const hiddenKeys = db.select({ id: hiddenContributorKeys.contributorId }).from(hiddenContributorKeys);
  const [rows, hiddenNames] = await Promise.all([
    db
      .select()
      .from(runs)
      .where(and(eq(runs.status, "accepted"), isNull(runs.hiddenAt), or(isNull(runs.contributorId), notInArray(runs.contributorId, hiddenKeys))))
      .orderBy(asc(runs.createdAt)),
    db.select({ name: hiddenContributors.name }).from(hiddenContributors),
  ]);
  if (hiddenNames.length === 0) return rows;
  const hidden = new Set(hiddenNames.map((h) => nameKey(h.name)));
  return rows.filter((row) => row.contributor === null || !hidden.has(nameKey(row.contributor)));
}

const asAccepted = (row: RunRow): AcceptedRun => ({
  seed: row.seed,
  contributor: row.contributor,
  contributorId: row.contributorId,
  recomputed: JSON.parse(row.recomputed ?? "{}") as Record<string, number | null>,
});

function leaderboardEntries(rows: readonly RunRow[]): LeaderboardEntry[] {
  const summaries = new Map(
    PROTOCOLS.map((protocol) => {
      const mine = rows.filter((r) => r.protocolId === protocol.id && r.protocolVersion === protocol.version).map(asAccepted);
      return [protocol.id, summarize(protocol, familyOf(protocol).metrics(protocol), mine)] as const;
    }),
  );
  return PROTOCOLS.map((protocol) => ({ ...summaries.get(protocol.id)!, claims: judgeClaims(protocol, summaries) }));
}

/** Each seed's first accepted run, lowest seeds first, at most FIGURE_SEEDS of them. */
function firstRunPerSeed(rows: readonly RunRow[]): RunRow[] {
  const firstPerSeed = new Map<number, RunRow>();
  for (const row of rows) if (!firstPerSeed.has(row.seed)) firstPerSeed.set(row.seed, row);
  return [...firstPerSeed.values()].sort((a, b) => a.seed - b.seed).slice(0, FIGURE_SEEDS);
}

/** Per-index mean and population std over equally long series. */
function seriesMeanStd(series: readonly number[][]): { mean: number[]; std: number[] } {
  const length = series[0]?.length ?? 0;
  const mean = Array.from({ length }, (_, k) => series.reduce((a, s) => a + s[k]!, 0) / series.length);
  const std = mean.map((m, k) => Math.sqrt(series.reduce((a, s) => a + (s[k]! - m) ** 2, 0) / series.length));
  return { mean, std };
}

/** Mean over seeds of the figure grid, using each seed's first accepted run. */
async function averagedGrid(bucket: R2Bucket, rows: readonly RunRow[]): Promise<ProtocolBoard["boundary"]> {
  const chosen = firstRunPerSeed(rows);
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
    const rows = counted(await acceptedRows(database(c.env.DB)));
    return c.json({ protocols: leaderboardEntries(rows) });
  })
  .get("/:protocolId", async (c) => {
    const protocol = findProtocol(c.req.param("protocolId"));
    if (!protocol) return apiError(c, 404, "unknown_protocol", "No protocol has that id; GET /api/protocols lists them.");
    const db = database(c.env.DB);
    const shown = await acceptedRows(db);
    const rows = counted(shown);
    const entry = leaderboardEntries(rows).find((e) => e.protocolId === protocol.id)!;
    const isMine = (r: RunRow) => r.protocolId === protocol.id && r.protocolVersion === protocol.version;
    const mine = rows.filter(isMine);
    const trust = trustBySeed(protocol, familyOf(protocol).metrics(protocol), mine.map(asAccepted));
    const board: ProtocolBoard = {
      entry,
      runs: shown.filter(isMine).slice(-RUNS_LISTED).reverse().map((row) => ({
        id: row.id,
        seed: row.seed,
        contributor: row.contributor,
        contributorId: publicContributorId(row.contributorId),
        trust: runTrust(trust.get(row.seed) ?? "recomputed", row.replayedSegments !== null || row.peerStatus === "replayed", refuted(row)),
        backend: row.backend as ProtocolBoard["runs"][number]["backend"],
        recomputed: asAccepted(row).recomputed,
        trainMs: row.trainMs,
        createdAt: new Date(row.createdAt).toISOString(),
      })),
      boundary: await averagedGrid(c.env.ARTIFACTS, mine),
    };
    return c.json(board);
  })
  .get("/:protocolId/series/:name", async (c) => {
    const protocol = findProtocol(c.req.param("protocolId"));
    if (!protocol) return apiError(c, 404, "unknown_protocol", "No protocol has that id; GET /api/protocols lists them.");
    const name = c.req.param("name");
    if (!recordedSeries(protocol).includes(name)) {
      const recorded = recordedSeries(protocol);
      return apiError(c, 404, "not_found", `This protocol records ${recorded.length ? `only the series ${recorded.join(", ")}` : "no series"}.`);
    }
    const rows = counted(await acceptedRows(database(c.env.DB))).filter((r) => r.protocolId === protocol.id && r.protocolVersion === protocol.version);
    const series = (
      await Promise.all(
        firstRunPerSeed(rows).map(async (row) => {
          const object = await c.env.ARTIFACTS.get(artifactKeys(row.id).evidence);
          const evidence = object ? ((await object.json()) as { series?: Record<string, number[]> }) : null;
          return evidence?.series?.[name] ?? null;
        }),
      )
    ).filter((s): s is number[] => s !== null);
    const length = series[0]?.length;
    const usable = series.filter((s) => s.length === length);
    const body: SeriesAggregate = { name, seeds: usable.length, ...seriesMeanStd(usable) };
    return c.json(body);
  });

