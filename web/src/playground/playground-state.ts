// The playground page's state as a pure reducer (unit-tested): the session's status and step, the loss
// and |z| curves growing with each batched update, the latest decision-function grid, and "Save & share".
import type { Exploration } from "../../../shared/api";
import type { SerializedError } from "../errors";
import type { FromPlayground } from "./playground-messages";

export interface Curve {
  readonly steps: readonly number[];
  readonly values: readonly number[];
}

export type SaveState =
  | { readonly status: "idle" }
  | { readonly status: "saving" }
  | { readonly status: "saved"; readonly exploration: Exploration }
  | { readonly status: "error"; readonly error: SerializedError };

export interface PlaygroundState {
  readonly status: "starting" | "paused" | "playing" | "finished" | "error";
  readonly backend: { readonly name: string; readonly adapter: string | null } | null;
  readonly step: number;
  readonly stepsPerSecond: number | null;
  readonly loss: Curve;
  /** |z_1| and |z_6| against the step. */
  readonly features: readonly [Curve, Curve];
  readonly grid: Float32Array | null;
  readonly gridStep: number | null;
  readonly error: SerializedError | null;
  readonly save: SaveState;
}

export type PlaygroundEvent =
  | { readonly type: "restart" }
  /** Back to a kept session (its settings again): its state as it was when it was replaced. */
  | { readonly type: "restore"; readonly state: PlaygroundState }
  | { readonly type: "worker"; readonly message: Exclude<FromPlayground, { type: "snapshot" }> }
  | { readonly type: "save-start" }
  | { readonly type: "saved"; readonly exploration: Exploration }
  | { readonly type: "save-failed"; readonly error: SerializedError };

const EMPTY: Curve = { steps: [], values: [] };

export const initialPlayground: PlaygroundState = {
  status: "starting",
  backend: null,
  step: 0,
  stepsPerSecond: null,
  loss: EMPTY,
  features: [EMPTY, EMPTY],
  grid: null,
  gridStep: null,
  error: null,
  save: { status: "idle" },
};

const extend = (curve: Curve, points: ReadonlyArray<readonly [number, number]>): Curve =>
  points.length === 0 ? curve : { steps: [...curve.steps, ...points.map((p) => p[0])], values: [...curve.values, ...points.map((p) => p[1])] };

function onWorker(state: PlaygroundState, message: Exclude<FromPlayground, { type: "snapshot" }>): PlaygroundState {
  switch (message.type) {
    case "backend":
      return { ...state, backend: { name: message.backend, adapter: message.adapter } };
    case "error":
      return { ...state, status: "error", error: message.error };
    case "update": {
      const [first, second] = state.features;
      return {
        ...state,
        status: message.finished ? "finished" : message.running ? "playing" : "paused",
        step: message.step,
        stepsPerSecond: message.stepsPerSecond,
        loss: extend(state.loss, message.losses),
        features: [
          extend(
            first,
            message.features.map(([step, z]) => [step, z] as const),
          ),
          extend(
            second,
            message.features.map(([step, , z]) => [step, z] as const),
          ),
        ],
        ...(message.grid ? { grid: message.grid, gridStep: message.step } : {}),
      };
    }
  }
}

export function reducePlayground(state: PlaygroundState, event: PlaygroundEvent): PlaygroundState {
  switch (event.type) {
    case "restart":
      return initialPlayground;
    case "restore":
      // The session was paused when it was replaced; a save in flight then is not this page's any more.
      return { ...event.state, status: event.state.status === "playing" ? "paused" : event.state.status, save: { status: "idle" } };
    case "worker":
      return state.status === "error" ? state : onWorker(state, event.message);
    case "save-start":
      return { ...state, save: { status: "saving" } };
    case "saved":
      return { ...state, save: { status: "saved", exploration: event.exploration } };
    case "save-failed":
      return { ...state, save: { status: "error", error: event.error } };
  }
}

/** Saving needs at least one step, and a session that is not training at that moment. */
export const canSave = (state: PlaygroundState): boolean =>
  (state.status === "paused" || state.status === "finished") && state.step > 0 && state.save.status !== "saving";
