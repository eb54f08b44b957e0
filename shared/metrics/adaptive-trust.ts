// Adaptive trust, BOINC-style: how many of a run's trajectory segments the server replays depends on who
// submitted it. Anonymous and new contributors are checked more often than proven ones, and a contributor
// whose evidence was ever refused as not connecting is checked hardest. Pure functions; the Worker counts
// the contributor's past runs and draws the segments.

/** A contributor's record so far (their keyed identity's runs, hidden ones included). */
export interface ContributorRecord {
  /** Verified runs. */
  readonly accepted: number;
  /** Runs refused because their evidence did not connect to the workunit or to itself (REFUSALS_THAT_COUNT). */
  readonly evidenceRefusals: number;
}

export type Standing = "anonymous" | "new" | "proven" | "suspect";

/** Refusals that say the evidence was not one honest run (not a transport error, an expired token or a typo in a claim). */
export const REFUSALS_THAT_COUNT = ["replay_mismatch", "trajectory_mismatch", "evidence_mismatch"] as const;

/** Verified runs (with no refused evidence) after which a contributor is proven. */
export const PROVEN_AFTER = 5;

/**
 * Segments replayed per run by standing: the last one (it ends at the submitted weights) and n − 1 others at
 * random, so one forged segment among the other S − 1 goes unnoticed with chance 1 − (n − 1)/(S − 1).
 */
export const SEGMENTS_REPLAYED: Record<Standing, number> = { anonymous: 3, new: 3, proven: 2, suspect: 6 };

/** null: an anonymous submission (no contributor key). */
export function standingOf(record: ContributorRecord | null): Standing {
  if (record === null) return "anonymous";
  if (record.evidenceRefusals > 0) return "suspect";
  return record.accepted >= PROVEN_AFTER ? "proven" : "new";
}

/** How many of a run's `segmentCount` segments to replay for a contributor of this standing. */
export const segmentsToReplay = (standing: Standing, segmentCount: number): number => Math.min(SEGMENTS_REPLAYED[standing], segmentCount);

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
