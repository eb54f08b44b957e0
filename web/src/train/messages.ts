// The messages between the page and the training Web Worker: what to run (a workunit, possibly resumed from
// a checkpoint, a replay workunit, a practice run of a seed, a timing estimate, a benchmark), pause / resume / cancel, and what
// comes back (backend, dataset download, progress, live grid, checkpoints, the finished run, timings or an error).
import type { EngineKind } from "../../../shared/nn/step-engine";
import type { RejectionReason, ReplayOutcome, ReplayWorkunit, RunMeta, Workunit } from "../../../shared/api";
import type { BenchItem, BenchSubmission, BenchWorkunit } from "../../../shared/bench-api";
import type { PairSummary, SegmentMeasurement } from "../../../shared/client/replay-trials";
import type { CmnistCheckpoint } from "../../../shared/nn/cmnist-train";
import type { TrainProgress, TrainResult } from "../../../shared/nn/train";
import type { SerializedError } from "../errors";
import type { BackendChoice } from "../routes";

export type TrainJob =
  /** `resumeFrom`: a Colored-MNIST checkpoint of this very workunit to continue from. */
  | { readonly kind: "workunit"; readonly workunit: Workunit; readonly contributor?: string; readonly resumeFrom?: CmnistCheckpoint }
  | { readonly kind: "practice"; readonly protocolId: string; readonly seed: number }
  /** A replay workunit: a segment of another contributor's run, trained here and answered to the server. */
  | { readonly kind: "peer-replay"; readonly workunit: ReplayWorkunit }
  /** Times a few steps of a protocol on the chosen backend, to estimate a whole run. */
  | { readonly kind: "estimate"; readonly protocolId: string }
  | { readonly kind: "bench"; readonly protocolId: string; readonly seed: number; readonly steps: number }
  /** Seeds 0 .. seeds-1 trained one at a time, then all together in one batched computation. */
  | { readonly kind: "bench-compare"; readonly protocolId: string; readonly seeds: number; readonly steps: number }
  /** Replay tolerance, part 1: full honest runs of these seeds on the chosen backend (the page asks for wasm), with their checkpoints. */
  | { readonly kind: "bench-replay-train"; readonly protocolId: string; readonly seeds: readonly number[] }
  /** Replay tolerance, part 2: segments of those runs replayed on the chosen backend (see backendSegmentDeviations). */
  | { readonly kind: "bench-replay"; readonly protocolId: string; readonly runs: readonly HonestRunResult[]; readonly segments: readonly number[] }
  /** The benchmark board's suite on the chosen backend, for a benchmark workunit (web/src/train/bench-suite.ts). */
  | { readonly kind: "bench-suite"; readonly workunit: BenchWorkunit };

export type ToWorker =
  | { readonly type: "start"; readonly job: TrainJob; readonly backend: BackendChoice; readonly origin: string }
  | { readonly type: "cancel" }
  /** Waits between two steps (Colored MNIST) until "resume"; the time is not counted as training time. */
  | { readonly type: "pause" }
  | { readonly type: "resume" };

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
  /** Two-moons trajectory checkpoints (the submission's 'checkpoints' part); null when the protocol takes none. */
  readonly checkpoints: Float32Array | null;
  readonly metrics: Readonly<Record<string, number | null>>;
  /** The final network's output on the figure grid (two-moons); null for the toy model. */
  readonly grid: Float32Array | null;
  readonly localVerdict: LocalVerdict;
  /** The step of each meta.lossHistory value (Colored MNIST); absent where historySteps() gives them (two-moons). */
  readonly historySteps?: readonly number[];
}

export interface BenchResult {
  readonly protocolId: string;
  readonly seed: number;
  readonly backend: string;
  /** What computed the steps: the fused wasm kernel, the fused WGSL kernel, or tfjs ops on the backend. */
  readonly engine: EngineKind;
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

export interface BenchCompareResult {
  readonly protocolId: string;
  readonly backend: string;
  readonly adapter: string | null;
  readonly seeds: number;
  readonly steps: number;
  /** Wall time of all seeds trained one after the other (each its own trainMoons call). */
  readonly sequentialMs: number;
  /** Wall time of the same seeds trained together (one trainBatch call). */
  readonly batchedMs: number;
  /** Run-steps per second: seeds × steps / wall time. */
  readonly sequentialRunStepsPerSecond: number;
  readonly batchedRunStepsPerSecond: number;
  /** batched / sequential throughput. */
  readonly ratio: number;
  /** Largest |final loss one at a time − final loss batched| over the seeds (float rounding only). */
  readonly maxFinalLossDiff: number;
}

/** One honest run of the replay-tolerance benchmark, as it travels from the worker that trained it to the ones that replay it. */
export interface HonestRunResult {
  readonly seed: number;
  readonly result: TrainResult;
}

/** The segments one backend replayed, each measured against the run and against the float64 replay of its own end. */
export interface BenchReplayResult {
  readonly backend: string;
  readonly adapter: string | null;
  readonly measurements: readonly SegmentMeasurement[];
  /** The measurements summarised per backend pair (run's backend → this one; this one → float64). */
  readonly pairs: readonly PairSummary[];
  /** TRAJECTORY_TOLERANCE, which `rejected` counts against. */
  readonly tolerance: number;
  readonly elapsedMs: number;
}

/** One backend's suite as the worker computed it: the submission's items, and where they ran. */
export interface SuiteRun extends Pick<BenchSubmission, "moons1" | "moons10" | "cmnist" | "matmul"> {
  readonly backend: string;
  readonly adapter: string | null;
  readonly engine: EngineKind;
  readonly tfjsVersion: string;
}

export interface EstimateResult {
  readonly protocolId: string;
  readonly backend: string;
  /** Steps timed after a short warm-up. */
  readonly timedSteps: number;
  readonly msPerStep: number;
}

/** tfjs's memory in use when the progress was sent; numBytesInGPU where the backend reports it (WebGL, WebGPU). */
export interface MemoryUse {
  readonly numBytes: number;
  readonly numBytesInGPU: number | null;
  readonly numTensors: number;
}

/** The trainer's progress report as it crosses from the worker to the page (without its read-back hook). */
export type TrainingProgress = Omit<TrainProgress, "readWeights"> & {
  /** The step `loss` belongs to, when it is not the last one run (Colored MNIST reads back every historyEvery steps). */
  readonly lossStep?: number;
  /** Accuracy on the training data of the same weights as `loss` (Colored MNIST). */
  readonly trainAccuracy?: number;
  readonly memory?: MemoryUse;
};

/** The dataset pack's download: bytes so far; fromCache is null while it is still coming, then where it came from. */
export interface DownloadProgress {
  readonly received: number;
  readonly total: number;
  readonly fromCache: boolean | null;
}

export type Stage = "data" | "computing" | "training" | "evaluating" | "replaying";

export type FromWorker =
  | { readonly type: "backend"; readonly backend: string; readonly adapter: string | null; readonly attempts: readonly BackendAttempt[] }
  | { readonly type: "stage"; readonly stage: Stage }
  | { readonly type: "data"; readonly x: Float64Array; readonly y: Uint8Array }
  | ({ readonly type: "download" } & DownloadProgress)
  /** A Colored-MNIST checkpoint for the page to keep (IndexedDB); its typed arrays are transferred. */
  | { readonly type: "checkpoint"; readonly checkpoint: CmnistCheckpoint }
  | ({ readonly type: "progress" } & TrainingProgress)
  | { readonly type: "grid"; readonly step: number; readonly grid: Float32Array }
  | { readonly type: "bench-phase"; readonly phase: "sequential" | "batched"; readonly run: number; readonly runs: number }
  /** The replay-tolerance benchmark's progress: training a seed's run (segment null), or replaying one of its segments. */
  | { readonly type: "bench-replay-phase"; readonly seed: number; readonly segment: number | null }
  | { readonly type: "done"; readonly run: FinishedRun }
  /** A replay workunit answered: the server's judgement of where this machine's replay ended. */
  | { readonly type: "peer-replay-done"; readonly outcome: ReplayOutcome; readonly trainMs: number; readonly backend: string }
  | { readonly type: "bench-done"; readonly result: BenchResult }
  | { readonly type: "bench-compare-done"; readonly result: BenchCompareResult }
  | { readonly type: "bench-replay-trained"; readonly runs: readonly HonestRunResult[] }
  | { readonly type: "bench-replay-done"; readonly result: BenchReplayResult }
  | { readonly type: "estimate-done"; readonly result: EstimateResult }
  /** The suite began its item `index` of `total`. */
  | { readonly type: "bench-suite-item"; readonly item: BenchItem; readonly index: number; readonly total: number }
  | { readonly type: "bench-suite-done"; readonly run: SuiteRun }
  | { readonly type: "cancelled" }
  | { readonly type: "error"; readonly error: SerializedError };

/** Messages after which the worker has nothing more to say. */
export const TERMINAL_MESSAGES: ReadonlySet<FromWorker["type"]> = new Set([
  "done",
  "peer-replay-done",
  "bench-done",
  "bench-compare-done",
  "bench-replay-trained",
  "bench-replay-done",
  "estimate-done",
  "bench-suite-done",
  "cancelled",
  "error",
]);
