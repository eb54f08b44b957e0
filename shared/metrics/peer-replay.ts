// Replay workunits, BOINC-style, for trajectory segments too costly for the Worker (protocols with
// evidence.segmentReplay "peers"): another contributor's browser replays a drawn segment from the run's
// checkpoint and uploads where it ended; the two ends must agree. Pure functions: how far a peer's end is
// from the run's, how a segment's replays decide it (a disagreement calls for a tiebreak, never a silent
// verdict), and what the run's segments together say.
import { cmnistInitialWeights, cmnistMlpSpec } from "../nn/cmnist-model";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import type { Protocol } from "../protocols/types";
import type { TrainingState, TrajectoryProtocol } from "./replay";
import { endDeviation, TRAJECTORY_TOLERANCE, type SegmentEnd } from "./trajectory";

/**
 * How far a peer's float32 end may be from the run's float32 end, in the unit of TRAJECTORY_TOLERANCE (a
 * fraction of the segment's movement). Both ends are float32 training on possibly different backends; the
 * measurements (`npm run replay-tolerance -- --peers`, README "Trust measurements") put honest pairs orders of
 * magnitude below it, and forged segments above it.
 */
export const PEER_TOLERANCE = TRAJECTORY_TOLERANCE;

/**
 * Whether other contributors, not the server, replay this protocol's drawn segments: two-moons runs marked
 * evidence.segmentReplay "peers" (too costly for the Worker's float64 replay), and every Colored-MNIST protocol
 * with trajectory checkpoints (one full-batch step is beyond the Worker).
 */
export function isPeerReplayed(protocol: Protocol): protocol is TrajectoryProtocol {
  if (protocol.family === "two-moons") return protocol.evidence.checkpointEvery !== undefined && protocol.evidence.segmentReplay === "peers";
  return protocol.family === "colored-mnist" && protocol.evidence.checkpointEvery !== undefined;
}

/** The seeded weights a run of a trajectory protocol starts from (segment 0's start). */
export const trajectoryInitialWeights = (protocol: TrajectoryProtocol, seed: number): Float32Array =>
  protocol.family === "two-moons" ? twoMoonsFamily.initialWeights(protocol, seed) : cmnistInitialWeights(cmnistMlpSpec(protocol.model), seed);

/** Replays of one segment after which it is decided whatever they say (three cannot tie). */
export const MAX_REPLAYS_PER_SEGMENT = 3;

/** A peer's upload for a segment: every weight, then the optimiser state (checkpoint layout). */
export interface PeerEnd {
  readonly weights: ArrayLike<number>;
  readonly optimizerState: ArrayLike<number>;
}

/**
 * The larger of the weight and optimiser-state deviations between a peer's end and the run's end of the
 * segment that started at `start` and ended before `to` (the optimiser state is not compared on a run's last
 * segment, whose end is the submitted final weights only).
 */
export function peerDeviation(protocol: TrajectoryProtocol, start: TrainingState, peer: PeerEnd, runEnd: SegmentEnd, to: number): number {
  const measured = endDeviation(protocol, start, peer, runEnd, to);
  return Math.max(measured.weights, measured.optimizerState ?? 0);
}

export const peerAgrees = (deviation: number): boolean => deviation <= PEER_TOLERANCE;

export type SegmentOutcome = "pending" | "confirmed" | "refuted";

/**
 * A segment's verdict from its peers' replays (true: that replay agreed with the run): confirmed when more agree
 * than disagree, refuted when at least two disagree and outnumber the agreements, pending otherwise — no replay
 * yet, a lone disagreement (it may be the replayer who is wrong) or a tie, which a further replay settles.
 */
export function segmentOutcome(agreements: readonly boolean[]): SegmentOutcome {
  const agree = agreements.filter(Boolean).length;
  const disagree = agreements.length - agree;
  if (agree > disagree) return "confirmed";
  if (disagree >= 2 && disagree > agree) return "refuted";
  return "pending";
}

/** Whether a segment with these replays needs another replayer. */
export const needsAnotherReplay = (agreements: readonly boolean[]): boolean =>
  segmentOutcome(agreements) === "pending" && agreements.length < MAX_REPLAYS_PER_SEGMENT;

export type PeerStatus = "pending" | "replayed" | "refuted";

/** A run's standing from its drawn segments: refuted if any is, replayed once all are confirmed, else pending. */
export function peerStatus(outcomes: readonly SegmentOutcome[]): PeerStatus {
  if (outcomes.includes("refuted")) return "refuted";
  return outcomes.length > 0 && outcomes.every((o) => o === "confirmed") ? "replayed" : "pending";
}

/** The replays on the losing side of a decided segment: their replayers' evidence did not hold up. */
export function outvoted(agreements: readonly boolean[]): boolean[] {
  const outcome = segmentOutcome(agreements);
  if (outcome === "pending") return agreements.map(() => false);
  return agreements.map((agrees) => agrees !== (outcome === "confirmed"));
}
