// The toy-dynamics family (Fig. 6): its metrics (z's end point for each s1), the evidence an honest run
// submits, and the verifier's check of a submission, which recomputes every trajectory: the runs have no
// seed and no weights, and all six of a protocol's take about 10 ms in float64 (Node 20, warm).
//
// Evidence layout: meta.series has one entry per s1 and component, named like the metric (`z1s2`, `z2s2`,
// ..., `z2s8`), each |z| at the records toyRecordSteps(steps, trajectoryEvery) lists (0, 50, ..., 4950,
// then 4999 for Fig. 6: 101 values); the last value is the end point the metric claims. firstLosses and
// lossHistory are empty and the weights file is empty.
import type { RunMeta } from "../api";
import { claimsMismatch, claimsShapeProblem, reject, type MetricValues, type Verdict } from "../metrics/verdict";
import type { ExperimentFamily } from "../protocols/families";
import type { MetricDefinition, ToyProtocol } from "../protocols/types";
import { toyRecordSteps, toyTrajectory } from "./dynamics";

/** How far a reported |z| may be from the server's float64 recomputation (series and claims alike). */
export const TOY_TOLERANCE = { abs: 1e-4, rel: 0 } as const;

/** The metric (and series) name of z's component 1 or 2 for one s1, e.g. `z2s8`: API names allow no `_`. */
export const zKey = (component: 1 | 2, s1: number): string => `z${component}s${s1}`;

const SUBSCRIPT = ["₁", "₂"] as const;

function endPointMetric(protocol: ToyProtocol, component: 1 | 2, s1: number): MetricDefinition {
  const role = component === 1 ? "the strong feature (singular value s1)" : `the weak feature (singular value s2 = ${protocol.toy.s2})`;
  return {
    key: zKey(component, s1),
    label: `|z${SUBSCRIPT[component - 1]}|, s1 = ${s1}`,
    description: `End point of |z${component}| after ${protocol.toy.steps} steps with s1 = ${s1}: how much the model uses ${role}.`,
    tolerance: TOY_TOLERANCE,
    nullable: false,
    digits: 3,
  };
}

function toyMetrics(protocol: ToyProtocol): MetricDefinition[] {
  return protocol.toy.s1Values.flatMap((s1) => [endPointMetric(protocol, 1, s1), endPointMetric(protocol, 2, s1)]);
}

/** What an honest toy run reports: the end points as claims and the |z| trajectories as series. */
export interface ToyRunEvidence {
  readonly claimed: MetricValues;
  readonly series: Record<string, number[]>;
  readonly firstLosses: number[];
  readonly lossHistory: number[];
}

/** Runs every s1 of the protocol and returns the body fields of an honest submission. */
export function toyRunEvidence(protocol: ToyProtocol): ToyRunEvidence {
  const claimed: MetricValues = {};
  const series: Record<string, number[]> = {};
  for (const s1 of protocol.toy.s1Values) {
    const trajectory = toyTrajectory(protocol.toy, s1, protocol.evidence.trajectoryEvery);
    for (const [component, z] of [[1, trajectory.z1], [2, trajectory.z2]] as const) {
      const key = zKey(component, s1);
      series[key] = Array.from(z, Math.abs);
      claimed[key] = series[key].at(-1)!;
    }
  }
  return { claimed, series, firstLosses: [], lossHistory: [] };
}

function seriesShapeProblem(protocol: ToyProtocol, series: RunMeta["series"]): Verdict | null {
  const keys = toyMetrics(protocol).map((m) => m.key);
  const length = toyRecordSteps(protocol.toy.steps, protocol.evidence.trajectoryEvery).length;
  const names = Object.keys(series ?? {});
  const wrong = names.length !== keys.length || keys.some((key) => series?.[key]?.length !== length);
  if (!wrong) return null;
  return reject(
    "evidence_shape",
    `Expected the series ${keys.join(", ")}, each ${length} values of |z| (every ${protocol.evidence.trajectoryEvery} steps, then the last step); got ${names.length ? names.map((n) => `${n} (${series![n]!.length})`).join(", ") : "none"}.`,
  );
}

function seriesMismatch(protocol: ToyProtocol, claimed: Record<string, number[]>, recomputed: Record<string, number[]>, values: MetricValues): Verdict | null {
  const recordSteps = toyRecordSteps(protocol.toy.steps, protocol.evidence.trajectoryEvery);
  for (const [key, expected] of Object.entries(recomputed)) {
    const k = expected.findIndex((value, i) => !(Math.abs(claimed[key]![i]! - value) <= TOY_TOLERANCE.abs));
    if (k >= 0) {
      return reject(
        "evidence_mismatch",
        `Series ${key} at step ${recordSteps[k]}: the submission reports ${claimed[key]![k]}, the server's recomputation gives ${expected[k]!.toPrecision(8)} (tolerance ${TOY_TOLERANCE.abs}).`,
        values,
      );
    }
  }
  return null;
}

function verifyToy(protocol: ToyProtocol, _seed: number, meta: RunMeta, _weights: Float32Array): Verdict {
  const { steps } = protocol.toy;
  if (meta.timings.steps !== steps) return reject("evidence_shape", `The protocol runs ${steps} steps, the submission reports ${meta.timings.steps}.`);
  if (meta.firstLosses.length || meta.lossHistory.length) {
    return reject("evidence_shape", "Toy runs carry their evidence in series: firstLosses and lossHistory must be empty.");
  }
  const shapeProblem = seriesShapeProblem(protocol, meta.series) ?? claimsShapeProblem(toyMetrics(protocol), meta.claimed);
  if (shapeProblem) return shapeProblem;

  const recomputed = toyRunEvidence(protocol);
  return (
    seriesMismatch(protocol, meta.series!, recomputed.series, recomputed.claimed) ??
    claimsMismatch(toyMetrics(protocol), meta.claimed, recomputed.claimed, "the server's recomputation gives") ?? {
      status: "accepted",
      message: "Verified: the server recomputed every trajectory in float64 and matched the series and end points.",
      recomputed: recomputed.claimed,
      grid: null,
    }
  );
}

export const toyFamily: ExperimentFamily<ToyProtocol> = {
  metrics: toyMetrics,
  paramCount: () => 0,
  verify: verifyToy,
};
