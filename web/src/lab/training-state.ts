// The Lab's run as a state machine (a pure reducer, unit-tested): asking for a workunit, training with
// live progress from the worker, the finished run, the submission and its outcome, cancellation, errors.
import type { RunRecord, Workunit } from "../../../shared/api";
import { historySteps } from "../../../shared/protocols/evidence";
import { findProtocol } from "../../../shared/protocols/registry";
import type { SerializedError } from "../errors";
import type { BackendAttempt, FinishedRun, FromWorker, TrainingProgress } from "../train/messages";

export type RunMode = "workunit" | "practice";
export type Phase = "idle" | "requesting" | "training" | "done" | "submitting" | "submitted" | "cancelled" | "error";
/** What was going on when an error happened: it decides what "retry" does. */
export type ErrorDuring = "workunit" | "training" | "submit";

export type Progress = TrainingProgress;

export interface LossCurve {
  readonly steps: readonly number[];
  readonly losses: readonly number[];
}

export interface TrainingState {
  readonly phase: Phase;
  readonly mode: RunMode;
  readonly protocolId: string | null;
  readonly seed: number | null;
  readonly workunit: Workunit | null;
  readonly stage: Extract<FromWorker, { type: "stage" }>["stage"] | null;
  readonly backend: { readonly name: string; readonly adapter: string | null; readonly attempts: readonly BackendAttempt[] } | null;
  readonly progress: Progress | null;
  readonly curve: LossCurve;
  readonly grid: Float32Array | null;
  readonly gridStep: number | null;
  readonly points: { readonly x: Float64Array; readonly y: Uint8Array } | null;
  readonly run: FinishedRun | null;
  readonly submission: RunRecord | null;
  readonly error: SerializedError | null;
  readonly errorDuring: ErrorDuring | null;
}

export type TrainingEvent =
  | { readonly type: "request-workunit"; readonly protocolId: string }
  | { readonly type: "workunit"; readonly workunit: Workunit }
  | { readonly type: "start-practice"; readonly protocolId: string; readonly seed: number }
  | { readonly type: "worker"; readonly message: FromWorker }
  | { readonly type: "submit" }
  | { readonly type: "submitted"; readonly record: RunRecord }
  | { readonly type: "failed"; readonly error: SerializedError; readonly during: ErrorDuring }
  | { readonly type: "reset" };

const EMPTY_CURVE: LossCurve = { steps: [], losses: [] };

export const initialTraining: TrainingState = {
  phase: "idle",
  mode: "workunit",
  protocolId: null,
  seed: null,
  workunit: null,
  stage: null,
  backend: null,
  progress: null,
  curve: EMPTY_CURVE,
  grid: null,
  gridStep: null,
  points: null,
  run: null,
  submission: null,
  error: null,
  errorDuring: null,
};

/** A fresh training state for a new run (keeps nothing from the previous one). */
const training = (mode: RunMode, protocolId: string, seed: number, workunit: Workunit | null): TrainingState => ({
  ...initialTraining,
  phase: "training",
  mode,
  protocolId,
  seed,
  workunit,
});

/**
 * The exact loss curve of a finished run: its history, one value every historyEvery steps, then the final
 * loss (none for the toy model, whose evidence is its z trajectories).
 */
export function historyCurve(run: FinishedRun): LossCurve {
  const protocol = findProtocol(run.meta.protocolId);
  if (!protocol || protocol.family !== "two-moons") return EMPTY_CURVE;
  return { steps: historySteps(run.meta.timings.steps, protocol.evidence.historyEvery), losses: [...run.meta.lossHistory] };
}

function onWorker(state: TrainingState, message: FromWorker): TrainingState {
  if (state.phase !== "training") return state;
  switch (message.type) {
    case "backend":
      return { ...state, backend: { name: message.backend, adapter: message.adapter, attempts: message.attempts } };
    case "stage":
      return { ...state, stage: message.stage };
    case "data":
      return { ...state, points: { x: message.x, y: message.y } };
    case "progress": {
      const { type: _type, ...progress } = message;
      const step = progress.step - 1;
      const last = state.curve.steps.at(-1);
      const curve =
        Number.isFinite(progress.loss) && progress.loss > 0 && (last === undefined || step > last)
          ? { steps: [...state.curve.steps, step], losses: [...state.curve.losses, progress.loss] }
          : state.curve;
      return { ...state, progress, curve };
    }
    case "grid":
      return { ...state, grid: message.grid, gridStep: message.step };
    case "done":
      return { ...state, phase: "done", stage: null, run: message.run, grid: message.run.grid, gridStep: message.run.meta.timings.steps, curve: historyCurve(message.run) };
    case "cancelled":
      return { ...state, phase: "cancelled", stage: null };
    case "error":
      return { ...state, phase: "error", stage: null, error: message.error, errorDuring: "training" };
    case "bench-phase":
    case "bench-done":
    case "bench-compare-done":
    case "estimate-done":
      return state;
  }
}

export function reduceTraining(state: TrainingState, event: TrainingEvent): TrainingState {
  switch (event.type) {
    case "request-workunit":
      return { ...initialTraining, phase: "requesting", protocolId: event.protocolId };
    case "workunit":
      return state.phase === "requesting" ? training("workunit", event.workunit.protocolId, event.workunit.seed, event.workunit) : state;
    case "start-practice":
      return training("practice", event.protocolId, event.seed, null);
    case "worker":
      return onWorker(state, event.message);
    case "submit":
      return state.phase === "done" && state.mode === "workunit" ? { ...state, phase: "submitting", error: null, errorDuring: null } : state;
    case "submitted":
      return state.phase === "submitting" ? { ...state, phase: "submitted", submission: event.record } : state;
    case "failed":
      // A failed submission keeps the finished run so that it can be sent again.
      if (event.during === "submit") return state.phase === "submitting" ? { ...state, phase: "done", error: event.error, errorDuring: "submit" } : state;
      return { ...state, phase: "error", error: event.error, errorDuring: event.during };
    case "reset":
      return initialTraining;
  }
}

/** True while leaving the page would lose work (training, or a finished run not yet submitted). */
export const isBusy = (state: TrainingState): boolean =>
  state.phase === "training" || state.phase === "requesting" || state.phase === "submitting" || (state.phase === "done" && state.mode === "workunit");
