// The two-moons family: its dataset, seeded initial weights, evaluation and replay, and the checks the
// verifier runs on a two-moons submission, cheapest first so a refused body costs no more than an honest one:
// evidence shapes, a float64 replay of the first steps, the checkpoints' losses, the whole chain replayed (or,
// for peer-replayed protocols, checked to move), the final loss, then the bounded metrics and the claims.
import type { RunMeta } from "../api";
import { twoMoons, type MoonsData } from "../data/moons";
import { REPLAY_TOLERANCE, withinTolerance } from "../metrics/compare";
import { checkNtkSeries, moonsSeries, NTK_SERIES } from "../metrics/ntk-evidence";
import { allSegments, checkChainMoves, checkpointLayout, checkpointState, checkTrajectory } from "../metrics/trajectory";
import { moonsLoss, signedTargets } from "../metrics/loss";
import { mlpForward } from "../metrics/mlp-math";
import { replayMoonsLosses } from "../metrics/replay";
import { evaluateMoons, evaluateMoonsBounded, MAX_BOUNDARY_CROSSINGS, TWO_MOONS_METRICS, type MoonsEvaluation } from "../metrics/two-moons";
import { claimsMismatch, claimsShapeProblem, reject, type Verdict } from "../metrics/verdict";
import { initialWeights } from "../nn/init";
import { mlpParamCount } from "../nn/mlp";
import { historySteps } from "./evidence";
import type { VerifyResources } from "./families";
import type { MoonsProtocol } from "./types";

export const twoMoonsFamily = {
  metrics: (_protocol: MoonsProtocol) => TWO_MOONS_METRICS,
  paramCount: (protocol: MoonsProtocol): number => mlpParamCount(protocol.model),
  dataset: (protocol: MoonsProtocol, seed: number): MoonsData => twoMoons(seed, protocol.data, protocol.data.nSamples, protocol.data.noise),
  initialWeights: (protocol: MoonsProtocol, seed: number): Float32Array => initialWeights(protocol.model, seed),
  evaluate: (protocol: MoonsProtocol, data: MoonsData, weights: Float32Array): MoonsEvaluation => evaluateMoons(protocol, data, weights),
  /** Loss at each of the first `steps` steps, recomputed independently of the client's trainer. */
  replayLosses: (protocol: MoonsProtocol, data: MoonsData, seed: number, steps: number): Float64Array =>
    replayMoonsLosses(protocol, data, seed, initialWeights(protocol.model, seed), steps),
  verify: verifyMoons,
};

function verifyMoons(protocol: MoonsProtocol, seed: number, meta: RunMeta, weights: Float32Array, resources: VerifyResources): Verdict {
  const { steps } = protocol.training;
  const { replaySteps, historyEvery } = protocol.evidence;
  const expectedFirst = Math.min(replaySteps, steps);
  const stepsOfHistory = historySteps(steps, historyEvery);
  const expectedHistory = stepsOfHistory.length;
  if (meta.timings.steps !== steps) return reject("evidence_shape", `The protocol trains for ${steps} steps, the submission reports ${meta.timings.steps}.`);
  if (meta.firstLosses.length !== expectedFirst || meta.lossHistory.length !== expectedHistory) {
    return reject(
      "evidence_shape",
      `Expected the losses of the first ${expectedFirst} steps and ${expectedHistory} history values (every ${historyEvery} steps, then the final loss); got ${meta.firstLosses.length} and ${meta.lossHistory.length}.`,
    );
  }
  const recorded = moonsSeries(protocol);
  const straySeries = Object.keys(meta.series ?? {}).filter((name) => !recorded.includes(name));
  if (straySeries.length) {
    return reject("evidence_shape", `This protocol records ${recorded.length ? `only the series ${recorded.join(", ")}` : "no series"}; the submission has ${straySeries.join(", ")}.`);
  }
  // The objective (softplus cross-entropy, plus SD's mean ŷ²) is never negative.
  const negative = [...meta.firstLosses, ...meta.lossHistory].findIndex((loss) => loss < 0);
  if (negative >= 0) return reject("evidence_shape", "The loss evidence holds a negative loss; this protocol's loss is never negative.");
  const disagreeing = stepsOfHistory.findIndex((step, k) => step < expectedFirst && meta.lossHistory[k] !== meta.firstLosses[step]);
  if (disagreeing >= 0) {
    return reject("evidence_mismatch", `The loss history and the first losses disagree about step ${stepsOfHistory[disagreeing]}.`);
  }
  const shapeProblem = claimsShapeProblem(TWO_MOONS_METRICS, meta.claimed);
  if (shapeProblem) return shapeProblem;

  const data = twoMoonsFamily.dataset(protocol, seed);
  const replayed = twoMoonsFamily.replayLosses(protocol, data, seed, expectedFirst);
  for (let step = 0; step < expectedFirst; step++) {
    const claimed = meta.firstLosses[step]!;
    if (!withinTolerance(claimed, replayed[step]!, REPLAY_TOLERANCE)) {
      return reject(
        "replay_mismatch",
        `Replaying step ${step} from seed ${seed}'s initial weights gives loss ${replayed[step]!.toPrecision(8)}, the submission reports ${claimed.toPrecision(8)}: this run did not start from this workunit's weights and data.`,
      );
    }
  }

  // The chain, before any metric: each checkpoint's loss against the history, then (protocols the Worker
  // replays) every segment in order from the initial weights into the final ones, stopping at the first that
  // does not connect; (protocols peers replay) the cheap check that the chain moves. A forged chain costs at
  // most what the honest one would.
  const initial = twoMoonsFamily.initialWeights(protocol, seed);
  const checkpoints = resources.trajectory?.checkpoints ?? null;
  const byPeers = protocol.evidence.segmentReplay === "peers";
  const trajectory = checkTrajectory(
    { protocol, seed, data, initialWeights: initial, finalWeights: weights, lossHistory: meta.lossHistory, checkpoints },
    byPeers ? [] : allSegments(protocol),
  );
  if ("status" in trajectory) return trajectory;
  const layout = checkpointLayout(protocol);
  if (byPeers && layout && checkpoints) {
    const still = checkChainMoves(protocol, initial, weights, checkpoints);
    if (still) return still;
  }

  // The final weights' loss (one forward pass over the 300 points) before the costly figure metrics.
  const finalLoss = moonsLoss(mlpForward(protocol.model, weights, data.x), signedTargets(data.y), protocol.training.sdCoef);
  const reportedFinal = meta.lossHistory.at(-1)!;
  if (!withinTolerance(reportedFinal, finalLoss, REPLAY_TOLERANCE)) {
    return reject("evidence_mismatch", `The loss history ends at ${reportedFinal.toPrecision(6)}, but the submitted weights give ${finalLoss.toPrecision(6)}: the weights are not the ones this history trained.`);
  }
  if (expectedFirst > 0 && !(finalLoss < replayed[0]!)) {
    return reject("evidence_mismatch", `The submitted weights have loss ${finalLoss.toPrecision(6)}, no lower than the initial weights' ${replayed[0]!.toPrecision(6)}: they were not trained.`);
  }

  // The metrics, their work bounded: a boundary no trained network has is refused before it is refined.
  const evaluation = evaluateMoonsBounded(protocol, data, weights);
  if ("crossings" in evaluation) {
    return reject(
      "implausible_weights",
      `The submitted weights' decision boundary crosses ${evaluation.crossings} of the 19,800 edges of the 100×100 figure grid; a trained ${protocol.model.layerSizes.join("-")} network's crosses far fewer (at most ${MAX_BOUNDARY_CROSSINGS} accepted). These weights are not a training run of this protocol.`,
    );
  }
  const recomputed = { ...evaluation.metrics };
  const ntkProblem = checkNtkSeries(protocol, data, initial, weights, meta.series?.[NTK_SERIES]);
  if (ntkProblem) return { ...ntkProblem, recomputed };
  // With checkpoints, the NTK records at their steps are checked too (not only the first and the last).
  if (layout && checkpoints) {
    const intermediate = layout.steps.map((step, k) => ({ step, weights: checkpointState(layout, checkpoints, k).weights }));
    const intermediateProblem = checkNtkSeries(protocol, data, initial, weights, meta.series?.[NTK_SERIES], intermediate, "intermediate");
    if (intermediateProblem) return { ...intermediateProblem, recomputed };
  }
  const claimsProblem = claimsMismatch(TWO_MOONS_METRICS, meta.claimed, recomputed, "the weights give");
  if (claimsProblem) return claimsProblem;
  return (
    {
      status: "accepted",
      message:
        byPeers
          ? `Verified: the server recomputed every metric from the weights, replayed the first steps, and tied the run's ${trajectory.segmentCount - 1 === 1 ? "checkpoint" : `${trajectory.segmentCount - 1} checkpoints`} to its loss history; segments between them go to other contributors to replay, and the run counts as replayed once they agree.`
          : trajectory.segmentCount > 0
          ? `Verified: the server replayed all ${trajectory.segmentCount} segments of the run in order, from the seed's initial weights through every checkpoint into the final weights, checked the loss history at every recorded step, and recomputed every metric from the weights.`
          : "Verified: the server recomputed every metric from the weights and replayed the first steps.",
      recomputed,
      grid: evaluation.grid,
      ...(trajectory.segmentCount > 0 ? { trajectory } : {}),
    }
  );
}
