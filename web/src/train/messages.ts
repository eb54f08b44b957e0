// The messages between the page and the training Web Worker: what to train (a workunit, a practice run of
// a seed, or a benchmark) and what comes back (backend, progress, live grid, the finished run or an error).
import type { RejectionReason, RunMeta, Workunit } from "../../../shared/api";
import type { TrainProgress } from "../../../shared/nn/train";
import type { SerializedError } from "../errors";
import type { BackendChoice } from "../routes";

export type TrainJob =
  | { readonly kind: "workunit"; readonly workunit: Workunit; readonly contributor?: string }
  | { readonly kind: "practice"; readonly protocolId: string; readonly seed: number }
  | { readonly kind: "bench"; readonly protocolId: string; readonly seed: number; readonly steps: number };

export type ToWorker =
  | { readonly type: "start"; readonly job: TrainJob; readonly backend: BackendChoice; readonly origin: string }
  | { readonly type: "cancel" };

/** One backend the worker tried, and why it was passed over. */
export interface BackendAttempt {
  readonly backend: string;
  readonly ok: boolean;
  readonly note?: string;
}

/** The local verifier's verdict without the grid (sent separately). */
export interface LocalVerdict {
  readonly status: "accepted" | "rejected";
  readonly reason: RejectionReason | null;
  readonly message: string;
}

export interface FinishedRun {
  readonly meta: RunMeta;
  readonly weights: Float32Array;
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly grid: Float32Array;
  readonly localVerdict: LocalVerdict;
}

export interface BenchResult {
  readonly protocolId: string;
  readonly seed: number;
  readonly backend: string;
  readonly adapter: string | null;
  readonly steps: number;
  readonly elapsedMs: number;
  readonly stepsPerSecond: number;
  /** tfjs losses of the first min(steps, replaySteps) steps. */
  readonly losses: number[];
  /** The server-side float64 replay of the same steps. */
  readonly replay: number[];
  readonly maxAbsDiff: number;
  readonly replayMatches: boolean;
  readonly allFinite: boolean;
  readonly tolerance: { readonly abs: number; readonly rel: number };
}

/** The trainer's progress report as it crosses from the worker to the page (without its read-back hook). */
export type TrainingProgress = Omit<TrainProgress, "readWeights">;

export type FromWorker =
  | { readonly type: "backend"; readonly backend: string; readonly adapter: string | null; readonly attempts: readonly BackendAttempt[] }
  | { readonly type: "stage"; readonly stage: "data" | "training" | "evaluating" | "replaying" }
  | { readonly type: "data"; readonly x: Float64Array; readonly y: Uint8Array }
  | ({ readonly type: "progress" } & TrainingProgress)
  | { readonly type: "grid"; readonly step: number; readonly grid: Float32Array }
  | { readonly type: "done"; readonly run: FinishedRun }
  | { readonly type: "bench-done"; readonly result: BenchResult }
  | { readonly type: "cancelled" }
  | { readonly type: "error"; readonly error: SerializedError };
