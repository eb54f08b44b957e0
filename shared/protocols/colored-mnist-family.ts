// The Colored-MNIST family behind the ExperimentFamily interface: its two accuracy metrics, the weight count of
// its 3-layer MLP, and the verifier's check of a submission (evidence shapes; the chain's own check —
// anchored at the seed's initial weights, within Adam's reach, each point's objective against the loss history
// (shared/metrics/cmnist-subsample.ts); then both accuracies recomputed from the weights by
// shared/metrics/cmnist-verify.ts). Both need the MNIST pack the caller supplies.
import type { RunMeta } from "../api";
import { checkCmnistChain } from "../metrics/cmnist-subsample";
import { CMNIST_ACCURACY_METRICS, cmnistHistorySteps, cryptoSubset, verifyCmnistRun } from "../metrics/cmnist-verify";
import { checkChainMoves, checkpointLayout, checkpointShape } from "../metrics/trajectory";
import { reject, type Verdict } from "../metrics/verdict";
import { cmnistInitialWeights, cmnistMlpSpec } from "../nn/cmnist-model";
import { mlpParamCount } from "../nn/mlp";
import type { CmnistProtocol } from "./colored-mnist";
import type { ExperimentFamily, VerifyResources } from "./families";

function verifyCmnist(protocol: CmnistProtocol, seed: number, meta: RunMeta, weights: Float32Array, resources: VerifyResources): Verdict {
  const { steps } = protocol.training;
  if (meta.timings.steps !== steps) return reject("evidence_shape", `The protocol trains for ${steps} steps, the submission reports ${meta.timings.steps}.`);
  if (meta.firstLosses.length) return reject("evidence_shape", "Colored-MNIST runs report no first losses (the server checks accuracies, not a replay): firstLosses must be empty.");
  if (meta.series && Object.keys(meta.series).length) return reject("evidence_shape", "Colored-MNIST runs report no series.");
  if (!resources.mnistPack) throw new Error("Colored-MNIST verification needs the MNIST pack: load it before verifying (needsMnistPack).");
  // Trajectory checkpoints: their number, size and finiteness; that the chain moves (one cheap pass); then the
  // chain's own check (anchored, within Adam's reach, objectives against the history); every segment is replayed by peers.
  const layout = checkpointLayout(protocol);
  const subset = resources.cmnistSubset ?? cryptoSubset();
  if (layout) {
    const checkpoints = resources.trajectory?.checkpoints ?? null;
    const shapeProblem = checkpointShape(layout, checkpoints);
    if (shapeProblem || !checkpoints) return shapeProblem ?? reject("evidence_shape", "No trajectory checkpoints.");
    // The chain's own check needs a well-formed history and weights: verifyCmnistRun's reasons for those come first.
    const expected = cmnistHistorySteps(steps, protocol.evidence.historyEvery).length;
    const wellFormed =
      weights.length === layout.weights && weights.every(Number.isFinite) && meta.lossHistory.length === expected && meta.lossHistory.every((l) => Number.isFinite(l) && l >= 0);
    if (wellFormed) {
      // One cheap pass first: a chain that does not move (a checkpoint the initial or final weights, two alike,
      // Adam's moments zero or unchanged) is refused before any forward pass.
      const still = checkChainMoves(protocol, cmnistInitialWeights(cmnistMlpSpec(protocol.model), seed), weights, checkpoints);
      if (still) return still;
      const chain = checkCmnistChain({ protocol, seed, layout, checkpoints, finalWeights: weights, lossHistory: meta.lossHistory, pack: resources.mnistPack, draw: subset.draw });
      if ("status" in chain) return chain;
    }
  }
  const verdict = verifyCmnistRun({
    protocol,
    seed,
    weights,
    claims: meta.claimed,
    lossHistory: meta.lossHistory,
    pack: resources.mnistPack,
    subset,
  });
  if (!layout || verdict.status !== "accepted") return verdict;
  const segmentCount = layout.steps.length + 1;
  return { ...verdict, message: `${verdict.message} Its ${segmentCount} trajectory segments go to other contributors to replay; the run counts as replayed once they agree.`, trajectory: { segments: [], segmentCount, deviation: 0 } };
}

export const coloredMnistFamily: ExperimentFamily<CmnistProtocol> = {
  metrics: () => CMNIST_ACCURACY_METRICS,
  paramCount: (protocol) => mlpParamCount(cmnistMlpSpec(protocol.model)),
  verify: verifyCmnist,
};
