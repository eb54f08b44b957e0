// The Lab's honest answer to "how long will this take?": the arithmetic of the run, a warning when it is
// GPU work, and a timing of a few steps on the chosen backend projected onto the whole run.
import type { MoonsProtocol } from "../../../shared/protocols/types";
import { describeError } from "../errors";
import type { BackendChoice } from "../routes";
import { arithmeticSentence, isLongRun, needsGpu, projectionSentence } from "./estimate";
import { useEstimate } from "./use-estimate";

interface Props {
  readonly protocol: MoonsProtocol;
  readonly backend: BackendChoice;
  /** A run is in progress: no timing now. */
  readonly busy: boolean;
}

export function RunEstimate({ protocol, backend, busy }: Props) {
  const long = isLongRun(protocol);
  const { state, start } = useEstimate(protocol.id, backend, long, busy);
  return (
    <div class={`estimate ${long ? "notice notice-warn" : ""}`} data-testid="run-estimate" data-status={state.status} aria-live="polite">
      <p>
        <strong>How long?</strong> {arithmeticSentence(protocol)}
        {needsGpu(protocol) && " This is GPU work (WebGPU or WebGL on a real GPU); CPU backends are far slower, as the timing below shows."}
      </p>
      {state.status === "done" && (
        <p data-testid="estimate-result" data-ms-per-step={state.result.msPerStep}>
          {projectionSentence(protocol, state.result)}
        </p>
      )}
      {state.status === "running" && (
        <p class="muted">
          Timing a few steps on {backend === "auto" ? "the best available backend" : backend}
          {state.steps ? ` (step ${state.step} of ${state.steps})` : ""}…
        </p>
      )}
      {state.status === "error" && (
        <p class="bad">
          The timing failed: {describeError(state.error).title} {describeError(state.error).detail}
        </p>
      )}
      {(state.status === "idle" || state.status === "error" || state.status === "done") && (
        <button type="button" class="secondary" data-testid="estimate-button" disabled={busy} onClick={start}>
          {state.status === "done" ? "Time it again" : `Time a few steps on ${backend === "auto" ? "the best backend" : backend}`}
        </button>
      )}
    </div>
  );
}
