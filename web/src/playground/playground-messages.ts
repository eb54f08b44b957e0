// The messages between the playground page and its training worker: start a session, play / pause / step
// it, ask for a snapshot to save; back come the backend, batched live updates (losses, |z| features, a
// grid now and then), snapshots and errors.
import type { PlaygroundParams } from "../../../shared/protocols/playground";
import type { SerializedError } from "../errors";
import type { BackendChoice } from "../routes";
import type { BackendAttempt } from "../train/messages";

/** Play runs until paused; step runs this many more steps, then pauses. */
export type PlaygroundCommand = { readonly type: "play" } | { readonly type: "pause" } | { readonly type: "step"; readonly steps: number };

export type ToPlayground =
  | { readonly type: "start"; readonly params: PlaygroundParams; readonly maxSteps: number; readonly backend: BackendChoice }
  | PlaygroundCommand
  | { readonly type: "snapshot" };

/** The NTK components the playground follows live, as the paper's Fig. 2 does. */
export const LIVE_COMPONENTS = [1, 6] as const;

export interface PlaygroundUpdate {
  readonly type: "update";
  /** Steps taken so far (weight updates applied). */
  readonly step: number;
  readonly running: boolean;
  /** The session reached its last step. */
  readonly finished: boolean;
  readonly stepsPerSecond: number | null;
  /** New loss-history points since the last update: [step, loss before that step's update]. */
  readonly losses: ReadonlyArray<readonly [number, number]>;
  /** New |z| points since the last update: [step, |z_1|, |z_6|]. */
  readonly features: ReadonlyArray<readonly [number, number, number]>;
  /** The decision function on the 100×100 figure grid, when a fresh one was computed. */
  readonly grid: Float32Array | null;
}

export interface PlaygroundSnapshot {
  readonly type: "snapshot";
  readonly step: number;
  readonly weights: Float32Array;
  /** Loss at steps 0, 10, ..., below `step`, then of the current weights (historySteps order). */
  readonly lossHistory: number[];
}

export type FromPlayground =
  | { readonly type: "backend"; readonly backend: string; readonly adapter: string | null; readonly attempts: readonly BackendAttempt[] }
  | PlaygroundUpdate
  | PlaygroundSnapshot
  | { readonly type: "error"; readonly error: SerializedError };
