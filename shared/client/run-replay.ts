// A replay workunit carried out on the client (shared/metrics/peer-replay.ts): fetch and check the run's data,
// start from the seed's initial weights or the run's checkpoint, train the segment on this machine's backend,
// and send back where it ended; the server compares that with the run's own checkpoint.
import type { Environment, ReplayOutcome, ReplayWorkunit } from "../api";
import { checkpointLayout } from "../metrics/trajectory";
import { trainSegment, type SegmentStart, type TrainProgress } from "../nn/train";
import { isMoons } from "../protocols/families";
import { findProtocol } from "../protocols/registry";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import type { MoonsProtocol } from "../protocols/types";
import type { ApiClient } from "./api-client";
import { workunitData } from "./run-workunit";

export interface ReplayRunOptions {
  readonly api: ApiClient;
  readonly workunit: ReplayWorkunit;
  /** The client's environment; the backend is the one that trained (filled in from the result). */
  readonly environment: Omit<Environment, "backend">;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainProgress) => void | Promise<void>;
}

export interface ReplayRun {
  readonly outcome: ReplayOutcome;
  readonly trainMs: number;
  readonly backend: string;
}

/** The peer-replayed protocol a replay workunit names, if this client knows that exact version. */
export function replayProtocol(workunit: ReplayWorkunit): MoonsProtocol {
  const protocol = findProtocol(workunit.protocolId);
  if (!protocol || !isMoons(protocol) || protocol.version !== workunit.protocolVersion || !checkpointLayout(protocol)) {
    throw new Error(`This client cannot replay ${workunit.protocolId} v${workunit.protocolVersion}; reload to update it.`);
  }
  return protocol;
}

/** Where the segment starts: the seed's initial weights (segment 0) or the run's checkpoint, split into weights and optimiser state. */
async function segmentStart(api: ApiClient, protocol: MoonsProtocol, workunit: ReplayWorkunit, signal?: AbortSignal): Promise<SegmentStart> {
  if (!workunit.startUrl) return { step: workunit.from, weights: twoMoonsFamily.initialWeights(protocol, workunit.seed), optimizerState: null };
  const layout = checkpointLayout(protocol)!;
  const values = await api.replayStart(workunit, signal);
  if (values.length !== layout.size) throw new Error(`The run's checkpoint has ${values.length} values; ${protocol.id} needs ${layout.size}.`);
  return { step: workunit.from, weights: values.subarray(0, layout.weights), optimizerState: values.subarray(layout.weights) };
}

export async function runReplayWorkunit(options: ReplayRunOptions): Promise<ReplayRun> {
  const { api, workunit, signal } = options;
  const protocol = replayProtocol(workunit);
  const layout = checkpointLayout(protocol)!;
  const data = await workunitData(api, workunit, signal);
  const start = await segmentStart(api, protocol, workunit, signal);
  const result = await trainSegment({
    lane: { protocol, seed: workunit.seed, data },
    start,
    to: workunit.to,
    stateSize: layout.optimizerState,
    ...(signal ? { signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
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
