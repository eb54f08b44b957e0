// GET /api/leaderboard (every protocol's aggregate and claim verdicts over counted runs only — shared/metrics/counted.ts:
// pending and refuted runs are listed, never counted), GET /api/leaderboard/:protocolId (its runs and the
// seed-averaged decision function of the figure) and GET /api/leaderboard/:protocolId/series/:name (the seed-mean
// of an evidence series, e.g. Fig. 2's |z|). The board reads only the columns it needs, never an R2 object for
// the main board, at most FIGURE_SEEDS objects for a protocol's figure.
import { and, asc, eq, isNull, notInArray, or } from "drizzle-orm";
import { Hono } from "hono";
import type { LeaderboardEntry, ProtocolBoard, SeriesAggregate } from "../../shared/api";
import { decodeFloat32 } from "../../shared/nn/float32-codec";
import { nameKey } from "../../shared/names";
import { familyOf, recordedSeries } from "../../shared/protocols/families";
import { findProtocol, PROTOCOLS } from "../../shared/protocols/registry";
import { judgeClaims, summarize, trustBySeed, type AcceptedRun } from "../../shared/metrics/aggregate";
import { isCounted } from "../../shared/metrics/counted";
import { runTrust } from "../../shared/metrics/quorum";
import { earnedContributors } from "../contributors";
import { database, type Database } from "../db/client";
import { hiddenContributorKeys, hiddenContributors, runs, type RunRow as StoredRun } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError } from "../http";
import { publicContributorId } from "../run-record";
import { artifactKeys } from "../storage";

/** Seeds drawn in the averaged figure (the lowest ones; the paper averages seeds 0-9). */
const FIGURE_SEEDS = 20;
/** The board lists the most recent accepted runs, newest first; the aggregates use them all. */
const RUNS_LISTED = 500;

/** The columns the board reads (no claimed values, environment or message: a board request reads no big text). */
const BOARD_COLUMNS = {
  id: runs.id,
  protocolId: runs.protocolId,
  protocolVersion: runs.protocolVersion,
  seed: runs.seed,
  status: runs.status,
  contributor: runs.contributor,
  contributorId: runs.contributorId,
  recomputed: runs.recomputed,
  backend: runs.backend,
  trainMs: runs.trainMs,
  createdAt: runs.createdAt,
  replayedSegments: runs.replayedSegments,
  peerStatus: runs.peerStatus,
  addressBlock: runs.addressBlock,
};
type RunRow = Pick<StoredRun, keyof typeof BOARD_COLUMNS>;

/** Only checked evidence counts (shared/metrics/counted.ts): pending and refuted runs are listed, never aggregated. */
const counted = (rows: readonly RunRow[]): RunRow[] => rows.filter(isCounted);

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
      .select(BOARD_COLUMNS)
      .from(runs)
      .where(and(eq(runs.status, "accepted"), isNull(runs.hiddenAt), or(isNull(runs.contributorId), notInArray(runs.contributorId, hiddenKeys))))
      .orderBy(asc(runs.createdAt)),
    db.select({ name: hiddenContributors.name }).from(hiddenContributors),
  ]);
  if (hiddenNames.length === 0) return rows;
  const hidden = new Set(hiddenNames.map((h) => nameKey(h.name)));
  return rows.filter((row) => row.contributor === null || !hidden.has(nameKey(row.contributor)));
}

/** A row as the aggregates see it; `earned`: the keys with earned standing (worker/contributors.ts earnedContributors). */
const asAccepted =
  (earned: ReadonlySet<string>) =>
  (row: RunRow): AcceptedRun => ({
    seed: row.seed,
    contributor: row.contributor,
    contributorId: row.contributorId,
    recomputed: JSON.parse(row.recomputed ?? "{}") as Record<string, number | null>,
    peerStatus: row.peerStatus,
    addressBlock: row.addressBlock,
    earned: row.contributorId !== null && earned.has(row.contributorId),
  });

/** Every protocol's entry from the counted rows (summarize drops anything else again). */
function leaderboardEntries(rows: readonly RunRow[], earned: ReadonlySet<string>): LeaderboardEntry[] {
  const summaries = new Map(
    PROTOCOLS.map((protocol) => {
      const mine = rows.filter((r) => r.protocolId === protocol.id && r.protocolVersion === protocol.version).map(asAccepted(earned));
      return [protocol.id, summarize(protocol, familyOf(protocol).metrics(protocol), mine)] as const;
    }),
  );
  return PROTOCOLS.map((protocol) => ({ ...summaries.get(protocol.id)!, claims: judgeClaims(protocol, summaries) }));
}

/** Each seed's first run (of the counted rows it is given), lowest seeds first, at most FIGURE_SEEDS of them. */
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
    const db = database(c.env.DB);
    const [shown, earned] = await Promise.all([acceptedRows(db), earnedContributors(db)]);
    return c.json({ protocols: leaderboardEntries(counted(shown), earned) });
  })
  .get("/:protocolId", async (c) => {
    const protocol = findProtocol(c.req.param("protocolId"));
    if (!protocol) return apiError(c, 404, "unknown_protocol", "No protocol has that id; GET /api/protocols lists them.");
    const db = database(c.env.DB);
    const [shown, earned] = await Promise.all([acceptedRows(db), earnedContributors(db)]);
    const rows = counted(shown);
    const entry = leaderboardEntries(rows, earned).find((e) => e.protocolId === protocol.id)!;
    const isMine = (r: RunRow) => r.protocolId === protocol.id && r.protocolVersion === protocol.version;
    const mine = rows.filter(isMine);
    const trust = trustBySeed(protocol, familyOf(protocol).metrics(protocol), mine.map(asAccepted(earned)));
    const board: ProtocolBoard = {
      entry,
      runs: shown.filter(isMine).slice(-RUNS_LISTED).reverse().map((row) => ({
        id: row.id,
        seed: row.seed,
        contributor: row.contributor,
        contributorId: publicContributorId(row.contributorId),
        trust: runTrust(trust.get(row.seed) ?? "recomputed", row.replayedSegments !== null || row.peerStatus === "replayed", row.peerStatus),
        counted: isCounted(row),
        backend: row.backend as ProtocolBoard["runs"][number]["backend"],
        recomputed: JSON.parse(row.recomputed ?? "{}") as Record<string, number | null>,
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

