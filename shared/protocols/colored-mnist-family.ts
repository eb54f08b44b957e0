// The Colored-MNIST family behind the ExperimentFamily interface: its two accuracy metrics, the weight count of
// its 3-layer MLP, and the verifier's check of a submission (evidence shapes, then both accuracies recomputed
// from the weights by shared/metrics/cmnist-verify.ts, which needs the MNIST pack the caller supplies).
import type { RunMeta } from "../api";
import { CMNIST_ACCURACY_METRICS, cryptoSubset, verifyCmnistRun } from "../metrics/cmnist-verify";
import { checkpointLayout, checkpointShape } from "../metrics/trajectory";
import { reject, type Verdict } from "../metrics/verdict";
import { cmnistMlpSpec } from "../nn/cmnist-model";
import { mlpParamCount } from "../nn/mlp";
import type { CmnistProtocol } from "./colored-mnist";
import type { ExperimentFamily, VerifyResources } from "./families";

function verifyCmnist(protocol: CmnistProtocol, seed: number, meta: RunMeta, weights: Float32Array, resources: VerifyResources): Verdict {
  const { steps } = protocol.training;
  if (meta.timings.steps !== steps) return reject("evidence_shape", `The protocol trains for ${steps} steps, the submission reports ${meta.timings.steps}.`);
  if (meta.firstLosses.length) return reject("evidence_shape", "Colored-MNIST runs report no first losses (the server checks accuracies, not a replay): firstLosses must be empty.");
  if (meta.series && Object.keys(meta.series).length) return reject("evidence_shape", "Colored-MNIST runs report no series.");
  if (!resources.mnistPack) throw new Error("Colored-MNIST verification needs the MNIST pack: load it before verifying (needsMnistPack).");
  // Trajectory checkpoints: their number, size and finiteness here; their segments are replayed by peers.
  const layout = checkpointLayout(protocol);
  if (layout) {
    const shapeProblem = checkpointShape(layout, resources.trajectory?.checkpoints ?? null);
    if (shapeProblem) return shapeProblem;
  }
  const verdict = verifyCmnistRun({
    protocol,
    seed,
    weights,
    claims: meta.claimed,
    lossHistory: meta.lossHistory,
    pack: resources.mnistPack,
    subset: resources.cmnistSubset ?? cryptoSubset(),
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
