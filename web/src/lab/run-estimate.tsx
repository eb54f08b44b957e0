// The Lab's answer to "how long will this take?", in time and before Start: a rough figure from the run's
// arithmetic, a timing of a few steps on the chosen backend ("Time it on this machine"; at once for long
// two-moons runs) projected onto the whole run, and what a GPU would change when a CPU takes over 15 minutes.
// Only the timing's outcome is announced to screen readers, never its step-by-step progress.
import type { ComponentChildren } from "preact";
import { describeError } from "../errors";
import type { BackendChoice } from "../routes";
import type { EstimateResult } from "../train/messages";
import { gpuNote, isLongRun, projectionSentence, roughSentence, type TimedProtocol } from "./estimate";
import { useEstimate } from "./use-estimate";

interface Props {
  readonly protocol: TimedProtocol;
  readonly backend: BackendChoice;
  /** A run is in progress: no timing now. */
  readonly busy: boolean;
  /** What follows the estimate, in words that depend on it (the long-run note). */
  readonly children?: (timing: EstimateResult | null) => ComponentChildren;
}

const backendWords = (backend: BackendChoice): string => (backend === "auto" ? "the best available backend" : backend);

export function RunEstimate({ protocol, backend, busy, children }: Props) {
  // Long two-moons runs are timed at once (seconds); Colored MNIST on request (a few seconds of a full step, 80 MB of stand-in images).
  const auto = protocol.family === "two-moons" && isLongRun(protocol);
  const { state, start } = useEstimate(protocol.id, protocol.family, backend, auto, busy);
  const timing = state.status === "done" ? state.result : null;
  const note = gpuNote(protocol, timing);
  const announcement =
    state.status === "done" ? `Timed: ${projectionSentence(protocol, state.result)}` : state.status === "error" ? `The timing failed: ${describeError(state.error).title}` : "";
  return (
    <>
      <div class={`estimate notice ${note ? "notice-warn" : "notice-info"}`} data-testid="run-estimate" data-status={state.status}>
        <p>
          <strong>How long?</strong>{" "}
          {timing ? (
            <span data-testid="estimate-result" data-ms-per-step={timing.msPerStep}>
              {projectionSentence(protocol, timing)}
            </span>
          ) : (
            roughSentence(protocol)
          )}
        </p>
        {timing && <p class="muted">Rough figure before timing: {roughSentence(protocol)}</p>}
        {note && (
          <p data-testid="gpu-note">
            <strong>{note.split(":")[0]}:</strong>
            {note.slice(note.indexOf(":") + 1)}
          </p>
        )}
        {state.status === "running" && (
          <p class="muted" data-testid="estimate-running">
            Timing a few steps on {backendWords(backend)}
            {state.steps ? ` (${state.step} of ${state.steps} timed)` : " (warming up)"}…
          </p>
        )}
        {state.status === "error" && (
          <p class="bad">
            The timing failed: {describeError(state.error).title} {describeError(state.error).detail}
          </p>
        )}
        {/* Kept while timing (aria-disabled, not disabled) so that keyboard focus stays on it. */}
        <button
          type="button"
          class="secondary"
          data-testid="estimate-button"
          disabled={busy}
          aria-disabled={state.status === "running"}
          onClick={() => state.status !== "running" && start()}
        >
          {state.status === "running" ? "Timing…" : state.status === "done" ? "Time it again" : "Time it on this machine"}
        </button>
        <p class="visually-hidden" aria-live="polite">
          {announcement}
        </p>
      </div>
      {children?.(timing)}
    </>
  );
}
