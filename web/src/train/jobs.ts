// What the training worker does for each kind of job: a server workunit (train, evaluate, check locally),
// a practice run of a chosen seed (same, but never submittable) and the benchmark (train + replay check).
import * as tf from "@tensorflow/tfjs-core";
import type { Environment, MoonsDatasetResponse, Workunit } from "../../../shared/api";
import { createApiClient, type ApiClient } from "../../../shared/client/api-client";
import { runWorkunit, type WorkunitRun } from "../../../shared/client/run-workunit";
import { moonsDatasetPath } from "../../../shared/data/moons-url";
import { REPLAY_TOLERANCE, withinTolerance } from "../../../shared/metrics/compare";
import { trainMoons, type TrainProgress } from "../../../shared/nn/train";
import { familyOf } from "../../../shared/protocols/families";
import { findProtocol } from "../../../shared/protocols/registry";
import type { Protocol } from "../../../shared/protocols/types";
import type { BackendSelection } from "./backend-choice";
import { liveGrid } from "./live-grid";
import type { BenchResult, FromWorker, TrainJob } from "./messages";

/** How often, at most, the worker sends a live grid (each costs a weight read-back and a CPU forward pass). */
export const LIVE_GRID_INTERVAL_MS = 300;
/** ...and never so often that drawing it costs more than about 1/8 of the training time. */
const LIVE_GRID_COST_SHARE = 8;
/** A practice run has no workunit; this placeholder token only satisfies the shape of a submission. */
const PRACTICE_TOKEN = "practice-run-without-a-workunit-00000000000";

export interface JobContext {
  readonly post: (message: FromWorker, transfer?: Transferable[]) => void;
  readonly signal: AbortSignal;
  readonly origin: string;
  readonly selection: BackendSelection;
}

function knownProtocol(id: string): Protocol {
  const protocol = findProtocol(id);
  if (!protocol) throw new Error(`This client does not know the protocol ${id}; reload the page to update it.`);
  return protocol;
}

/** Progress messages on every report, plus a live grid at most every LIVE_GRID_INTERVAL_MS. */
function progressReporter(context: JobContext, protocol: Protocol, withGrid: boolean): (progress: TrainProgress) => Promise<void> {
  let lastGrid = -Infinity;
  let interval = LIVE_GRID_INTERVAL_MS;
  return async (progress) => {
    const { step, steps, loss, stepsPerSecond, etaSeconds, elapsedMs } = progress;
    context.post({ type: "progress", step, steps, loss, stepsPerSecond, etaSeconds, elapsedMs });
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

function environment(context: JobContext): Omit<Environment, "backend"> {
  return {
    tfjsVersion: tf.version_core,
    client: "web",
    ...(context.selection.adapter ? { adapter: context.selection.adapter.slice(0, 200) } : {}),
    userAgent: navigator.userAgent.slice(0, 400),
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

async function trainWorkunit(context: JobContext, api: ApiClient, workunit: Workunit, contributor?: string): Promise<void> {
  const protocol = knownProtocol(workunit.protocolId);
  const run: WorkunitRun = await runWorkunit({
    api,
    workunit,
    environment: environment(context),
    ...(contributor ? { contributor } : {}),
    signal: context.signal,
    onProgress: progressReporter(context, protocol, true),
  });
  // Copies, so that transferring them can never detach memory a tfjs backend still uses.
  const weights = Float32Array.from(run.weights);
  const grid = Float32Array.from(run.evaluation.grid);
  const verdict = run.localVerdict;
  context.post(
    {
      type: "done",
      run: {
        meta: run.meta,
        weights,
        metrics: { ...run.evaluation.metrics },
        grid,
        localVerdict: { status: verdict.status, reason: verdict.status === "rejected" ? verdict.reason : null, message: verdict.message },
      },
    },
    [weights.buffer, grid.buffer],
  );
}

async function benchmark(context: JobContext, protocolId: string, seed: number, steps: number): Promise<void> {
  const protocol = knownProtocol(protocolId);
  const family = familyOf(protocol);
  const data = family.dataset(protocol, seed);
  context.post({ type: "stage", stage: "training" });
  const result = await trainMoons({
    protocol,
    data,
    initialWeights: family.initialWeights(protocol, seed),
    steps,
    signal: context.signal,
    onProgress: progressReporter(context, protocol, false),
  });
  context.post({ type: "stage", stage: "replaying" });
  const losses = [...result.firstLosses];
  const replay = Array.from(family.replayLosses(protocol, data, seed, losses.length));
  const maxAbsDiff = losses.reduce((max, loss, k) => Math.max(max, Math.abs(loss - replay[k]!)), 0);
  const bench: BenchResult = {
    protocolId,
    seed,
    backend: result.backend,
    adapter: context.selection.adapter,
    steps: result.steps,
    elapsedMs: result.elapsedMs,
    stepsPerSecond: (result.steps * 1000) / Math.max(result.elapsedMs, 1),
    losses,
    replay,
    maxAbsDiff,
    replayMatches: losses.length > 0 && losses.every((loss, k) => withinTolerance(loss, replay[k]!, REPLAY_TOLERANCE)),
    allFinite: [...result.firstLosses, ...result.lossHistory].every(Number.isFinite) && result.weights.every(Number.isFinite),
    tolerance: { ...REPLAY_TOLERANCE },
  };
  context.post({ type: "bench-done", result: bench });
}

export async function runJob(context: JobContext, job: TrainJob): Promise<void> {
  context.post({ type: "stage", stage: "data" });
  switch (job.kind) {
    case "workunit":
      return trainWorkunit(context, tappedApi(context), job.workunit, job.contributor);
    case "practice": {
      const protocol = knownProtocol(job.protocolId);
      const path = moonsDatasetPath(job.seed, protocol.data);
      const response = await createApiClient(context.origin).dataset(path);
      const practice: Workunit = {
        workunitId: "practice",
        token: PRACTICE_TOKEN,
        protocolId: protocol.id,
        protocolVersion: protocol.version,
        seed: job.seed,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        datasetUrl: path,
        datasetDigest: response.digest,
      };
      return trainWorkunit(context, tappedApi(context, response), practice);
    }
    case "bench":
      return benchmark(context, job.protocolId, job.seed, job.steps);
  }
}
