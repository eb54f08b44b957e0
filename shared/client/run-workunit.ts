// A workunit carried out on the client: fetch and check the data, train from the seeded initial weights,
// recompute the metrics, and assemble the submission — then check it with the server's own verifier.
import type { Environment, RunMeta, Workunit } from "../api";
import type { ApiClient } from "./api-client";
import { checkedMoons } from "./dataset";
import { verifySubmission, type Verdict } from "../metrics/verify-run";
import { encodeFloat32 } from "../nn/float32-codec";
import { trainMoons, type TrainProgress, type TrainResult } from "../nn/train";
import { familyOf, type FamilyEvaluation } from "../protocols/families";
import { findProtocol } from "../protocols/registry";

export interface WorkunitRun {
  readonly meta: RunMeta;
  readonly weights: Float32Array;
  readonly result: TrainResult;
  readonly evaluation: FamilyEvaluation;
  /** What the server's verifier will say, computed locally before anything is sent. */
  readonly localVerdict: Verdict;
}

export interface WorkunitRunOptions {
  readonly api: ApiClient;
  readonly workunit: Workunit;
  readonly environment: Omit<Environment, "backend">;
  readonly contributor?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainProgress) => void | Promise<void>;
}

export async function runWorkunit(options: WorkunitRunOptions): Promise<WorkunitRun> {
  const { api, workunit } = options;
  const protocol = findProtocol(workunit.protocolId);
  if (!protocol || protocol.version !== workunit.protocolVersion) {
    throw new Error(`This client does not know ${workunit.protocolId} v${workunit.protocolVersion}; reload to update it.`);
  }
  const family = familyOf(protocol);
  const data = await checkedMoons(await api.dataset(workunit.datasetUrl, options.signal), workunit.datasetDigest);
  const result = await trainMoons({
    protocol,
    data,
    initialWeights: family.initialWeights(protocol, workunit.seed),
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const evaluation = family.evaluate(protocol, data, result.weights);
  const meta: RunMeta = {
    token: workunit.token,
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed: workunit.seed,
    ...(options.contributor ? { contributor: options.contributor } : {}),
    claimed: { ...evaluation.metrics },
    firstLosses: result.firstLosses,
    lossHistory: result.lossHistory,
    environment: { ...options.environment, backend: result.backend as Environment["backend"] },
    timings: { trainMs: result.elapsedMs, steps: result.steps },
  };
  const localVerdict = verifySubmission({ protocol, seed: workunit.seed }, meta, encodeFloat32(result.weights));
  return { meta, weights: result.weights, result, evaluation, localVerdict };
}
