// The Worker's side of replay workunits (shared/metrics/peer-replay.ts): open a replay for each drawn segment
// of an accepted run, lease one to another contributor, judge what they send back against the run's own
// checkpoints, call a tiebreak on a disagreement, and keep the run's peer status and the page's summary.
import { and, asc, desc, eq, inArray, isNull, lte, ne, not, or, sql } from "drizzle-orm";
import type { PeerReplaySummary, ReplayOutcome } from "../shared/api";
import { needsAnotherReplay, outvoted, PEER_TOLERANCE, peerAgrees, peerDeviation, peerStatus, segmentOutcome, trajectoryInitialWeights, type PeerStatus } from "../shared/metrics/peer-replay";
import type { TrajectoryProtocol } from "../shared/metrics/replay";
import { checkpointLayout, segmentEnds, type CheckpointLayout } from "../shared/metrics/trajectory";
import { decodeFloat32 } from "../shared/nn/float32-codec";
import { trajectorySegments } from "../shared/protocols/evidence";
import type { Database } from "./db/client";
import { runs, segmentReplays, type RunRow, type SegmentReplayRow } from "./db/schema";
import { publicContributorId } from "./run-record";
import { artifactKeys } from "./storage";

const newReplayId = (): string => `rp_${crypto.randomUUID()}`;

/** The rows that open one replay per drawn segment of a just-accepted run (inserted with the run, in one batch). */
export const openReplays = (runId: string, segments: readonly number[], now: number) =>
  segments.map((segment) => ({ id: newReplayId(), runId, segment, createdAt: now }));

export interface Lease {
  readonly replay: SegmentReplayRow;
  readonly run: RunRow;
}

/**
 * Leases the first open (or abandoned: leased, unanswered, expired) replay — tiebreaks first, then the oldest — of a segment of someone else's run to
 * `replayerId`: accepted, not hidden, still pending, not the replayer's own, and not a run they already replay a
 * segment of (one replayer never sees two checkpoints of one run). The conditional update makes a lease exclusive
 * under concurrent requests. Null when nothing is waiting.
 */
export async function leaseReplay(db: Database, replayerId: string, protocolIds: readonly string[] | undefined, lease: { tokenHash: string; now: number; expiresAt: number }): Promise<Lease | null> {
  const { now } = lease;
  const available = or(isNull(segmentReplays.expiresAt), lte(segmentReplays.expiresAt, now));
  // Tiebreaks first (a segment some peer already answered): a disputed run should not wait behind the queue.
  const isTiebreak = sql`EXISTS (SELECT 1 FROM segment_replays AS answered WHERE answered.run_id = ${segmentReplays.runId} AND answered.segment = ${segmentReplays.segment} AND answered.answered_at IS NOT NULL)`;
  const alreadyReplaysThisRun = sql`EXISTS (SELECT 1 FROM segment_replays AS theirs WHERE theirs.run_id = ${segmentReplays.runId} AND theirs.replayer_id = ${replayerId})`;
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
        not(alreadyReplaysThisRun),
        protocolIds ? inArray(runs.protocolId, [...protocolIds]) : undefined,
      ),
    )
    .orderBy(desc(isTiebreak), asc(segmentReplays.createdAt), asc(segmentReplays.runId), asc(segmentReplays.segment))
    .limit(4);
  for (const candidate of candidates) {
    const [taken] = await db
      .update(segmentReplays)
      .set({ tokenHash: lease.tokenHash, replayerId, leasedAt: now, expiresAt: lease.expiresAt })
      .where(and(eq(segmentReplays.id, candidate.replay.id), isNull(segmentReplays.answeredAt), available))
      .returning();
    if (taken) return { replay: taken, run: candidate.run };
  }
  return null;
}

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
 * Judges a leased replay's answer against the run's end of its segment, records it, settles the segment
 * (a tiebreak replay is opened when it cannot yet be decided; the losers of a decided one are marked outvoted)
 * and the run's peer status. Null when the lease was answered meanwhile (a concurrent duplicate).
 */
export async function answerReplay(db: Database, bucket: R2Bucket, protocol: TrajectoryProtocol, lease: Lease, state: Float32Array, backend: string, now: number): Promise<ReplayOutcome | null> {
  const { replay, run } = lease;
  const layout = checkpointLayout(protocol)!;
  const { to, start, end } = await storedSegment(bucket, protocol, run, replay.segment);
  // Infinite when the run's segment did not move at all but the peer's end differs: stored and shown as the largest double.
  const measured = peerDeviation(protocol, start, splitPeerState(layout, state), end, to);
  const deviation = Number.isFinite(measured) ? measured : Number.MAX_VALUE;
  const agrees = peerAgrees(deviation);
  const [answered] = await db
    .update(segmentReplays)
    .set({ answeredAt: now, deviation, agrees, backend })
    .where(and(eq(segmentReplays.id, replay.id), isNull(segmentReplays.answeredAt)))
    .returning();
  if (!answered) return null;

  const rows = await db.select().from(segmentReplays).where(eq(segmentReplays.runId, run.id)).orderBy(asc(segmentReplays.createdAt));
  const answersOf = (segment: number) => rows.filter((r) => r.segment === segment && r.answeredAt !== null);
  const mine = answersOf(replay.segment);
  const agreements = mine.map((r) => r.agrees === true);
  const statements = [];
  if (needsAnotherReplay(agreements) && !rows.some((r) => r.segment === replay.segment && r.answeredAt === null)) {
    statements.push(db.insert(segmentReplays).values(openReplays(run.id, [replay.segment], now)));
  }
  const losers = mine.filter((_, k) => outvoted(agreements)[k]).map((r) => r.id);
  if (losers.length > 0) statements.push(db.update(segmentReplays).set({ outvoted: true }).where(inArray(segmentReplays.id, losers)));
  const segments = [...new Set(rows.map((r) => r.segment))];
  const status = peerStatus(segments.map((segment) => segmentOutcome(answersOf(segment).map((r) => r.agrees === true))));
  if (status !== run.peerStatus) statements.push(db.update(runs).set({ peerStatus: status }).where(eq(runs.id, run.id)));
  if (statements.length > 0) await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);

  const outcome = segmentOutcome(agreements);
  return {
    replayId: replay.id,
    runId: run.id,
    segment: replay.segment,
    agrees,
    deviation,
    tolerance: PEER_TOLERANCE,
    segmentOutcome: outcome,
    runStatus: status,
    message: outcomeMessage(agrees, deviation, outcome, status),
  };
}

function outcomeMessage(agrees: boolean, deviation: number, outcome: ReturnType<typeof segmentOutcome>, status: PeerStatus): string {
  const measured =
    deviation === Number.MAX_VALUE
      ? "The run's checkpoints say this segment did not move the weights at all, but your replay ended elsewhere."
      : `Your replay ended ${deviation.toPrecision(3)} of the segment's movement away from the run's checkpoint (tolerance ${PEER_TOLERANCE}).`;
  if (agrees) return `${measured} It agrees: the segment is ${outcome === "confirmed" ? "confirmed" : "still open"}${status === "replayed" ? ", and every drawn segment of the run now is — it counts as replayed" : ""}. Thank you.`;
  return `${measured} It disagrees. ${outcome === "refuted" ? "Another replay disagreed too: the run is flagged as disputed and no longer counted." : "Another contributor will replay the same segment to settle it; a replay outvoted by the others counts against its replayer."}`;
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
          outcome: segmentOutcome(mine.filter((r) => r.answeredAt !== null).map((r) => r.agrees === true)),
          replays: mine.filter(shown).map((r) => ({
            agrees: r.answeredAt === null ? null : r.agrees === true,
            deviation: r.deviation,
            backend: (r.backend as PeerReplaySummary["segments"][number]["replays"][number]["backend"]) ?? null,
            replayerId: publicContributorId(r.replayerId) ?? "",
          })),
        };
      }),
  };
}
