// Why: keyboard focus and screen-reader announcements follow the Lab's run — focus moves to the run's heading
// when it starts, to the result when it ends, to the outcome or the notice when it is submitted, cancelled or
// fails — and one calm live region says only those moments (errors are alerts of their own), never the progress that changes several times a second.
import { useEffect, useRef } from "preact/hooks";
import { formatDuration } from "../format";
import type { Phase, TrainingState } from "./training-state";

/** The element (by id) that takes focus when the run enters `phase`, or null to leave focus where it is. */
export function focusTargetOf(phase: Phase): string | null {
  switch (phase) {
    case "training":
      return "run-heading";
    case "done":
      return "result-heading";
    case "submitted":
      return "verification-outcome";
    case "cancelled":
      return "cancelled-notice";
    case "error":
      return "run-error";
    default:
      return null;
  }
}

/** What the live region says about the run now: its start, backend, pause, end, submission, cancellation or error. */
export function runAnnouncement(state: TrainingState): string {
  const what = state.mode === "practice" ? "Practice run" : "Run";
  switch (state.phase) {
    case "requesting":
      return "Asking the server for a seed.";
    case "challenge":
      return "The server asks for a quick check that you are a person first.";
    case "training":
      if (state.paused) return `${what} paused.`;
      return state.backend ? `${what} of seed ${state.seed} training on ${state.backend.name}.` : `${what} of seed ${state.seed} starting.`;
    case "done":
      return `${what} finished${state.run ? ` in ${formatDuration(state.run.meta.timings.trainMs)}` : ""}. The result follows${state.mode === "workunit" ? "; submit it for the server to check" : ""}.`;
    case "submitting":
      return "Submitting the run.";
    case "submitted":
      return state.submission?.status === "accepted" ? "The server accepted the run." : "The server rejected the run.";
    case "cancelled":
      return "Training cancelled.";
    case "error":
      // The error box is an alert of its own: saying it here too would say it twice.
      return "";
    case "idle":
      return "";
  }
}

/** Moves focus on each phase change (not on the first render: a page load keeps its own focus). */
export function useRunFocus(phase: Phase): void {
  const previous = useRef(phase);
  useEffect(() => {
    if (previous.current === phase) return;
    previous.current = phase;
    const id = focusTargetOf(phase);
    const element = id ? document.getElementById(id) : null;
    element?.focus({ preventScroll: false });
  }, [phase]);
}
