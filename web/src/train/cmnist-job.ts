// Why: what the training worker adds to a Colored-MNIST workunit run: the MNIST pack from Cache Storage or a
// checked download (with progress), the chunk size for the backend, pause, progress with memory use, and
// checkpoints posted to the page (and resuming from one).
import type { WorkunitRunOptions } from "../../../shared/client/run-workunit";
import type { MnistPack } from "../../../shared/data/mnist-pack";
import { MNIST_PACK_MANIFEST } from "../../../shared/data/mnist-pack-manifest";
import type { CmnistCheckpoint, CmnistTrainProgress } from "../../../shared/nn/cmnist-train";
import { loadMnistPack, type LoadedPack, type LoadPackOptions } from "../data/dataset-cache";
import { cmnistChunkSize } from "../../../shared/nn/cmnist-chunk";
import type { JobContext } from "./job-context";
import { memoryUse } from "./memory-use";

/** At most this often a download progress message (the final one is always sent). */
const DOWNLOAD_REPORT_MS = 100;
/** Training time between checkpoints; one also comes when pausing and after the last step. */
export const CMNIST_CHECKPOINT_EVERY_MS = 30_000;

export interface CmnistJobOptions {
  /** Continue this checkpoint of the same workunit. */
  readonly resumeFrom?: CmnistCheckpoint;
  /** Post checkpoints to the page (a workunit it keeps); practice runs have nothing to keep them for. */
  readonly checkpoints: boolean;
  /** Defaults to the Cache Storage–backed loader. */
  readonly loadPack?: (options: LoadPackOptions) => Promise<LoadedPack<MnistPack>>;
  readonly checkpointEveryMs?: number;
}

/** The pack loader for runWorkunit: posts "download" progress, then where the pack came from, then the training stage. */
function packLoader(context: JobContext, load: NonNullable<CmnistJobOptions["loadPack"]>): () => Promise<MnistPack> {
  return async () => {
    let lastPost = -Infinity;
    const loaded = await load({
      signal: context.signal,
      onProgress: ({ received, total }) => {
        const now = performance.now();
        if (now - lastPost < DOWNLOAD_REPORT_MS && received < total) return;
        lastPost = now;
        context.post({ type: "download", received, total, fromCache: null });
      },
    });
    context.post({ type: "download", received: MNIST_PACK_MANIFEST.bytes, total: MNIST_PACK_MANIFEST.bytes, fromCache: loaded.fromCache });
    context.post({ type: "stage", stage: "training" });
    return loaded.pack;
  };
}

/** Posts a checkpoint, transferring its typed arrays (fresh copies made by the trainer's read-backs). */
function postCheckpoint(context: JobContext, checkpoint: CmnistCheckpoint): void {
  const transfer = [checkpoint.weights.buffer, ...checkpoint.optimizerState.map((s) => s.buffer), ...(checkpoint.trajectory ? [checkpoint.trajectory.buffer] : [])].filter(
    (b): b is ArrayBuffer => b instanceof ArrayBuffer,
  );
  context.post({ type: "checkpoint", checkpoint }, transfer);
}

function reportProgress(context: JobContext, progress: CmnistTrainProgress): void {
  const { step, steps, loss, trainAccuracy, lossStep, stepsPerSecond, etaSeconds, elapsedMs } = progress;
  context.post({ type: "progress", step, steps, loss, trainAccuracy, lossStep, stepsPerSecond, etaSeconds, elapsedMs, memory: memoryUse() });
  if (step >= steps) context.post({ type: "stage", stage: "evaluating" });
}

/** The Colored-MNIST part of runWorkunit's options for this worker context. */
export function cmnistRunOptions(context: JobContext, options: CmnistJobOptions): Pick<WorkunitRunOptions, "loadMnistPack" | "cmnistTraining"> {
  const chunkSize = cmnistChunkSize(context.selection.backend);
  return {
    loadMnistPack: packLoader(context, options.loadPack ?? loadMnistPack),
    cmnistTraining: {
      ...(chunkSize !== undefined ? { chunkSize } : {}),
      ...(context.pause ? { pause: context.pause } : {}),
      ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
      ...(options.checkpoints
        ? { onCheckpoint: (checkpoint: CmnistCheckpoint) => postCheckpoint(context, checkpoint), checkpointEveryMs: options.checkpointEveryMs ?? CMNIST_CHECKPOINT_EVERY_MS }
        : {}),
      onProgress: (progress) => reportProgress(context, progress),
    },
  };
}
