// A replay workunit carried out on the client (shared/metrics/peer-replay.ts): fetch and check the run's data
// (the seed's moons, or the MNIST pack's restart), start from the seed's initial weights or the run's
// checkpoint, train the segment on this machine's backend, and send back where it ended; the server compares
// that with the run's own checkpoint.
import type { Environment, ReplayOutcome, ReplayWorkunit } from "../api";
import { cmnistRestartData } from "../data/colored-mnist";
import type { MnistPack } from "../data/mnist-pack";
import { MNIST_PACK_MANIFEST } from "../data/mnist-pack-manifest";
import { isPeerReplayed, trajectoryInitialWeights } from "../metrics/peer-replay";
import type { TrajectoryProtocol } from "../metrics/replay";
import { checkpointLayout } from "../metrics/trajectory";
import { trainCmnistSegment, type CmnistTrainProgress } from "../nn/cmnist-train";
import { trainSegment, type SegmentStart, type TrainProgress } from "../nn/train";
import { findProtocol } from "../protocols/registry";
import type { ApiClient } from "./api-client";
import { workunitData } from "./run-workunit";

export interface ReplayRunOptions {
  readonly api: ApiClient;
  readonly workunit: ReplayWorkunit;
  /** The client's environment; the backend is the one that trained (filled in from the result). */
  readonly environment: Omit<Environment, "backend">;
  readonly signal?: AbortSignal;
  /** Two-moons progress (with its weight read-back for a live boundary). */
  readonly onProgress?: (progress: TrainProgress) => void | Promise<void>;
  /** Colored MNIST: the MNIST pack (required), the trainer's chunk size and its progress. */
  readonly loadMnistPack?: () => Promise<MnistPack>;
  readonly cmnistChunkSize?: number;
  readonly onCmnistProgress?: (progress: CmnistTrainProgress) => void | Promise<void>;
}

export interface ReplayRun {
  readonly outcome: ReplayOutcome;
  readonly trainMs: number;
  readonly backend: string;
}

/** The peer-replayed protocol a replay workunit names, if this client knows that exact version. */
export function replayProtocol(workunit: ReplayWorkunit): TrajectoryProtocol {
  const protocol = findProtocol(workunit.protocolId);
  if (!protocol || protocol.version !== workunit.protocolVersion || !isPeerReplayed(protocol)) {
    throw new Error(`This client cannot replay ${workunit.protocolId} v${workunit.protocolVersion}; reload to update it.`);
  }
  return protocol;
}

/** Where the segment starts: the seed's initial weights (segment 0) or the run's checkpoint, split into weights and optimiser state. */
async function segmentStart(api: ApiClient, protocol: TrajectoryProtocol, workunit: ReplayWorkunit, signal?: AbortSignal): Promise<SegmentStart> {
  if (!workunit.startUrl) return { step: workunit.from, weights: trajectoryInitialWeights(protocol, workunit.seed), optimizerState: null };
  const layout = checkpointLayout(protocol)!;
  const values = await api.replayStart(workunit, signal);
  if (values.length !== layout.size) throw new Error(`The run's checkpoint has ${values.length} values; ${protocol.id} needs ${layout.size}.`);
  return { step: workunit.from, weights: values.subarray(0, layout.weights), optimizerState: values.subarray(layout.weights) };
}

/** The segment trained on this machine: the weights and optimiser state it ends with. */
async function trainReplaySegment(options: ReplayRunOptions, protocol: TrajectoryProtocol, start: SegmentStart) {
  const { api, workunit, signal } = options;
  const common = { ...(signal ? { signal } : {}) };
  if (protocol.family === "two-moons") {
    const data = await workunitData(api, workunit, signal);
    return trainSegment({
      lane: { protocol, seed: workunit.seed, data },
      start,
      to: workunit.to,
      stateSize: checkpointLayout(protocol)!.optimizerState,
      ...common,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }
  if (workunit.datasetDigest !== MNIST_PACK_MANIFEST.sha256) throw new Error("This replay needs another MNIST pack than this client's; reload to update.");
  if (!options.loadMnistPack) throw new Error("A Colored-MNIST replay needs the MNIST pack: pass loadMnistPack.");
  const data = cmnistRestartData(await options.loadMnistPack(), workunit.seed, protocol.data.examplesPerEnv);
  return trainCmnistSegment({
    protocol,
    envs: data.train,
    start,
    to: workunit.to,
    ...common,
    ...(options.cmnistChunkSize ? { chunkSize: options.cmnistChunkSize } : {}),
    ...(options.onCmnistProgress ? { onProgress: options.onCmnistProgress } : {}),
  });
}

export async function runReplayWorkunit(options: ReplayRunOptions): Promise<ReplayRun> {
  const { api, workunit, signal } = options;
  const protocol = replayProtocol(workunit);
  const layout = checkpointLayout(protocol)!;
  const start = await segmentStart(api, protocol, workunit, signal);
  const result = await trainReplaySegment(options, protocol, start);
  const state = new Float32Array(layout.size);
  state.set(result.weights, 0);
  state.set(result.optimizerState, layout.weights);
  const outcome = await api.submitReplay(
    workunit,
    { environment: { ...options.environment, backend: result.backend as Environment["backend"] }, timings: { trainMs: result.elapsedMs, steps: workunit.to - workunit.from } },
    state,
  );
  return { outcome, trainMs: result.elapsedMs, backend: result.backend };
}
