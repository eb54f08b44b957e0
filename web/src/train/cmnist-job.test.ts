// Why: proves what the worker adds to a Colored-MNIST run: download messages then where the pack came from,
// progress with memory use, transferred checkpoints that resume the run, the page's pause, the GPU chunk size.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { MnistPack } from "../../../shared/data/mnist-pack";
import { MNIST_PACK_MANIFEST } from "../../../shared/data/mnist-pack-manifest";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../../shared/nn/cmnist-model";
import { trainCmnist, type CmnistCheckpoint, type CmnistTrainRequest } from "../../../shared/nn/cmnist-train";
import { fixtureProtocol, syntheticCmnistEnvs } from "../../../shared/nn/fixtures/cmnist-synthetic";
import { createPauseSwitch } from "../../../shared/nn/step-loop";
import type { LoadedPack, LoadPackOptions } from "../data/dataset-cache";
import type { BackendName } from "./backend-choice";
import { GPU_CHUNK_SIZE } from "../../../shared/nn/cmnist-chunk";
import { cmnistRunOptions } from "./cmnist-job";
import type { JobContext } from "./job-context";
import type { FromWorker } from "./messages";

const protocol = fixtureProtocol("erm", { hidden: 8, lr: 1e-3, steps: 6, anneal: 2 });
const envs = syntheticCmnistEnvs([7, 3], [16, 16], [0.2, 0.1]);
const initialWeights = cmnistInitialWeights(cmnistMlpSpec(protocol.model), 4);
const pack: MnistPack = { count: 1, rows: 14, cols: 14, labels: new Uint8Array(1), images: new Uint8Array(196) };

function context(backend: BackendName = "cpu", pause = createPauseSwitch()) {
  const messages: FromWorker[] = [];
  const transfers: Transferable[][] = [];
  const ctx: JobContext = {
    post: (message, transfer = []) => {
      messages.push(message);
      transfers.push(transfer);
    },
    signal: new AbortController().signal,
    pause,
    origin: "http://unused",
    selection: { backend, adapter: null, attempts: [{ backend, ok: true }] },
  };
  return { ctx, messages, transfers, pause };
}

/** A pack loader that reports a download in three parts, or a cache hit. */
const fakeLoader =
  (fromCache: boolean) =>
  async (options: LoadPackOptions): Promise<LoadedPack<MnistPack>> => {
    const total = MNIST_PACK_MANIFEST.bytes;
    if (!fromCache) for (const received of [total / 4, total / 2, total]) options.onProgress?.({ received, total });
    return { pack, fromCache, bytesDownloaded: fromCache ? 0 : total };
  };

const trainWith = (extra: ReturnType<typeof cmnistRunOptions>["cmnistTraining"], more: Partial<CmnistTrainRequest> = {}) =>
  trainCmnist({ ...extra, ...more, protocol, envs, initialWeights });

describe("the worker's Colored-MNIST options", () => {
  beforeAll(async () => void (await tf.setBackend("cpu")));

  it("posts the download's progress, then where the pack came from, then the training stage", async () => {
    const { ctx, messages } = context();
    const loaded = await cmnistRunOptions(ctx, { checkpoints: false, loadPack: fakeLoader(false) }).loadMnistPack!();
    expect(loaded).toBe(pack);
    const downloads = messages.filter((m) => m.type === "download");
    // Progress is throttled (the last part always comes through), then the final word says "downloaded".
    expect(downloads.at(0)).toMatchObject({ received: MNIST_PACK_MANIFEST.bytes / 4, fromCache: null });
    expect(downloads.at(-2)).toMatchObject({ received: MNIST_PACK_MANIFEST.bytes, fromCache: null });
    expect(downloads.at(-1)).toMatchObject({ received: MNIST_PACK_MANIFEST.bytes, total: MNIST_PACK_MANIFEST.bytes, fromCache: false });
    expect(messages.at(-1)).toEqual({ type: "stage", stage: "training" });

    const cached = context();
    await cmnistRunOptions(cached.ctx, { checkpoints: false, loadPack: fakeLoader(true) }).loadMnistPack!();
    expect(cached.messages.filter((m) => m.type === "download")).toEqual([{ type: "download", received: MNIST_PACK_MANIFEST.bytes, total: MNIST_PACK_MANIFEST.bytes, fromCache: true }]);
  });

  it("reports progress with memory use and posts checkpoints (transferred) that resume the run exactly", async () => {
    const straight = await trainCmnist({ protocol, envs, initialWeights });
    const { ctx, messages, transfers } = context();
    const options = cmnistRunOptions(ctx, { checkpoints: true, checkpointEveryMs: 0 }).cmnistTraining!;
    expect(options.chunkSize).toBeUndefined(); // cpu takes whole environments
    await trainWith(options, { progressIntervalMs: 0 });
    const progress = messages.filter((m) => m.type === "progress");
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress[0]).toMatchObject({ lossStep: 0, memory: { numBytesInGPU: null } });
    expect(progress[0]!.memory!.numBytes).toBeGreaterThan(0);
    expect(progress[0]!.trainAccuracy).toBeGreaterThanOrEqual(0);
    // The last report says evaluation comes next; the last checkpoint follows it.
    expect(messages.indexOf(progress.at(-1)!)).toBe(messages.findIndex((m) => m.type === "stage" && m.stage === "evaluating") - 1);
    const checkpoints = messages.flatMap((m, k) => (m.type === "checkpoint" ? [{ checkpoint: m.checkpoint, transfer: transfers[k]! }] : []));
    expect(checkpoints.map((c) => c.checkpoint.step)).toEqual([1, 2, 3, 4, 5, 6]);
    const third = checkpoints[2]!;
    expect(third.transfer).toContain(third.checkpoint.weights.buffer);
    expect(third.transfer).toHaveLength(1 + third.checkpoint.optimizerState.length);

    const resumed = context();
    const resumeFrom: CmnistCheckpoint = structuredClone(third.checkpoint);
    const result = await trainWith(cmnistRunOptions(resumed.ctx, { checkpoints: false, resumeFrom }).cmnistTraining!);
    expect(resumed.messages.some((m) => m.type === "checkpoint")).toBe(false);
    expect(Array.from(result.weights)).toEqual(Array.from(straight.weights));
  });

  it("waits while the page has paused it, and chunks the gradient on GPU backends", async () => {
    const { ctx, messages, pause } = context("webgl");
    const options = cmnistRunOptions(ctx, { checkpoints: true, checkpointEveryMs: Infinity }).cmnistTraining!;
    expect(options.chunkSize).toBe(GPU_CHUNK_SIZE);
    pause.pause();
    const run = trainWith({ ...options, chunkSize: 5 }, { progressIntervalMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Paused before the first step: nothing ran, and there is nothing to checkpoint yet.
    expect(messages.filter((m) => m.type === "progress" || m.type === "checkpoint")).toEqual([]);
    pause.resume();
    await run;
    expect(messages.filter((m) => m.type === "progress")).toHaveLength(6);
  });
});
