// Replay workunits, BOINC-style, for trajectory segments too costly for the Worker (protocols with
// evidence.segmentReplay "peers"): another contributor's browser replays a drawn segment from the run's
// checkpoint and uploads where it ended; the two ends must agree. Pure functions: how far a peer's end is
// from the run's, how a segment's replays decide it, weighed by the replayers' earned standing and address
// blocks (a lone or low-standing disagreement calls for a tiebreak, never a verdict), what the run's segments
// together say, and how long a lease lasts.
import { cmnistInitialWeights, cmnistMlpSpec } from "../nn/cmnist-model";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import type { MoonsProtocol, Protocol } from "../protocols/types";
import type { TrainingState, TrajectoryProtocol } from "./replay";
import { checkpointLayout, endDeviation, TRAJECTORY_TOLERANCE, type SegmentEnd } from "./trajectory";

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
 * Answers taken for one segment at most: after that it stays as it is (undecided: the run stays pending and
 * counts nowhere), so a contested segment cannot draw replayers for ever.
 */
export const MAX_REPLAYS_PER_SEGMENT = 5;

/** The disagreeing weight (earned standing, adaptive-trust.ts earnedWeight) that may refute a segment, at the least. */
export const REFUTE_WEIGHT = 2;

/** Distinct address blocks a refutation, or a confirmation against a disagreement, must come from. */
export const DECIDING_BLOCKS = 2;

/** One answered replay of a segment as its verdict weighs it. */
export interface WeighedReplay {
  /** The Worker's own float64 replay of the segment (serverArbitrates): when present, its verdict is the segment's. */
  readonly byServer?: boolean;
  /** Whether the replayer's end agreed with the run's (peerAgrees). */
  readonly agrees: boolean;
  /** The replayer's earned weight when it answered (0: it counts for nothing). */
  readonly weight: number;
  /** The address block the replayer leased from (worker/address.ts); keys of one block are presumed one person. */
  readonly block: string | null;
}

const sideOf = (replays: readonly WeighedReplay[], agrees: boolean) => {
  const mine = replays.filter((r) => r.agrees === agrees && r.weight > 0 && !r.byServer);
  return { weight: mine.reduce((sum, r) => sum + r.weight, 0), blocks: new Set(mine.map((r) => r.block ?? "unknown")).size };
};

/**
 * A segment's verdict from its peers' replays, weighed by earned standing. Refuted only when replayers of at
 * least DECIDING_BLOCKS address blocks disagree, with a weight of at least REFUTE_WEIGHT that outweighs the
 * agreements: a lone or low-standing disagreement never refutes, it calls a tiebreak. Confirmed when earned
 * weight agrees and outweighs the disagreements, and, against any disagreement, from DECIDING_BLOCKS blocks.
 * Pending otherwise (no replay yet, a tie, or only replayers without standing), which a further replay settles.
 * The server's own replay of the segment, when there is one (serverArbitrates), decides it whatever peers said.
 */
export function segmentOutcome(replays: readonly WeighedReplay[]): SegmentOutcome {
  const server = replays.find((r) => r.byServer);
  if (server) return server.agrees ? "confirmed" : "refuted";
  const agree = sideOf(replays, true);
  const disagree = sideOf(replays, false);
  if (disagree.weight >= REFUTE_WEIGHT && disagree.blocks >= DECIDING_BLOCKS && disagree.weight > agree.weight) return "refuted";
  if (agree.weight > 0 && agree.weight > disagree.weight && (disagree.weight === 0 || agree.blocks >= DECIDING_BLOCKS)) return "confirmed";
  return "pending";
}

/** Whether a segment with these replays needs another replayer. */
export const needsAnotherReplay = (replays: readonly WeighedReplay[]): boolean =>
  segmentOutcome(replays) === "pending" && replays.length < MAX_REPLAYS_PER_SEGMENT;

export type PeerStatus = "pending" | "replayed" | "refuted";

/** A run's standing from its drawn segments: refuted if any is, replayed once all are confirmed, else pending. */
export function peerStatus(outcomes: readonly SegmentOutcome[]): PeerStatus {
  if (outcomes.includes("refuted")) return "refuted";
  return outcomes.length > 0 && outcomes.every((o) => o === "confirmed") ? "replayed" : "pending";
}

/** The replays on the losing side of a decided segment: their replayers' evidence did not hold up. */
export function outvoted(replays: readonly WeighedReplay[]): boolean[] {
  const outcome = segmentOutcome(replays);
  if (outcome === "pending") return replays.map(() => false);
  return replays.map((r) => r.agrees !== (outcome === "confirmed"));
}

/**
 * The most float64 work (FLOP) of one segment that the Worker replays itself to settle a dispute: fig3-longer's
 * 2,500-step segments of the 2-500-1 net (9·10⁹, seconds of Worker CPU), not the 5-layer net's or Colored MNIST's.
 */
export const ARBITRATION_MAX_FLOP = 1e10;

/**
 * Whether the Worker settles a dispute about one of this protocol's segments by replaying it itself: two-moons
 * peer-replayed protocols whose segment costs at most ARBITRATION_MAX_FLOP. Then peers never decide a disputed
 * segment on their own: when their answers would decide one that an earned replayer disagrees with (refute it,
 * or confirm it against the disagreement), the server replays it once and its verdict stands; the replayers on
 * the wrong side are outvoted (which counts against them).
 */
export function serverArbitrates(protocol: TrajectoryProtocol): protocol is MoonsProtocol & TrajectoryProtocol {
  return protocol.family === "two-moons" && isPeerReplayed(protocol) && stepFlops(protocol) * protocol.evidence.checkpointEvery! <= ARBITRATION_MAX_FLOP;
}

/**
 * The floating-point work of one training step of the protocol's network: about 6 operations per weight and
 * example (forward and backward), full batch (two-moons: every point; Colored MNIST: every training image).
 */
export function stepFlops(protocol: TrajectoryProtocol): number {
  const examples =
    protocol.family === "two-moons" ? protocol.data.nSamples : protocol.data.trainEnvs.length * (protocol.data.examplesPerEnv ?? CMNIST_IMAGES_PER_ENV);
  return 6 * checkpointLayout(protocol)!.weights * examples;
}

const CMNIST_IMAGES_PER_ENV = 25_000;

/**
 * The replayer a lease is sized for: a modest GPU in a browser (tfjs WebGPU), about 2·10¹⁰ useful FLOP/s.
 * Lighter protocols are faster on wasm than that rate implies; the heavy ones (Fig. 3's 5 layers, full
 * Colored MNIST) are meant for such a machine, and a replay client picks the protocols it can afford.
 */
export const REFERENCE_FLOPS_PER_SECOND = 2e10;

/** A lease lasts this many times the segment's expected replay time, within [LEASE_MIN_MS, LEASE_MAX_MS]. */
export const LEASE_FACTOR = 4;
export const LEASE_MIN_MS = 5 * 60_000;
export const LEASE_MAX_MS = 60 * 60_000;

/**
 * How long a replay lease of one of this protocol's segments lasts: a few times the expected replay of its
 * longest segment (checkpointEvery steps) on the reference machine, clamped to between 5 minutes and an hour,
 * so a lease nobody answers is handed out again soon (never hours of hoarding).
 */
export function leaseDurationMs(protocol: TrajectoryProtocol): number {
  const expectedMs = (protocol.evidence.checkpointEvery! * stepFlops(protocol) * 1000) / REFERENCE_FLOPS_PER_SECOND;
  return Math.round(Math.min(LEASE_MAX_MS, Math.max(LEASE_MIN_MS, LEASE_FACTOR * expectedMs)));
}
