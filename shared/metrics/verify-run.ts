// The verification of one submitted run: shapes, evidence, a replay of the first steps and the recomputed
// metrics. The Worker runs it on every submission; clients run the very same check before they submit.
import type { RejectionReason, RunMeta } from "../api";
import { REPLAY_TOLERANCE, withinTolerance } from "./compare";
import { decodeFloat32 } from "../nn/float32-codec";
import { historySteps } from "../protocols/evidence";
import { familyOf } from "../protocols/families";
import type { Protocol } from "../protocols/types";

export interface Assignment {
  readonly protocol: Protocol;
  readonly seed: number;
}

export type Verdict =
  | {
      readonly status: "accepted";
      readonly message: string;
      readonly recomputed: Record<string, number | null>;
      readonly grid: Float32Array;
    }
  | {
      readonly status: "rejected";
      readonly reason: RejectionReason;
      readonly message: string;
      readonly recomputed: Record<string, number | null> | null;
    };

const reject = (reason: RejectionReason, message: string, recomputed: Record<string, number | null> | null = null): Verdict => ({
  status: "rejected",
  reason,
  message,
  recomputed,
});

export function verifySubmission(assignment: Assignment, meta: RunMeta, weightBytes: Uint8Array): Verdict {
  const { protocol, seed } = assignment;
  const family = familyOf(protocol);
  if (meta.protocolId !== protocol.id || meta.protocolVersion !== protocol.version || meta.seed !== seed) {
    return reject(
      "workunit_mismatch",
      `This workunit is ${protocol.id} v${protocol.version} with seed ${seed}, but the submission says ${meta.protocolId} v${meta.protocolVersion} with seed ${meta.seed}.`,
    );
  }

  const expectedCount = family.paramCount(protocol);
  const weights = decodeFloat32(weightBytes);
  if (!weights || weights.length !== expectedCount) {
    return reject("weights_shape", `Expected ${expectedCount} float32 weights (${expectedCount * 4} bytes), got ${weightBytes.byteLength} bytes.`);
  }
  const badIndex = weights.findIndex((w) => !Number.isFinite(w));
  if (badIndex >= 0) return reject("weights_not_finite", `Weight ${badIndex} is ${weights[badIndex]}; every weight must be finite.`);

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
  const disagreeing = stepsOfHistory.findIndex((step, k) => step < expectedFirst && meta.lossHistory[k] !== meta.firstLosses[step]);
  if (disagreeing >= 0) {
    return reject("evidence_mismatch", `The loss history and the first losses disagree about step ${stepsOfHistory[disagreeing]}.`);
  }

  const metricKeys = family.metrics.map((m) => m.key);
  const claimedKeys = Object.keys(meta.claimed);
  const missing = metricKeys.filter((k) => !(k in meta.claimed));
  const extra = claimedKeys.filter((k) => !metricKeys.includes(k));
  if (missing.length || extra.length) {
    return reject("claims_shape", `Claims must name exactly: ${metricKeys.join(", ")}${missing.length ? `; missing ${missing.join(", ")}` : ""}${extra.length ? `; unknown ${extra.join(", ")}` : ""}.`);
  }
  const wronglyNull = family.metrics.find((m) => !m.nullable && meta.claimed[m.key] === null);
  if (wronglyNull) return reject("claims_shape", `${wronglyNull.label} cannot be empty.`);

  const data = family.dataset(protocol, seed);
  const replayed = family.replayLosses(protocol, data, seed, expectedFirst);
  for (let step = 0; step < expectedFirst; step++) {
    const claimed = meta.firstLosses[step]!;
    if (!withinTolerance(claimed, replayed[step]!, REPLAY_TOLERANCE)) {
      return reject(
        "replay_mismatch",
        `Replaying step ${step} from seed ${seed}'s initial weights gives loss ${replayed[step]!.toPrecision(8)}, the submission reports ${claimed.toPrecision(8)}: this run did not start from this workunit's weights and data.`,
      );
    }
  }

  const evaluation = family.evaluate(protocol, data, weights);
  const recomputed = { ...evaluation.metrics };
  const finalLoss = recomputed.finalLoss ?? null;
  const reportedFinal = meta.lossHistory.at(-1)!;
  if (finalLoss !== null && !withinTolerance(reportedFinal, finalLoss, REPLAY_TOLERANCE)) {
    return reject("evidence_mismatch", `The loss history ends at ${reportedFinal.toPrecision(6)}, but the submitted weights give ${finalLoss.toPrecision(6)}: the weights are not the ones this history trained.`, recomputed);
  }
  if (finalLoss !== null && expectedFirst > 0 && !(finalLoss < replayed[0]!)) {
    return reject("evidence_mismatch", `The submitted weights have loss ${finalLoss.toPrecision(6)}, no lower than the initial weights' ${replayed[0]!.toPrecision(6)}: they were not trained.`, recomputed);
  }
  for (const metric of family.metrics) {
    const claimed = meta.claimed[metric.key] ?? null;
    const actual = recomputed[metric.key] ?? null;
    if (!withinTolerance(claimed, actual, metric.tolerance)) {
      return reject(
        "claims_mismatch",
        `${metric.label}: the submission claims ${claimed}, the weights give ${actual}.`,
        recomputed,
      );
    }
  }
  return { status: "accepted", message: "Verified: the server recomputed every metric from the weights and replayed the first steps.", recomputed, grid: evaluation.grid };
}
