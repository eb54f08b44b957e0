// Why: the Lab's offer to resume (or discard) the unfinished long runs kept in this browser, and the notice
// for runs dropped because their workunit expired.
import type { SavedRun } from "./checkpoint-store";
import { expiryText, savedRunSummary } from "./saved-run-label";

interface Props {
  /** Runs that may be resumed now (not the one on screen). */
  readonly runs: readonly SavedRun[];
  readonly expired: readonly SavedRun[];
  readonly busy: boolean;
  readonly onResume: (run: SavedRun) => void;
  readonly onDiscard: (run: SavedRun) => void;
}

export function SavedRunsPanel({ runs, expired, busy, onResume, onDiscard }: Props) {
  if (runs.length === 0 && expired.length === 0) return null;
  const now = Date.now();
  return (
    <section class="panel" aria-labelledby="saved-runs-heading" data-testid="saved-runs">
      <h2 id="saved-runs-heading">Unfinished runs in this browser</h2>
      {expired.map((run) => (
        <p class="notice notice-warn" key={`expired-${run.id}`} data-testid="expired-run">
          The saved run {savedRunSummary(run)} was dropped: its workunit expired at {new Date(run.workunit.expiresAt).toLocaleString()}, so the
          server would refuse it. Use “Start training” for a new seed to train this experiment again.
        </p>
      ))}
      {runs.map((run) => (
        <div class="actions" key={run.id} data-testid="saved-run" data-workunit={run.id}>
          <button type="button" disabled={busy} data-testid="resume-saved-button" onClick={() => onResume(run)}>
            Resume run ({savedRunSummary(run)})
          </button>
          <button type="button" class="secondary" disabled={busy} data-testid="discard-saved-button" onClick={() => onDiscard(run)}>
            Discard
          </button>
          <span class="muted">
            The workunit {expiryText(run.workunit.expiresAt, now)}; {run.checkpoint ? "resumes from its last checkpoint" : "no checkpoint yet: it starts again from step 0"} on the{" "}
            {run.backend} backend.
          </span>
        </div>
      ))}
    </section>
  );
}
