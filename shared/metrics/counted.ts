// Only checked evidence counts: the one predicate that says whether a run's evidence is fully checked — used by
// the Worker's leaderboard, standing and run records and by the web pages that pick "a verified run".

/** What decides whether a run counts: the server's verdict and, for peer-replayed protocols, the peers'. */
export interface CountedFields {
  readonly status: "accepted" | "rejected";
  /** null: the server verified the run itself; "pending" until peers confirm every drawn segment, then "replayed" or "refuted". */
  readonly peerStatus: "pending" | "replayed" | "refuted" | null;
}

/**
 * A run is counted once its evidence is fully checked: accepted, and either verified by the server itself
 * (peerStatus null) or confirmed by peers ("replayed"). A pending run (accepted, peers still replaying) and a
 * refuted one count nowhere: no aggregate, figure, series, claim verdict, quorum or contributor standing.
 * The Worker selects accepted rows and applies this predicate to them; worker/contributors.ts's standing is
 * stricter still (server-verified runs only, never peer-confirmed ones).
 */
export const isCounted = (run: CountedFields): boolean => run.status === "accepted" && (run.peerStatus === null || run.peerStatus === "replayed");

/** Accepted, but waiting for peers to replay its drawn segments: shown as pending, counted nowhere yet. */
export const isPending = (run: CountedFields): boolean => run.status === "accepted" && run.peerStatus === "pending";

/** The sentence pages show beside a pending run. */
export const PENDING_SENTENCE = "Waiting for other contributors to replay segments of its training: it counts once peers have replayed it.";
