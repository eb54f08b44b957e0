// The forger's toolkit for the end-to-end adversary test: submissions built with the project's own shared code,
// as a motivated attacker would build them — honest where the server is known to look, invented elsewhere.
import type { RunMeta, Workunit } from "../../shared/api";
import { cmnistRestartData } from "../../shared/data/colored-mnist";
import { decodeMnistPack, type MnistPack } from "../../shared/data/mnist-pack";
import { MNIST_PACK_MANIFEST } from "../../shared/data/mnist-pack-manifest";
import type { MoonsData } from "../../shared/data/moons";
import { cmnistRunAccuracies } from "../../shared/metrics/cmnist-forward";
import { cmnistHistorySteps } from "../../shared/metrics/cmnist-verify";
import { replaySegment, trainingLoss, type TrainingState } from "../../shared/metrics/replay";
import { checkpointLayout } from "../../shared/metrics/trajectory";
import { evaluateMoons } from "../../shared/metrics/two-moons";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import type { CmnistProtocol } from "../../shared/protocols/colored-mnist";
import { historySteps } from "../../shared/protocols/evidence";
import { findProtocol, moonsProtocol } from "../../shared/protocols/registry";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import type { MoonsProtocol } from "../../shared/protocols/types";

export interface Forgery {
  readonly meta: RunMeta;
  readonly weights: Float32Array;
  readonly checkpoints: Float32Array | null;
}

const ENVIRONMENT = { backend: "wasm", tfjsVersion: "4.22.0", client: "cli", userAgent: "forger" } as const;

/** The state after `steps` honest steps from `start` (the server's own float64 recipe), with the loss before each step. */
function advance(protocol: MoonsProtocol, data: MoonsData, seed: number, start: TrainingState, steps: number) {
  const out = replaySegment(protocol, data, seed, start, steps);
  return { state: { step: start.step + steps, weights: Float32Array.from(out.weights), optimizerState: Float32Array.from(out.optimizerState) }, losses: out.losses };
}

/**
 * A two-moons chain whose link into checkpoint `breakAt` (0 = the first checkpoint) is broken: honest from the
 * seed's initial weights up to that checkpoint's segment, then a jump to `jumpTo` (another seed's initial
 * weights: the attacker's choice) and the honest recipe from there, with every loss in the history true to
 * whichever trajectory it describes. `breakAt` = the segment count − 1 breaks the link into the final weights.
 */
export function splicedMoons(workunit: Workunit, contributorKey: string, breakAt: number, jumpSeed: number): Forgery {
  const protocol = moonsProtocol(workunit.protocolId);
  const { seed } = workunit;
  const data = twoMoonsFamily.dataset(protocol, seed);
  const layout = checkpointLayout(protocol)!;
  const every = protocol.evidence.checkpointEvery!;
  const steps = protocol.training.steps;
  const lossAt = new Float64Array(steps + 1);
  let state: TrainingState = { step: 0, weights: twoMoonsFamily.initialWeights(protocol, seed), optimizerState: null };
  const checkpoints = new Float32Array(layout.steps.length * layout.size);
  for (let segment = 0; segment * every < steps; segment++) {
    const to = Math.min(steps, (segment + 1) * every);
    if (segment === breakAt) state = { step: state.step, weights: twoMoonsFamily.initialWeights(protocol, jumpSeed), optimizerState: null };
    const { state: next, losses } = advance(protocol, data, seed, state, to - state.step);
    losses.forEach((loss, k) => (lossAt[state.step + k] = loss));
    state = next;
    if (to < steps) {
      checkpoints.set(next.weights, segment * layout.size);
      checkpoints.set(next.optimizerState, segment * layout.size + layout.weights);
    }
  }
  const weights = state.weights as Float32Array;
  lossAt[steps] = trainingLoss(protocol, data, seed, weights, steps);
  return moonsForgery(protocol, workunit, contributorKey, data, weights, checkpoints, lossAt);
}

/** A never-trained chain: 20 honest steps, then the same weights and optimiser state at every checkpoint and as the final weights. */
export function frozenMoons(workunit: Workunit, contributorKey: string): Forgery {
  const protocol = moonsProtocol(workunit.protocolId);
  const data = twoMoonsFamily.dataset(protocol, workunit.seed);
  const layout = checkpointLayout(protocol)!;
  const first = protocol.evidence.replaySteps;
  const { state, losses } = advance(protocol, data, workunit.seed, { step: 0, weights: twoMoonsFamily.initialWeights(protocol, workunit.seed), optimizerState: null }, first);
  const checkpoints = new Float32Array(layout.steps.length * layout.size);
  for (let k = 0; k < layout.steps.length; k++) {
    checkpoints.set(state.weights, k * layout.size);
    checkpoints.set(state.optimizerState, k * layout.size + layout.weights);
  }
  const frozenLoss = trainingLoss(protocol, data, workunit.seed, state.weights, first);
  const lossAt = Float64Array.from({ length: protocol.training.steps + 1 }, (_, step) => (step < first ? losses[step]! : frozenLoss));
  return moonsForgery(protocol, workunit, contributorKey, data, state.weights, checkpoints, lossAt);
}

function moonsForgery(protocol: MoonsProtocol, workunit: Workunit, contributorKey: string, data: MoonsData, weights: Float32Array, checkpoints: Float32Array, lossAt: Float64Array): Forgery {
  const evidence = {
    claimed: evaluateMoons(protocol, data, weights).metrics,
    firstLosses: Array.from(lossAt.subarray(0, protocol.evidence.replaySteps)),
    lossHistory: historySteps(protocol.training.steps, protocol.evidence.historyEvery).map((step) => lossAt[step]!),
  };
  return { meta: forgerMeta(protocol, workunit, contributorKey, evidence), weights, checkpoints };
}

/** The forger's meta for a workunit: its own claims and evidence, the rest as a CLI client sends it. */
function forgerMeta(protocol: MoonsProtocol | CmnistProtocol, workunit: Workunit, contributorKey: string, evidence: Pick<RunMeta, "claimed" | "firstLosses" | "lossHistory">): RunMeta {
  return {
    token: workunit.token,
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed: workunit.seed,
    contributor: "forger",
    contributorKey,
    ...evidence,
    environment: ENVIRONMENT,
    timings: { trainMs: 4000, steps: protocol.training.steps },
  };
}

export async function fetchMnistPack(baseURL: string): Promise<MnistPack> {
  const response = await fetch(`${baseURL}${MNIST_PACK_MANIFEST.path}`);
  return decodeMnistPack(new Uint8Array(await response.arrayBuffer()));
}

/** A never-trained Colored-MNIST run: the restart's initial weights everywhere, their true accuracies, an invented decreasing loss curve. */
export function frozenCmnist(workunit: Workunit, contributorKey: string, pack: MnistPack): Forgery {
  const protocol = findProtocol(workunit.protocolId) as CmnistProtocol;
  const weights = cmnistInitialWeights(cmnistMlpSpec(protocol.model), workunit.seed);
  const layout = checkpointLayout(protocol)!;
  const checkpoints = new Float32Array(layout.steps.length * layout.size);
  for (let k = 0; k < layout.steps.length; k++) checkpoints.set(weights, k * layout.size);
  const { steps } = protocol.training;
  const evidence = {
    claimed: { ...cmnistRunAccuracies(protocol.model, weights, cmnistRestartData(pack, workunit.seed, protocol.data.examplesPerEnv)) },
    firstLosses: [],
    lossHistory: cmnistHistorySteps(steps, protocol.evidence.historyEvery).map((t) => 0.7 - t / (10 * steps)),
  };
  return { meta: forgerMeta(protocol, workunit, contributorKey, evidence), weights, checkpoints };
}

/** The multipart body of a forgery, as the clients send it. */
export function forgeryForm(forgery: Forgery): FormData {
  const form = new FormData();
  form.set("meta", JSON.stringify(forgery.meta));
  form.set("weights", new Blob([encodeFloat32(forgery.weights)], { type: "application/octet-stream" }), "weights.f32");
  if (forgery.checkpoints) form.set("checkpoints", new Blob([encodeFloat32(forgery.checkpoints)], { type: "application/octet-stream" }), "checkpoints.f32");
  return form;
}
