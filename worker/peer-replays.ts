// The Worker's side of replay workunits (shared/metrics/peer-replay.ts): open a replay for each drawn segment
// of an accepted run, lease one at random to an earned key of another address block (one lease per key, one
// segment of a run per key and per block, never a segment whose start is a pending segment's answer, never a
// run the key or its block let a lease of expire, no lease to a key that keeps abandoning them), judge
// what comes back against the run's own checkpoints, weigh it by the replayer's earned standing, call a
// tiebreak on a disagreement (or, where the Worker can afford it, settle a would-be refutation with its own replay
// of the segment), and keep the run's peer status and the page's summary.
import { and, asc, eq, gt, inArray, isNull, lte, ne, not, notInArray, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { PeerReplaySummary, ReplayOutcome } from "../shared/api";
import {
  needsAnotherReplay,
  outvoted,
  PEER_TOLERANCE,
  peerAgrees,
  peerDeviation,
  peerStatus,
  segmentOutcome,
  serverArbitrates,
  trajectoryInitialWeights,
  type PeerStatus,
  type SegmentOutcome,
  type WeighedReplay,
} from "../shared/metrics/peer-replay";
import type { TrajectoryProtocol } from "../shared/metrics/replay";
import { checkpointLayout, segmentDeviation, segmentEnds, TRAJECTORY_TOLERANCE, type CheckpointLayout } from "../shared/metrics/trajectory";
import { twoMoonsFamily } from "../shared/protocols/two-moons-family";
import { decodeFloat32 } from "../shared/nn/float32-codec";
import { trajectorySegments } from "../shared/protocols/evidence";
import { changeMarks } from "./aggregates/marks";
import { settleAfterWrite } from "./aggregates/settle";
import type { Database } from "./db/client";
import { abandonedLeases, runs, segmentReplays, type RunRow, type SegmentReplayRow } from "./db/schema";
import { publicContributorId } from "./run-record";
import { artifactKeys } from "./storage";

const newReplayId = (): string => `rp_${crypto.randomUUID()}`;

/** Rows per INSERT: D1 binds at most 100 values in one statement, and drizzle binds every column of a row (14 here). */
const REPLAY_ROWS_PER_INSERT = 6;

/**
 * The statements that open one replay per drawn segment of a just-accepted run (run in the run's batch), in
 * chunks that stay within D1's bound-parameter limit: a 100,000-step run opens 39.
 */
export function openReplays(db: Database, runId: string, segments: readonly number[], now: number) {
  const rows = segments.map((segment) => ({ id: newReplayId(), runId, segment, createdAt: now }));
  const chunks = [];
  for (let at = 0; at < rows.length; at += REPLAY_ROWS_PER_INSERT) chunks.push(db.insert(segmentReplays).values(rows.slice(at, at + REPLAY_ROWS_PER_INSERT)));
  return chunks;
}

export interface Lease {
  readonly replay: SegmentReplayRow;
  readonly run: RunRow;
}

/** Open leases one address block may hold at once (keys of one block are presumed one person, or one lab). */
export const MAX_OPEN_LEASES_PER_BLOCK = 8;

/** Who asks for a lease: their identity and the address blocks they are known by (the request's first). */
export interface Replayer {
  readonly id: string;
  /** The request's block (worker/address.ts addressBlock), then the blocks the key earned its standing from. */
  readonly blocks: readonly [string, ...string[]];
}

/** Abandoned leases (expired unanswered) a key may have within ABANDON_WINDOW_MS and still get a new one. */
export const MAX_ABANDONED_LEASES = 2;
export const ABANDON_WINDOW_MS = 7 * 24 * 3600 * 1000;

/**
 * How many leases the key let expire unanswered within ABANDON_WINDOW_MS before `now`, and when few enough of
 * them remain in the window for it to lease again (`freesAt`): recorded abandonments (leases handed out again since) and its own expired leases that
 * nobody took yet.
 */
export async function abandonedLeasesOf(db: Database, replayerId: string, now: number): Promise<{ count: number; freesAt: number | null }> {
  const since = now - ABANDON_WINDOW_MS;
  const [recorded, unrecorded] = await Promise.all([
    db
      .select({ expiredAt: abandonedLeases.expiredAt })
      .from(abandonedLeases)
      .where(and(eq(abandonedLeases.replayerId, replayerId), gt(abandonedLeases.expiredAt, since))),
    db
      .select({ expiredAt: segmentReplays.expiresAt })
      .from(segmentReplays)
      .where(and(eq(segmentReplays.replayerId, replayerId), isNull(segmentReplays.answeredAt), lte(segmentReplays.expiresAt, now), gt(segmentReplays.expiresAt, since))),
  ]);
  const expired = [...recorded, ...unrecorded].map((r) => r.expiredAt!).sort((a, b) => a - b);
  // The key may lease again once fewer than MAX_ABANDONED_LEASES remain in the window: when this one leaves it.
  const freeing = expired[Math.max(0, expired.length - MAX_ABANDONED_LEASES)];
  return { count: expired.length, freesAt: freeing === undefined ? null : freeing + ABANDON_WINDOW_MS };
}

/** The unexpired, unanswered lease the replayer holds, if any (at most one: leaseReplay never gives a second). */
export async function heldLeaseOf(db: Database, replayerId: string, now: number): Promise<Lease | null> {
  const [held] = await db
    .select({ replay: segmentReplays, run: runs })
    .from(segmentReplays)
    .innerJoin(runs, eq(runs.id, segmentReplays.runId))
    .where(and(eq(segmentReplays.replayerId, replayerId), isNull(segmentReplays.answeredAt), gt(segmentReplays.expiresAt, now)))
    .limit(1);
  return held ?? null;
}

/** Gives the held lease a new token (the old one stops working): the same lease, back to a client that lost it. */
export async function reissueLease(db: Database, held: Lease, tokenHash: string, now: number): Promise<Lease | null> {
  const [taken] = await db
    .update(segmentReplays)
    .set({ tokenHash })
    .where(and(eq(segmentReplays.id, held.replay.id), eq(segmentReplays.replayerId, held.replay.replayerId!), isNull(segmentReplays.answeredAt), gt(segmentReplays.expiresAt, now)))
    .returning();
  return taken ? { replay: taken, run: held.run } : null;
}

/**
 * Leases a replay to `replayer`, drawn AT RANDOM among the open (or abandoned: leased, unanswered, expired)
 * replays they may take — of a run that is accepted, not hidden and still pending, not theirs, not submitted
 * from one of their blocks, none of whose other segments they or their blocks replay or replayed — so nobody
 * can choose the run they replay, nor queue behind a victim's. Tiebreaks get no priority: a priority would hand
 * the tiebreak a first Sybil key caused to the same person's second key asking right after.
 *
 * No answer leaks (the start of segment s is checkpoint s − 1, the run's END of segment s − 1): a segment is
 * leasable only while segment s − 1 of its run has no unanswered replay — segment s − 1 is not drawn, or it is
 * decided, or it took every answer it will take. An answer and the tiebreak it calls are written in one batch
 * (answerReplay), so there is no moment at which s − 1 looks finished but will take another answer.
 *
 * No stalls: a lease taken and left to expire holds the run's next segments back for its whole duration, so a
 * key and its blocks never get a segment of a run they abandoned a lease of (the abandonment is recorded when the
 * segment is handed out again, in abandoned_leases), and the route gives no lease to a key with
 * MAX_ABANDONED_LEASES abandonments in ABANDON_WINDOW_MS (abandonedLeasesOf). Each earned key can then hold back
 * each run at most once, and at most MAX_ABANDONED_LEASES times a week in all.
 *
 * The conditional update makes the lease exclusive under concurrent requests, and keeps at most one open lease
 * per key and MAX_OPEN_LEASES_PER_BLOCK per address block even when one key asks twice at once. `expiresAt`
 * sizes the lease by the run's protocol (leaseDurationMs). Null when nothing is waiting for this replayer.
 */
export async function leaseReplay(
  db: Database,
  replayer: Replayer,
  protocolIds: readonly string[] | undefined,
  lease: { tokenHash: string; now: number; expiresAt: (run: RunRow) => number },
): Promise<Lease | null> {
  const { now } = lease;
  const { id: replayerId, blocks } = replayer;
  const available = or(isNull(segmentReplays.expiresAt), lte(segmentReplays.expiresAt, now));
  const blockList = sql.join(
    blocks.map((b) => sql`${b}`),
    sql`, `,
  );
  const touchedByThem = sql`EXISTS (SELECT 1 FROM segment_replays AS theirs WHERE theirs.run_id = ${segmentReplays.runId} AND theirs.id <> ${segmentReplays.id} AND (theirs.replayer_id = ${replayerId} OR theirs.replayer_block IN (${blockList})))`;
  const abandonedByThem = sql`EXISTS (SELECT 1 FROM abandoned_leases AS gone WHERE gone.run_id = ${segmentReplays.runId} AND (gone.replayer_id = ${replayerId} OR gone.replayer_block IN (${blockList})))`;
  // This very row's last holder, when its lease expired unanswered and nobody took it since.
  const lastHeldByThem = sql`(${segmentReplays.replayerId} IS NOT NULL AND (${segmentReplays.replayerId} = ${replayerId} OR coalesce(${segmentReplays.replayerBlock}, '') IN (${blockList})))`;
  const previousUnanswered = sql`EXISTS (SELECT 1 FROM segment_replays AS previous WHERE previous.run_id = ${segmentReplays.runId} AND previous.segment = ${segmentReplays.segment} - 1 AND previous.answered_at IS NULL)`;
  const candidates = await db
    .select({ replay: segmentReplays, run: runs })
    .from(segmentReplays)
    .innerJoin(runs, eq(runs.id, segmentReplays.runId))
    .where(
      and(
        isNull(segmentReplays.answeredAt),
        available,
        eq(runs.status, "accepted"),
        isNull(runs.hiddenAt),
        eq(runs.peerStatus, "pending"),
        or(isNull(runs.contributorId), ne(runs.contributorId, replayerId)),
        or(isNull(runs.addressBlock), notInArray(runs.addressBlock, [...blocks])),
        not(touchedByThem),
        not(abandonedByThem),
        not(lastHeldByThem),
        not(previousUnanswered),
        protocolIds ? inArray(runs.protocolId, [...protocolIds]) : undefined,
      ),
    )
    .orderBy(sql`random()`)
    .limit(4);
  const holdsOne = sql`EXISTS (SELECT 1 FROM segment_replays AS mine WHERE mine.replayer_id = ${replayerId} AND mine.answered_at IS NULL AND mine.expires_at > ${now})`;
  const blockFull = sql`(SELECT count(*) FROM segment_replays AS ours WHERE ours.replayer_block = ${blocks[0]} AND ours.answered_at IS NULL AND ours.expires_at > ${now}) >= ${MAX_OPEN_LEASES_PER_BLOCK}`;
  for (const candidate of candidates) {
    const [taken] = await db
      .update(segmentReplays)
      .set({ tokenHash: lease.tokenHash, replayerId, replayerBlock: blocks[0], leasedAt: now, expiresAt: lease.expiresAt(candidate.run), deviation: null, agrees: null, weight: null, backend: null })
      .where(and(eq(segmentReplays.id, candidate.replay.id), isNull(segmentReplays.answeredAt), available, not(holdsOne), not(blockFull), not(previousUnanswered)))
      .returning();
    if (!taken) continue;
    const previous = candidate.replay;
    if (previous.replayerId !== null && previous.leasedAt !== null && previous.expiresAt !== null) {
      // The row was leased before and expired unanswered: its holder abandoned it (recorded once, whoever takes it next).
      await db
        .insert(abandonedLeases)
        .values({ id: `${previous.id}@${previous.leasedAt}`, replayId: previous.id, runId: previous.runId, segment: previous.segment, replayerId: previous.replayerId, replayerBlock: previous.replayerBlock, leasedAt: previous.leasedAt, expiredAt: previous.expiresAt })
        .onConflictDoNothing();
    }
    return { replay: taken, run: candidate.run };
  }
  return null;
}

/** A stored replay as its segment's verdict weighs it (replays answered before weights were kept weigh nothing). */
const weighed = (r: SegmentReplayRow): WeighedReplay => ({ agrees: r.agrees === true, weight: r.weight ?? 0, block: r.replayerBlock, byServer: r.byServer });

/** Reads float32 values [offset, offset + count) of an R2 object (a range read: a 5-layer checkpoint is 6 MB). */
async function readFloats(bucket: R2Bucket, key: string, offset: number, count: number): Promise<Float32Array | null> {
  const object = await bucket.get(key, { range: { offset: offset * 4, length: count * 4 } });
  if (!object) return null;
  const values = decodeFloat32(new Uint8Array(await object.arrayBuffer()));
  return values && values.length === count ? values : null;
}

/** The bytes of checkpoint k of a run (weights then optimiser state): where segment k + 1 starts. */
export async function checkpointBytes(bucket: R2Bucket, runId: string, layout: CheckpointLayout, k: number): Promise<R2ObjectBody | null> {
  return bucket.get(artifactKeys(runId).checkpoints, { range: { offset: k * layout.size * 4, length: layout.size * 4 } });
}

/** Segment `segment` of a stored run, from its R2 artifacts: where it starts and the run's end of it. */
async function storedSegment(bucket: R2Bucket, protocol: TrajectoryProtocol, run: RunRow, segment: number) {
  const layout = checkpointLayout(protocol)!;
  const last = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery!).length - 1;
  // Only the checkpoints this segment touches are read; the others stay zeros in a sparse view.
  const checkpoints = new Float32Array(layout.steps.length * layout.size);
  for (const k of [segment - 1, segment]) {
    if (k < 0 || k >= layout.steps.length) continue;
    const values = await readFloats(bucket, artifactKeys(run.id).checkpoints, k * layout.size, layout.size);
    if (!values) throw new Error(`run ${run.id}: checkpoint ${k} is not stored`);
    checkpoints.set(values, k * layout.size);
  }
  const finalWeights = segment === last ? await readFloats(bucket, artifactKeys(run.id).weights, 0, layout.weights) : new Float32Array(layout.weights);
  if (!finalWeights) throw new Error(`run ${run.id}: final weights are not stored`);
  const initialWeights = segment === 0 ? trajectoryInitialWeights(protocol, run.seed) : new Float32Array(layout.weights);
  return segmentEnds(protocol, { initialWeights, checkpoints, finalWeights }, segment);
}

/** What the peer's upload is: every weight, then the optimiser state (checkpoint layout). */
const splitPeerState = (layout: CheckpointLayout, state: Float32Array) => ({
  weights: state.subarray(0, layout.weights),
  optimizerState: state.subarray(layout.weights, layout.size),
});

/**
 * Judges a leased replay's answer against the run's end of its segment and records it with the replayer's
 * earned weight (`weight`, earnedWeight at answer time), settles the segment (segmentOutcome: a tiebreak replay
 * is opened when it cannot yet be decided; the losers of a decided one are marked outvoted, which counts
 * against them) and the run's peer status. The answer is claimed first (only one of concurrent duplicates
 * goes on), then written as answered in one batch with the tiebreak it calls. Null when the lease was answered
 * meanwhile.
 */
export async function answerReplay(
  db: Database,
  bucket: R2Bucket,
  protocol: TrajectoryProtocol,
  lease: Lease,
  state: Float32Array,
  answer: { backend: string; weight: number; now: number },
): Promise<ReplayOutcome | null> {
  const { replay, run } = lease;
  const { now } = answer;
  const layout = checkpointLayout(protocol)!;
  const { to, start, end } = await storedSegment(bucket, protocol, run, replay.segment);
  // Infinite when the run's segment did not move at all but the peer's end differs: stored and shown as the largest double.
  const measured = peerDeviation(protocol, start, splitPeerState(layout, state), end, to);
  const deviation = Number.isFinite(measured) ? measured : Number.MAX_VALUE;
  const agrees = peerAgrees(deviation);
  // The claim: answered_at stays null until the batch below, so the next segment stays unleasable meanwhile.
  const [claimed] = await db
    .update(segmentReplays)
    .set({ deviation, agrees, backend: answer.backend, weight: answer.weight })
    .where(and(eq(segmentReplays.id, replay.id), isNull(segmentReplays.answeredAt), isNull(segmentReplays.agrees), eq(segmentReplays.tokenHash, replay.tokenHash!)))
    .returning();
  if (!claimed) return null;

  const rows = await db.select().from(segmentReplays).where(eq(segmentReplays.runId, run.id)).orderBy(asc(segmentReplays.createdAt));
  const mine = rows.filter((r) => r.segment === replay.segment && (r.answeredAt !== null || r.id === claimed.id)).map((r) => (r.id === claimed.id ? claimed : r));
  const statements: BatchItem<"sqlite">[] = [db.update(segmentReplays).set({ answeredAt: now }).where(eq(segmentReplays.id, claimed.id))];
  // Peers would decide a segment that an earned replayer disputes (refute it, or confirm it against that
  // disagreement): where the Worker can afford it, its own replay settles the dispute instead, once.
  let arbitration: { agrees: boolean; deviation: number } | null = null;
  const peersSay = mine.map(weighed);
  const disputed = peersSay.some((r) => !r.agrees && r.weight > 0);
  if (serverArbitrates(protocol) && disputed && segmentOutcome(peersSay) !== "pending" && !mine.some((r) => r.byServer)) {
    const own = segmentDeviation(protocol, twoMoonsFamily.dataset(protocol, run.seed), run.seed, start, end, to);
    const serverDeviation = Math.max(own.weights, own.optimizerState ?? 0);
    arbitration = { agrees: serverDeviation <= TRAJECTORY_TOLERANCE, deviation: Number.isFinite(serverDeviation) ? serverDeviation : Number.MAX_VALUE };
    const verdict = { id: newReplayId(), runId: run.id, segment: replay.segment, createdAt: now, replayerBlock: "server", answeredAt: now, deviation: arbitration.deviation, agrees: arbitration.agrees, byServer: true, backend: null };
    statements.push(db.insert(segmentReplays).values(verdict));
    mine.push({ ...verdict, tokenHash: null, replayerId: null, leasedAt: null, expiresAt: null, weight: null, outvoted: false });
  }
  const replays = mine.map(weighed);
  if (needsAnotherReplay(replays) && !rows.some((r) => r.segment === replay.segment && r.answeredAt === null && r.id !== claimed.id)) {
    statements.push(...openReplays(db, run.id, [replay.segment], now));
  }
  const losing = mine.filter((_, k) => outvoted(replays)[k]);
  const losers = losing.map((r) => r.id);
  if (losers.length > 0) {
    statements.push(db.update(segmentReplays).set({ outvoted: true }).where(inArray(segmentReplays.id, losers)));
    // An outvoted replay counts against its replayer: their standing is recomputed (worker/aggregates).
    statements.push(...changeMarks(db, { keys: losing.map((r) => r.replayerId) }));
  }
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);

  // The run's status from every answer now stored (another segment may have been answered meanwhile). It only
  // ever leaves "pending", so a reader that saw fewer answers can never write an older verdict over a newer one.
  const settled = await db.select().from(segmentReplays).where(eq(segmentReplays.runId, run.id));
  const status = runPeerStatus(settled);
  if (status !== "pending") {
    // The verdict makes the run count (or count against its author): its seed and its author's standing are
    // marked in the same batch, and refreshed right after.
    await db.batch([db.update(runs).set({ peerStatus: status }).where(and(eq(runs.id, run.id), eq(runs.peerStatus, "pending"))), ...changeMarks(db, { seeds: [run], keys: [run.contributorId] })]);
  }
  if (status !== "pending" || losers.length > 0) await settleAfterWrite(db, status !== "pending" ? [run] : []);

  const outcome = segmentOutcome(replays);
  return {
    replayId: replay.id,
    runId: run.id,
    segment: replay.segment,
    agrees,
    deviation,
    tolerance: PEER_TOLERANCE,
    segmentOutcome: outcome,
    runStatus: status,
    message: outcomeMessage(agrees, deviation, outcome, status, answer.weight, arbitration),
  };
}

/** Each drawn segment's verdict from its answered replays. */
const segmentVerdicts = (rows: readonly SegmentReplayRow[]): Map<number, SegmentOutcome> =>
  new Map([...new Set(rows.map((r) => r.segment))].map((segment) => [segment, segmentOutcome(rows.filter((r) => r.segment === segment && r.answeredAt !== null).map(weighed))]));

/** A run's peer status from its stored replays. */
export const runPeerStatus = (rows: readonly SegmentReplayRow[]): PeerStatus => peerStatus([...segmentVerdicts(rows).values()]);

function outcomeMessage(agrees: boolean, deviation: number, outcome: SegmentOutcome, status: PeerStatus, weight: number, arbitration: { agrees: boolean; deviation: number } | null): string {
  const unweighed = weight > 0 ? "" : " Your key no longer has earned standing, so this answer counts for nothing.";
  if (arbitration) {
    const found = `Replayers disagreed about this segment, so the server replayed it itself (float64): it ended ${arbitration.deviation === Number.MAX_VALUE ? "away from a run's segment that did not move" : `${arbitration.deviation.toPrecision(3)} of the segment's movement from the run's checkpoint`}.`;
    return arbitration.agrees
      ? `${found} The run's checkpoint holds: the segment is confirmed, and the replays that disagreed are outvoted (they count against their replayers).`
      : `${found} The run's checkpoint does not hold: the segment is refuted, the run is flagged as disputed and no longer counted${agrees ? "; your agreeing replay is outvoted" : ""}.`;
  }
  const measured =
    deviation === Number.MAX_VALUE
      ? "The run's checkpoints say this segment did not move the weights at all, but your replay ended elsewhere."
      : `Your replay ended ${deviation.toPrecision(3)} of the segment's movement away from the run's checkpoint (tolerance ${PEER_TOLERANCE}).`;
  if (agrees) return `${measured} It agrees: the segment is ${outcome === "confirmed" ? "confirmed" : "still open"}${status === "replayed" ? ", and every drawn segment of the run now is — it counts as replayed" : ""}.${unweighed} Thank you.`;
  return `${measured} It disagrees.${unweighed} ${outcome === "refuted" ? "Replayers from other address blocks disagreed too: the run is flagged as disputed and no longer counted." : "Another contributor will replay the same segment to settle it (a run is refuted only by earned keys from at least two address blocks); a replay outvoted by the others counts against its replayer."}`;
}

/** The run page's view of its peer replays: each drawn segment, its outcome, and every answered replay or lease still held. */
export async function peerReplaySummary(db: Database, run: Pick<RunRow, "id" | "peerStatus">, segmentCount: number, now: number): Promise<PeerReplaySummary | null> {
  if (run.peerStatus === null) return null;
  const rows = await db.select().from(segmentReplays).where(eq(segmentReplays.runId, run.id)).orderBy(asc(segmentReplays.createdAt));
  const shown = (r: SegmentReplayRow): boolean => r.answeredAt !== null || (r.expiresAt !== null && r.expiresAt > now);
  return {
    status: run.peerStatus,
    segmentCount,
    segments: [...new Set(rows.map((r) => r.segment))]
      .sort((a, b) => a - b)
      .map((segment) => {
        const mine = rows.filter((r) => r.segment === segment);
        return {
          segment,
          outcome: segmentOutcome(mine.filter((r) => r.answeredAt !== null).map(weighed)),
          replays: mine.filter(shown).map((r) => ({
            agrees: r.answeredAt === null ? null : r.agrees === true,
            deviation: r.deviation,
            backend: (r.backend as PeerReplaySummary["segments"][number]["replays"][number]["backend"]) ?? null,
            replayerId: r.byServer ? "server" : (publicContributorId(r.replayerId) ?? ""),
            byServer: r.byServer,
          })),
        };
      }),
  };
}
