// A workunit carried out on the client: for two-moons, fetch and check the data, train from the seeded
// initial weights, recompute the metrics (and NTK features where the protocol records them); for the toy
// model, compute its trajectories; for Colored MNIST, build the restart's environments from the MNIST pack,
// train full batch and measure both accuracies in float64. Then assemble the submission and check it with
// the server's own verifier.
import type { Environment, RunMeta, Workunit } from "../api";
import { cmnistRestartData } from "../data/colored-mnist";
import type { MnistPack } from "../data/mnist-pack";
import { MNIST_PACK_MANIFEST } from "../data/mnist-pack-manifest";
import { cmnistRunAccuracies } from "../metrics/cmnist-forward";
import { cmnistInitialWeights, cmnistMlpSpec } from "../nn/cmnist-model";
import { trainCmnist, type CmnistTrainRequest, type CmnistTrainResult } from "../nn/cmnist-train";
import type { CmnistProtocol } from "../protocols/colored-mnist";
import { ntkSeries, NTK_SERIES } from "../metrics/ntk-evidence";
import type { MoonsEvaluation } from "../metrics/two-moons";
import { verifySubmission, type Verdict } from "../metrics/verify-run";
import { encodeFloat32 } from "../nn/float32-codec";
import { trainMoons, type TrainProgress, type TrainResult } from "../nn/train";
import { replaySegments } from "../metrics/trajectory";
import { trajectorySegments } from "../protocols/evidence";
import { isMoons } from "../protocols/families";
import { findProtocol } from "../protocols/registry";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import type { MoonsData } from "../data/moons";
import type { MoonsProtocol, Protocol, ToyProtocol } from "../protocols/types";
import { toyRunEvidence } from "../toy/family";
import type { ApiClient } from "./api-client";
import { checkedMoons } from "./dataset";

export interface WorkunitRun {
  readonly meta: RunMeta;
  /** Final weights (empty for families without weights). */
  readonly weights: Float32Array;
  /** Two-moons trajectory checkpoints, sent as the submission's 'checkpoints' part; null when the protocol takes none. */
  readonly checkpoints: Float32Array | null;
  /** The two-moons training result and evaluation; null for the toy model. */
  readonly result: TrainResult | null;
  readonly evaluation: MoonsEvaluation | null;
  /** The Colored-MNIST training result (loss and accuracy history); absent for other families. */
  readonly cmnistResult?: CmnistTrainResult;
  /** What the server's verifier will say, computed locally before anything is sent. */
  readonly localVerdict: Verdict;
}

/** Trainer options a Colored-MNIST caller may set (chunking, progress, cancellation, ...): passed to trainCmnist as they are. */
export type CmnistTrainingOptions = Partial<Omit<CmnistTrainRequest, "protocol" | "envs" | "initialWeights">>;

export interface WorkunitRunOptions {
  readonly api: ApiClient;
  readonly workunit: Workunit;
  /** The backend is added from the trainer's result (two-moons) or must be given (toy: no tfjs involved). */
  readonly environment: Omit<Environment, "backend"> & { readonly backend?: Environment["backend"] };
  readonly contributor?: string;
  /** The contributor's secret key (their identity for the quorum); the server stores only its hash. */
  readonly contributorKey?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainProgress) => void | Promise<void>;
  /** Colored MNIST: the MNIST pack, downloaded and checked by the caller (the workunit names its SHA-256). */
  readonly loadMnistPack?: () => Promise<MnistPack>;
  /** Colored MNIST: trainer options (the workunit's signal is added unless these set one). */
  readonly cmnistTraining?: CmnistTrainingOptions;
}

/** The protocol a workunit names, if this client knows that exact version. */
export function workunitProtocol(workunit: Workunit): Protocol {
  const protocol = findProtocol(workunit.protocolId);
  if (!protocol || protocol.version !== workunit.protocolVersion) {
    throw new Error(`This client does not know ${workunit.protocolId} v${workunit.protocolVersion}; reload to update it.`);
  }
  return protocol;
}

export async function runWorkunit(options: WorkunitRunOptions): Promise<WorkunitRun> {
  const protocol = workunitProtocol(options.workunit);
  switch (protocol.family) {
    case "two-moons":
      return runMoons(protocol, options);
    case "toy-dynamics":
      return runToy(protocol, options);
    case "colored-mnist":
      return runCmnist(protocol, options);
  }
}

const baseMeta = (protocol: Protocol, options: Pick<WorkunitRunOptions, "workunit" | "contributor" | "contributorKey">) => ({
  token: options.workunit.token,
  protocolId: protocol.id,
  protocolVersion: protocol.version,
  seed: options.workunit.seed,
  ...(options.contributor ? { contributor: options.contributor } : {}),
  ...(options.contributorKey ? { contributorKey: options.contributorKey } : {}),
});

/** Segments the local check replays: the last one and one other at random, as the server draws its own after the upload. */
const LOCAL_SEGMENTS = 2;

function finish(protocol: Protocol, seed: number, meta: RunMeta, weights: Float32Array, result: TrainResult | null, evaluation: MoonsEvaluation | null): WorkunitRun {
  const checkpoints = result?.checkpoints ?? null;
  const every = isMoons(protocol) ? protocol.evidence.checkpointEvery : undefined;
  const segments =
    every === undefined ? [] : replaySegments(LOCAL_SEGMENTS, trajectorySegments(meta.timings.steps, every).length, crypto.getRandomValues(new Uint8Array(4 * LOCAL_SEGMENTS)));
  const localVerdict = verifySubmission({ protocol, seed }, meta, encodeFloat32(weights), every === undefined ? {} : { trajectory: { checkpoints, segments } });
  return { meta, weights, checkpoints, result, evaluation, localVerdict };
}

async function runCmnist(protocol: CmnistProtocol, options: WorkunitRunOptions): Promise<WorkunitRun> {
  const { workunit } = options;
  if (workunit.datasetDigest !== MNIST_PACK_MANIFEST.sha256) {
    throw new Error(`This workunit needs the MNIST pack ${workunit.datasetDigest?.slice(0, 16) ?? "(none)"}…, this client has ${MNIST_PACK_MANIFEST.sha256.slice(0, 16)}…; reload to update.`);
  }
  if (!options.loadMnistPack) throw new Error("A Colored-MNIST workunit needs the MNIST pack: pass loadMnistPack.");
  const pack = await options.loadMnistPack();
  const data = cmnistRestartData(pack, workunit.seed, protocol.data.examplesPerEnv);
  const result = await trainCmnist({
    ...(options.signal ? { signal: options.signal } : {}),
    ...options.cmnistTraining,
    protocol,
    envs: data.train,
    initialWeights: cmnistInitialWeights(cmnistMlpSpec(protocol.model), workunit.seed),
  });
  const claimed = cmnistRunAccuracies(protocol.model, result.weights, data);
  const meta: RunMeta = {
    ...baseMeta(protocol, options),
    claimed,
    firstLosses: [],
    lossHistory: result.lossHistory,
    environment: { ...options.environment, backend: result.backend as Environment["backend"] },
    timings: { trainMs: result.elapsedMs, steps: result.steps },
  };
  const localVerdict = verifySubmission({ protocol, seed: workunit.seed }, meta, encodeFloat32(result.weights), {
    mnistPack: pack,
    trajectory: { checkpoints: result.checkpoints, segments: [] },
  });
  return { meta, weights: result.weights, checkpoints: result.checkpoints, result: null, evaluation: null, cmnistResult: result, localVerdict };
}

async function runMoons(protocol: MoonsProtocol, options: WorkunitRunOptions): Promise<WorkunitRun> {
  const data = await workunitData(options.api, options.workunit, options.signal);
  const initialWeights = twoMoonsFamily.initialWeights(protocol, options.workunit.seed);
  const result = await trainMoons({ protocol, seed: options.workunit.seed, data, initialWeights, signal: options.signal, onProgress: options.onProgress });
  return moonsRunFromResult(protocol, options, data, initialWeights, result);
}

/** A two-moons workunit's (or replay workunit's) data, downloaded and checked against the workunit's SHA-256. */
export async function workunitData(api: ApiClient, workunit: Pick<Workunit, "datasetUrl" | "datasetDigest">, signal?: AbortSignal): Promise<MoonsData> {
  if (!workunit.datasetUrl || !workunit.datasetDigest) throw new Error("This two-moons workunit names no dataset.");
  return checkedMoons(await api.dataset(workunit.datasetUrl, signal), workunit.datasetDigest);
}

/** The submission for a trained two-moons run (used for single runs and for each lane of a batch). */
export function moonsRunFromResult(
  protocol: MoonsProtocol,
  options: Pick<WorkunitRunOptions, "workunit" | "environment" | "contributor" | "contributorKey">,
  data: MoonsData,
  initialWeights: Float32Array,
  result: TrainResult,
): WorkunitRun {
  const evaluation = twoMoonsFamily.evaluate(protocol, data, result.weights);
  const meta: RunMeta = {
    ...baseMeta(protocol, options),
    claimed: { ...evaluation.metrics },
    firstLosses: result.firstLosses,
    lossHistory: result.lossHistory,
    ...(result.outputs ? { series: { [NTK_SERIES]: ntkSeries(initialWeights, data, result.outputs.values) } } : {}),
    environment: { ...options.environment, backend: result.backend as Environment["backend"] },
    timings: { trainMs: result.elapsedMs, steps: result.steps },
  };
  return finish(protocol, options.workunit.seed, meta, result.weights, result, evaluation);
}

async function runToy(protocol: ToyProtocol, options: WorkunitRunOptions): Promise<WorkunitRun> {
  const started = Date.now();
  const evidence = toyRunEvidence(protocol);
  const meta: RunMeta = {
    ...baseMeta(protocol, options),
    claimed: evidence.claimed,
    firstLosses: [],
    lossHistory: [],
    series: evidence.series,
    environment: { ...options.environment, backend: options.environment.backend ?? "cpu" },
    timings: { trainMs: Date.now() - started, steps: protocol.toy.steps },
  };
  return finish(protocol, options.workunit.seed, meta, new Float32Array(0), null, null);
}
