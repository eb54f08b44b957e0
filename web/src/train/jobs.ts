// What the training worker does for each kind of job: a server workunit (train or compute, evaluate, check
// locally; Colored MNIST may resume from a checkpoint), a replay workunit (a segment of someone else's run), a practice run of a chosen seed (same, but never
// submittable); timing jobs live in bench-jobs.ts, Colored MNIST's extras in cmnist-job.ts.
import * as tf from "@tensorflow/tfjs-core";
import { BENCH_SUITE } from "../../../shared/bench-api";
import type { MoonsDatasetResponse, ReplayWorkunit, Workunit } from "../../../shared/api";
import { createApiClient, type ApiClient } from "../../../shared/client/api-client";
import { runReplayWorkunit } from "../../../shared/client/run-replay";
import { runWorkunit, type WorkunitRun, type WorkunitRunOptions } from "../../../shared/client/run-workunit";
import { MNIST_PACK_MANIFEST } from "../../../shared/data/mnist-pack-manifest";
import { moonsDatasetPath } from "../../../shared/data/moons-url";
import type { CmnistCheckpoint } from "../../../shared/nn/cmnist-train";
import { findProtocol } from "../../../shared/protocols/registry";
import type { Protocol } from "../../../shared/protocols/types";
import { benchmark, compareBatched, estimate, replayRunSegments, trainReplayRuns } from "./bench-jobs";
import { benchSuite } from "./bench-suite";
import { cmnistRunOptions, type CmnistJobOptions } from "./cmnist-job";
import { knownMoonsProtocol, knownProtocol, progressReporter, type JobContext } from "./job-context";
import type { TrainJob } from "./messages";

export type { JobContext } from "./job-context";

/** A practice run has no workunit; this placeholder token only satisfies the shape of a submission. */
const PRACTICE_TOKEN = "practice-run-without-a-workunit-00000000000";

const jobProtocolId = (job: TrainJob): string =>
  job.kind === "workunit" || job.kind === "peer-replay" ? job.workunit.protocolId : job.kind === "bench-suite" ? BENCH_SUITE.protocolId : job.protocolId;

/** Whether a job trains with tfjs (and so needs a backend); the toy model is plain float64 arithmetic. */
export const needsTfjs = (job: TrainJob): boolean => findProtocol(jobProtocolId(job))?.family !== "toy-dynamics";

function environment(context: JobContext, protocol: Protocol): WorkunitRunOptions["environment"] {
  return {
    tfjsVersion: tf.version_core,
    client: "web",
    ...(context.selection.adapter ? { adapter: context.selection.adapter.slice(0, 200) } : {}),
    userAgent: navigator.userAgent.slice(0, 400),
    // Two-moons runs report the backend the trainer used; the toy model reports the worker's plain CPU.
    ...(protocol.family === "toy-dynamics" ? { backend: context.selection.backend } : {}),
  };
}

/** The API client, with dataset downloads also shown to the page (the heat-map's points). */
function tappedApi(context: JobContext, known?: MoonsDatasetResponse): ApiClient {
  const api = createApiClient(context.origin);
  return {
    ...api,
    dataset: async (path, signal) => {
      const response = known ?? (await api.dataset(path, signal));
      const x = Float64Array.from(response.x.flat());
      const y = Uint8Array.from(response.y);
      context.post({ type: "data", x, y }, [x.buffer, y.buffer]);
      context.post({ type: "stage", stage: "training" });
      return response;
    },
  };
}

interface WorkunitJobOptions {
  readonly contributor?: string;
  /** Colored MNIST: the checkpoint to continue, and whether to post checkpoints (not for practice runs). */
  readonly cmnist?: CmnistJobOptions;
}

async function trainWorkunit(context: JobContext, api: ApiClient, workunit: Workunit, options: WorkunitJobOptions = {}): Promise<void> {
  const protocol = knownProtocol(workunit.protocolId);
  if (protocol.family === "toy-dynamics") context.post({ type: "stage", stage: "computing" });
  const run: WorkunitRun = await runWorkunit({
    api,
    workunit,
    environment: environment(context, protocol),
    ...(options.contributor ? { contributor: options.contributor } : {}),
    signal: context.signal,
    ...(protocol.family === "two-moons" ? { onProgress: progressReporter(context, protocol, true) } : {}),
    ...(protocol.family === "colored-mnist" ? cmnistRunOptions(context, options.cmnist ?? { checkpoints: false }) : {}),
  });
  // Copies, so that transferring them can never detach memory a tfjs backend still uses.
  const weights = Float32Array.from(run.weights);
  const checkpoints = run.checkpoints ? Float32Array.from(run.checkpoints) : null;
  const grid = run.evaluation ? Float32Array.from(run.evaluation.grid) : null;
  const verdict = run.localVerdict;
  context.post(
    {
      type: "done",
      run: {
        meta: run.meta,
        weights,
        checkpoints,
        metrics: run.evaluation ? { ...run.evaluation.metrics } : { ...run.meta.claimed },
        grid,
        localVerdict: { status: verdict.status, reason: verdict.status === "rejected" ? verdict.reason : null, message: verdict.message },
        ...(run.cmnistResult ? { historySteps: [...run.cmnistResult.historySteps] } : {}),
      },
    },
    [weights.buffer, ...(grid ? [grid.buffer] : []), ...(checkpoints ? [checkpoints.buffer] : [])],
  );
}

/** A practice run: the same work as a workunit, under a placeholder token the server would refuse. */
async function practice(context: JobContext, protocolId: string, seed: number): Promise<void> {
  const protocol = knownProtocol(protocolId);
  const base = {
    workunitId: "practice",
    token: PRACTICE_TOKEN,
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  };
  if (protocol.family === "toy-dynamics") return trainWorkunit(context, createApiClient(context.origin), { ...base, datasetUrl: null, datasetDigest: null });
  if (protocol.family === "colored-mnist") {
    const workunit = { ...base, datasetUrl: MNIST_PACK_MANIFEST.path, datasetDigest: MNIST_PACK_MANIFEST.sha256 };
    return trainWorkunit(context, createApiClient(context.origin), workunit, { cmnist: { checkpoints: false } });
  }
  const path = moonsDatasetPath(seed, protocol.data);
  const response = await createApiClient(context.origin).dataset(path);
  return trainWorkunit(context, tappedApi(context, response), { ...base, datasetUrl: path, datasetDigest: response.digest });
}

/** A replay workunit: the segment trained from the run's checkpoint on this backend, its end sent to the server to judge. */
async function replayForPeer(context: JobContext, workunit: ReplayWorkunit): Promise<void> {
  const protocol = knownProtocol(workunit.protocolId);
  // Two-moons: progress with the live boundary; Colored MNIST: the pack (cached or downloaded), its chunk size and progress.
  const cmnist = protocol.family === "colored-mnist" ? cmnistRunOptions(context, { checkpoints: false }) : null;
  const { outcome, trainMs, backend } = await runReplayWorkunit({
    api: tappedApi(context),
    workunit,
    environment: environment(context, protocol),
    signal: context.signal,
    ...(protocol.family === "two-moons" ? { onProgress: progressReporter(context, protocol, true) } : {}),
    ...(cmnist
      ? {
          loadMnistPack: cmnist.loadMnistPack!,
          ...(cmnist.cmnistTraining?.chunkSize ? { cmnistChunkSize: cmnist.cmnistTraining.chunkSize } : {}),
          ...(cmnist.cmnistTraining?.onProgress ? { onCmnistProgress: cmnist.cmnistTraining.onProgress } : {}),
        }
      : {}),
  });
  context.post({ type: "peer-replay-done", outcome, trainMs, backend });
}

export async function runJob(context: JobContext, job: TrainJob): Promise<void> {
  context.post({ type: "stage", stage: "data" });
  switch (job.kind) {
    case "workunit":
      return trainWorkunit(context, tappedApi(context), job.workunit, {
        ...(job.contributor ? { contributor: job.contributor } : {}),
        cmnist: { checkpoints: true, ...(job.resumeFrom ? { resumeFrom: job.resumeFrom } : {}) },
      });
    case "practice":
      return practice(context, job.protocolId, job.seed);
    case "peer-replay":
      return replayForPeer(context, job.workunit);
    case "estimate":
      return estimate(context, knownMoonsProtocol(job.protocolId));
    case "bench":
      return benchmark(context, knownMoonsProtocol(job.protocolId), job.seed, job.steps);
    case "bench-compare":
      return compareBatched(context, knownMoonsProtocol(job.protocolId), job.seeds, job.steps);
    case "bench-replay-train":
      return trainReplayRuns(context, knownMoonsProtocol(job.protocolId), job.seeds);
    case "bench-replay":
      return replayRunSegments(context, knownMoonsProtocol(job.protocolId), job.runs, job.segments);
    case "bench-suite":
      return benchSuite(context, job.workunit);
  }
}
