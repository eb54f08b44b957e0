// A run's trajectory evidence at a glance: one cell per segment between its checkpoints, the ones the server
// replayed (or other contributors replayed, with their verdicts) marked, and a link to the checkpoints themselves.
import type { PeerReplaySummary, ReplaySummary } from "../../../shared/api";
import { TRAJECTORY_TOLERANCE } from "../../../shared/metrics/trajectory";

export function TrajectoryStrip({ replay, checkpointsUrl }: { readonly replay: ReplaySummary; readonly checkpointsUrl: string }) {
  const replayed = new Set(replay.segments);
  return (
    <figure class="trajectory" data-testid="trajectory-strip">
      <div class="trajectory-cells" role="img" aria-label={`Segments ${replay.segments.map((k) => k + 1).join(", ")} of ${replay.segmentCount} replayed by the server`}>
        {Array.from({ length: replay.segmentCount }, (_, k) => (
          <span
            key={k}
            class={replayed.has(k) ? "trajectory-cell replayed" : "trajectory-cell"}
            data-testid="trajectory-cell"
            data-replayed={replayed.has(k) ? "true" : "false"}
            title={`Segment ${k + 1} of ${replay.segmentCount}${replayed.has(k) ? ": replayed by the server" : ""}`}
          >
            {replayed.has(k) ? "✓" : ""}
          </span>
        ))}
      </div>
      <figcaption>
        The server replayed {replay.segments.length} of the {replay.segmentCount} segments between this run's uploaded checkpoints (✓), chosen after the upload, in float64. The largest
        deviation from the run's own checkpoints was <span data-testid="trajectory-deviation">{replay.deviation.toExponential(1)}</span> of the segment's movement (tolerance{" "}
        {TRAJECTORY_TOLERANCE}). <a href={checkpointsUrl}>Download the checkpoints</a> (little-endian float32: weights, then optimiser state, per checkpoint) to replay any segment yourself.
      </figcaption>
    </figure>
  );
}

const OUTCOME_MARK = { confirmed: "✓", refuted: "✗", pending: "…" } as const;
const STATUS_WORDS = {
  pending: "Waiting for other contributors: until every drawn segment is confirmed the run counts as recomputed, and its checkpoints and weights are not served.",
  replayed: "Every drawn segment was confirmed by another contributor's replay: the run counts as replayed.",
  refuted: "Other contributors' replays contradict this run: it is flagged as disputed and no longer counted.",
} as const;

/** The same strip for a run whose drawn segments other contributors replay (replay workunits). */
export function PeerReplayStrip({ peerReplay, checkpointsUrl }: { readonly peerReplay: PeerReplaySummary; readonly checkpointsUrl: string }) {
  const drawn = new Map(peerReplay.segments.map((s) => [s.segment, s]));
  return (
    <figure class="trajectory" data-testid="peer-replay-strip" data-status={peerReplay.status}>
      <div class="trajectory-cells" role="img" aria-label={`Segments ${[...drawn.keys()].map((k) => k + 1).join(", ")} of ${peerReplay.segmentCount} drawn for other contributors to replay`}>
        {Array.from({ length: peerReplay.segmentCount }, (_, k) => {
          const segment = drawn.get(k);
          const replays = segment?.replays.filter((r) => r.agrees !== null) ?? [];
          return (
            <span
              key={k}
              class={segment ? `trajectory-cell replayed peer-${segment.outcome}` : "trajectory-cell"}
              data-testid="trajectory-cell"
              data-outcome={segment?.outcome ?? "not-drawn"}
              title={
                segment
                  ? `Segment ${k + 1}: ${segment.outcome}; ${replays.length === 0 ? "no replay answered yet" : replays.map((r) => `${r.byServer ? "the server's own replay " : ""}${r.agrees ? "agreed" : "disagreed"} (${r.deviation === null || r.deviation === Number.MAX_VALUE ? "∞" : r.deviation.toExponential(1)}, ${r.byServer ? "float64" : `${r.backend ?? "?"}, #${r.replayerId.slice(0, 6)}`})`).join("; ")}`
                  : `Segment ${k + 1} of ${peerReplay.segmentCount}`
              }
            >
              {segment ? OUTCOME_MARK[segment.outcome] : ""}
            </span>
          );
        })}
      </div>
      <figcaption>
        {peerReplay.segments.length} of the {peerReplay.segmentCount} segments between this run's checkpoints were drawn after the upload for other contributors' browsers to replay (✓
        confirmed, ✗ refuted, … waiting). <span data-testid="peer-replay-status">{STATUS_WORDS[peerReplay.status]}</span>{" "}
        {peerReplay.status !== "pending" && (
          <>
            <a href={checkpointsUrl}>Download the checkpoints</a> to replay any segment yourself.
          </>
        )}{" "}
        {peerReplay.status === "pending" && (
          <>
            <a href="/replay">Replay a segment</a> of someone's run.
          </>
        )}
      </figcaption>
    </figure>
  );
}
