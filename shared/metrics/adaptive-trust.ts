// A contributor's standing, BOINC-style, from their record: anonymous, new, proven or suspect (refused evidence).
// It no longer decides how much of a run is checked — the server checks every trajectory segment of every run
// (shared/metrics/trajectory.ts) — but it still marks suspect keys (worker/routes/replays.ts), and the weight a
// key carries in peer replays, quorums and disputes is earned below. Pure functions; the Worker counts the record.

/** A contributor's record so far (their keyed identity's runs, hidden ones included). */
export interface ContributorRecord {
  /** Verified runs. */
  readonly accepted: number;
  /** Runs refused because their evidence did not connect to the workunit or to itself (REFUSALS_THAT_COUNT). */
  readonly evidenceRefusals: number;
}

export type Standing = "anonymous" | "new" | "proven" | "suspect";

/** Refusals that say the evidence was not one honest run (not a transport error, an expired token or a typo in a claim). */
export const REFUSALS_THAT_COUNT = ["replay_mismatch", "trajectory_mismatch", "evidence_mismatch", "implausible_weights"] as const;

/** Verified runs (with no refused evidence) after which a contributor is proven. */
export const PROVEN_AFTER = 5;

/** null: an anonymous submission (no contributor key). */
export function standingOf(record: ContributorRecord | null): Standing {
  if (record === null) return "anonymous";
  if (record.evidenceRefusals > 0) return "suspect";
  return record.accepted >= PROVEN_AFTER ? "proven" : "new";
}

/**
 * Earned standing: the weight a contributor key carries in peer replays, quorums and disputes. It comes only
 * from runs the server verified itself at full cost (isServerVerified: every trajectory segment replayed by
 * the Worker), counted once per (protocol, seed), never from runs peers confirmed or from pending runs, and it
 * grows slowly: nothing before EARNED_AFTER such runs, then one more unit per EARNED_STEP runs, at most
 * EARNED_MAX. A suspect key (refused evidence, outvoted replays) carries none.
 */
export const EARNED_AFTER = 3;
export const EARNED_STEP = 10;
export const EARNED_MAX = 3;

export function earnedWeight(serverVerifiedRuns: number, suspect: boolean): number {
  if (suspect || serverVerifiedRuns < EARNED_AFTER) return 0;
  return Math.min(EARNED_MAX, 1 + Math.floor((serverVerifiedRuns - EARNED_AFTER) / EARNED_STEP));
}
