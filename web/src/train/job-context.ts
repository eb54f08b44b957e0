// What every worker job shares: its context (how to post to the page, cancellation, pause, the backend in
// use), the protocol lookups, and the progress reporter that also sends live decision-boundary grids.
import type { PauseGate } from "../../../shared/nn/step-loop";
import type { TrainProgress } from "../../../shared/nn/train";
import { findProtocol } from "../../../shared/protocols/registry";
import type { MoonsProtocol, Protocol } from "../../../shared/protocols/types";
import type { BackendSelection } from "./backend-choice";
import { liveGrid } from "./live-grid";
import { memoryUse } from "./memory-use";
import type { FromWorker } from "./messages";

/** How often, at most, the worker sends a live grid (each costs a weight read-back and a CPU forward pass). */
export const LIVE_GRID_INTERVAL_MS = 300;
/** ...and never so often that drawing it costs more than about 1/8 of the training time. */
const LIVE_GRID_COST_SHARE = 8;

export interface JobContext {
  readonly post: (message: FromWorker, transfer?: Transferable[]) => void;
  readonly signal: AbortSignal;
  /** The page's pause switch, where a trainer can pause between steps (Colored MNIST). */
  readonly pause?: PauseGate;
  readonly origin: string;
  readonly selection: BackendSelection;
}

export function knownProtocol(id: string): Protocol {
  const protocol = findProtocol(id);
  if (!protocol) throw new Error(`This client does not know the protocol ${id}; reload the page to update it.`);
  return protocol;
}

export function knownMoonsProtocol(id: string): MoonsProtocol {
  const protocol = knownProtocol(id);
  if (protocol.family !== "two-moons") throw new Error(`${id} trains no network: it cannot be timed or benchmarked.`);
  return protocol;
}

/** Progress messages on every report, plus a live grid at most every LIVE_GRID_INTERVAL_MS. */
export function progressReporter(context: JobContext, protocol: MoonsProtocol, withGrid: boolean): (progress: TrainProgress) => Promise<void> {
  let lastGrid = -Infinity;
  let interval = LIVE_GRID_INTERVAL_MS;
  return async (progress) => {
    const { step, steps, loss, stepsPerSecond, etaSeconds, elapsedMs } = progress;
    context.post({ type: "progress", step, steps, loss, stepsPerSecond, etaSeconds, elapsedMs, memory: memoryUse() });
    if (step >= steps) context.post({ type: "stage", stage: "evaluating" });
    else if (withGrid && performance.now() - lastGrid >= interval) {
      const started = performance.now();
      const grid = liveGrid(protocol.model, await progress.readWeights());
      context.post({ type: "grid", step, grid }, [grid.buffer]);
      lastGrid = performance.now();
      interval = Math.max(LIVE_GRID_INTERVAL_MS, LIVE_GRID_COST_SHARE * (lastGrid - started));
    }
  };
}
