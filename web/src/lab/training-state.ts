// The Lab's run as a state machine (a pure reducer, unit-tested): asking for a workunit (or resuming a saved
// one), the server's Turnstile challenge, the dataset download, training with live progress from the worker, pause, checkpoints, the finished
// run, the submission and its outcome, cancellation, errors.
import type { Challenge, RunRecord, Workunit } from "../../../shared/api";
import { historySteps } from "../../../shared/protocols/evidence";
import { findProtocol } from "../../../shared/protocols/registry";
import type { SerializedError } from "../errors";
import type { BackendAttempt, DownloadProgress, FinishedRun, FromWorker, TrainingProgress } from "../train/messages";

export type RunMode = "workunit" | "practice";
export type Phase = "idle" | "requesting" | "challenge" | "training" | "done" | "submitting" | "submitted" | "cancelled" | "error";
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
  /** The dataset pack's download (Colored MNIST). */
  readonly download: DownloadProgress | null;
  /** Asked to wait between steps (the worker finishes the step it is in first). */
  readonly paused: boolean;
  /** Steps done at the latest checkpoint the worker sent (kept in this browser). */
  readonly checkpointStep: number | null;
  /** The checkpoint step this run was resumed from. */
  readonly resumedFrom: number | null;
  readonly run: FinishedRun | null;
  readonly submission: RunRecord | null;
  readonly error: SerializedError | null;
  readonly errorDuring: ErrorDuring | null;
  /** The challenge the server asked to be solved before it hands out the workunit (phase "challenge"). */
  readonly challenge: Challenge | null;
  /** Why the server refused the last solved challenge's token; null when none was sent yet. */
  readonly challengeRefusal: string | null;
}

export type TrainingEvent =
  | { readonly type: "request-workunit"; readonly protocolId: string }
  /** `resume`: the run continues a saved checkpoint (its step and the loss history so far). */
  | { readonly type: "workunit"; readonly workunit: Workunit; readonly resume?: { readonly step: number; readonly curve: LossCurve } }
  /** The workunit request was answered 403 with a challenge; `refusal`: the server's message when a token was sent. */
  | { readonly type: "challenge"; readonly challenge: Challenge; readonly refusal: string | null }
  | { readonly type: "pause" }
  | { readonly type: "resume" }
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
  download: null,
  paused: false,
  checkpointStep: null,
  resumedFrom: null,
  run: null,
  submission: null,
  error: null,
  errorDuring: null,
  challenge: null,
  challengeRefusal: null,
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
  if (run.historySteps && run.historySteps.length === run.meta.lossHistory.length) return { steps: [...run.historySteps], losses: [...run.meta.lossHistory] };
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
      // Past training there is nothing left to pause.
      return { ...state, stage: message.stage, paused: message.stage === "training" && state.paused };
    case "data":
      return { ...state, points: { x: message.x, y: message.y } };
    case "download": {
      const { type: _type, ...download } = message;
      return { ...state, download };
    }
    case "checkpoint":
      return { ...state, checkpointStep: message.checkpoint.step };
    case "progress": {
      const { type: _type, ...progress } = message;
      const step = progress.lossStep ?? progress.step - 1;
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
      return { ...state, phase: "done", stage: null, paused: false, run: message.run, grid: message.run.grid, gridStep: message.run.meta.timings.steps, curve: historyCurve(message.run) };
    case "cancelled":
      return { ...state, phase: "cancelled", stage: null, paused: false };
    case "error":
      return { ...state, phase: "error", stage: null, paused: false, error: message.error, errorDuring: "training" };
    case "peer-replay-done":
    case "bench-phase":
    case "bench-done":
    case "bench-compare-done":
    case "bench-replay-phase":
    case "bench-replay-trained":
    case "bench-replay-done":
    case "estimate-done":
    case "bench-suite-item":
    case "bench-suite-done":
      return state;
  }
}

export function reduceTraining(state: TrainingState, event: TrainingEvent): TrainingState {
  switch (event.type) {
    case "request-workunit":
      return { ...initialTraining, phase: "requesting", protocolId: event.protocolId };
    case "workunit": {
      if (state.phase !== "requesting") return state;
      const fresh = training("workunit", event.workunit.protocolId, event.workunit.seed, event.workunit);
      return event.resume ? { ...fresh, resumedFrom: event.resume.step, checkpointStep: event.resume.step, curve: event.resume.curve } : fresh;
    }
    case "challenge":
      return state.phase === "requesting" ? { ...state, phase: "challenge", challenge: event.challenge, challengeRefusal: event.refusal } : state;
    case "pause":
    case "resume":
      return state.phase === "training" ? { ...state, paused: event.type === "pause" } : state;
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
