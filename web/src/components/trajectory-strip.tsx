// A run's trajectory evidence at a glance: one cell per segment between its checkpoints, the ones the server
// replayed marked, with the largest deviation it found and a link to the checkpoints themselves.
import type { ReplaySummary } from "../../../shared/api";
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
