// Why: the words the Lab uses for a saved unfinished run (resume offer, dropped-run notice), kept pure and tested.
import { findProtocol } from "../../../shared/protocols/registry";
import { formatCount, formatDuration } from "../format";
import type { SavedRun } from "./checkpoint-store";

/** Steps the run needs: the checkpoint's count, else the protocol's (null if this client does not know it). */
export function savedRunSteps(run: SavedRun): number | null {
  if (run.checkpoint) return run.checkpoint.steps;
  const protocol = findProtocol(run.workunit.protocolId);
  return protocol?.family === "colored-mnist" ? protocol.training.steps : null;
}

/** "cmnist-erm, seed 3, step 420 of 1,001" */
export function savedRunSummary(run: SavedRun): string {
  const steps = savedRunSteps(run);
  const step = run.checkpoint?.step ?? 0;
  return `${run.workunit.protocolId}, seed ${run.workunit.seed}, step ${formatCount(step)}${steps === null ? "" : ` of ${formatCount(steps)}`}`;
}

/** "expires in 5 h 12 min" or "expired" at `now`. */
export function expiryText(expiresAt: string, now: number): string {
  const left = Date.parse(expiresAt) - now;
  return left > 0 ? `expires in ${formatDuration(left)}` : "expired";
}
