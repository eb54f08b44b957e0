// The two-moons family: its dataset, seeded initial weights, evaluation and replay, and the checks the
// verifier runs on a two-moons submission (evidence shapes, a float64 replay of the first steps, the loss
// history tied to the weights, the metrics recomputed from the weights).
import type { RunMeta } from "../api";
import { twoMoons, type MoonsData } from "../data/moons";
import { REPLAY_TOLERANCE, withinTolerance } from "../metrics/compare";
import { checkNtkSeries, moonsSeries, NTK_SERIES } from "../metrics/ntk-evidence";
import { checkpointLayout, checkpointState, checkTrajectory } from "../metrics/trajectory";
import { replayMoonsLosses } from "../metrics/replay";
import { evaluateMoons, TWO_MOONS_METRICS, type MoonsEvaluation } from "../metrics/two-moons";
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

  const initial = twoMoonsFamily.initialWeights(protocol, seed);
  const ntkProblem = checkNtkSeries(protocol, data, initial, weights, meta.series?.[NTK_SERIES]);
  if (ntkProblem) return ntkProblem;

  const evaluation = evaluateMoons(protocol, data, weights);
  const recomputed = { ...evaluation.metrics };
  const finalLoss = recomputed.finalLoss;
  const reportedFinal = meta.lossHistory.at(-1)!;
  if (finalLoss !== null && !withinTolerance(reportedFinal, finalLoss, REPLAY_TOLERANCE)) {
    return reject("evidence_mismatch", `The loss history ends at ${reportedFinal.toPrecision(6)}, but the submitted weights give ${finalLoss.toPrecision(6)}: the weights are not the ones this history trained.`, recomputed);
  }
  if (finalLoss !== null && expectedFirst > 0 && !(finalLoss < replayed[0]!)) {
    return reject("evidence_mismatch", `The submitted weights have loss ${finalLoss.toPrecision(6)}, no lower than the initial weights' ${replayed[0]!.toPrecision(6)}: they were not trained.`, recomputed);
  }
  const claimsProblem = claimsMismatch(TWO_MOONS_METRICS, meta.claimed, recomputed, "the weights give");
  if (claimsProblem) return claimsProblem;

  // Last, because it is the costly check: the trajectory checkpoints, and the server-chosen segments replayed.
  // Segments of a protocol replayed by peers are not replayed here: the Worker hands them out as replay workunits.
  const checkpoints = resources.trajectory?.checkpoints ?? null;
  const byPeers = protocol.evidence.segmentReplay === "peers";
  const trajectory = checkTrajectory(
    { protocol, seed, data, initialWeights: initial, finalWeights: weights, lossHistory: meta.lossHistory, checkpoints },
    byPeers ? [] : (resources.trajectory?.segments ?? []),
  );
  if ("status" in trajectory) return { ...trajectory, recomputed };
  // With checkpoints, the NTK records at their steps are checked too (not only the first and the last).
  const layout = checkpointLayout(protocol);
  if (layout && checkpoints) {
    const intermediate = layout.steps.map((step, k) => ({ step, weights: checkpointState(layout, checkpoints, k).weights }));
    const intermediateProblem = checkNtkSeries(protocol, data, initial, weights, meta.series?.[NTK_SERIES], intermediate, "intermediate");
    if (intermediateProblem) return { ...intermediateProblem, recomputed };
  }
  return (
    {
      status: "accepted",
      message:
        byPeers
          ? `Verified: the server recomputed every metric from the weights, replayed the first steps, and tied the run's ${trajectory.segmentCount - 1 === 1 ? "checkpoint" : `${trajectory.segmentCount - 1} checkpoints`} to its loss history; segments between them go to other contributors to replay, and the run counts as replayed once they agree.`
          : trajectory.segmentCount > 0
          ? `Verified: the server recomputed every metric from the weights, replayed the first steps, and replayed ${trajectory.segments.length} of the run's ${trajectory.segmentCount} segments between checkpoints (${trajectory.segments.map((k) => k + 1).join(", ")}).`
          : "Verified: the server recomputed every metric from the weights and replayed the first steps.",
      recomputed,
      grid: evaluation.grid,
      ...(trajectory.segmentCount > 0 ? { trajectory } : {}),
    }
  );
}
