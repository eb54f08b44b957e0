// Fig. 2's NTK-feature evidence: |z_k| = |(ŷᵀU)_k| for the first components k, recorded by the client
// every evidence.ntkEvery steps, with U the eigenvectors of the Jacobian kernel at initialisation. The
// server rebuilds U from the seed and checks the first and the last record (and those at trajectory
// checkpoints) against its own forward passes.
import type { MoonsData } from "../data/moons";
import { historySteps } from "../protocols/evidence";
import type { MoonsProtocol } from "../protocols/types";
import { withinTolerance } from "./compare";
import { mlpForward } from "./mlp-math";
import { absFeatures, ntkFeatures } from "./ntk";
import { reject, type Verdict } from "./verdict";

/** Components recorded per step (0-based; the paper plots k = 1 and k = 6). */
export const NTK_COMPONENTS = 32;
/** The series name: records in step order, NTK_COMPONENTS values each. */
export const NTK_SERIES = "ntkAbsZ";

/** The evidence series a two-moons protocol records: Fig. 2's |z| where the protocol takes NTK evidence, else none. */
export const moonsSeries = (protocol: MoonsProtocol): readonly string[] => (protocol.evidence.ntkEvery !== undefined ? [NTK_SERIES] : []);
/** Client float32 outputs against the server's float64 ones. */
const NTK_TOLERANCE = { abs: 1e-4, rel: 1e-4 } as const;

/** The steps at which |z| is recorded: 0, every, 2·every, ... and the final weights (at `steps`). */
export const ntkSteps = (protocol: MoonsProtocol, steps = protocol.training.steps): number[] =>
  protocol.evidence.ntkEvery === undefined ? [] : historySteps(steps, protocol.evidence.ntkEvery);

/** The flattened series from the outputs the trainer recorded (one Float32Array per recorded step). */
export function ntkSeries(initialWeights: Float32Array, data: MoonsData, outputs: readonly Float32Array[]): number[] {
  const { U } = ntkFeatures(initialWeights, data);
  return outputs.flatMap((values) => Array.from(absFeatures(Float64Array.from(values), U, NTK_COMPONENTS)));
}

/**
 * Checks the series' shape, and its first and last records against the server's own forward passes — and the
 * records at the steps of any trajectory checkpoints given (`intermediate`: weights before that step); with
 * records "intermediate", only those.
 */
export function checkNtkSeries(
  protocol: MoonsProtocol,
  data: MoonsData,
  initialWeights: Float32Array,
  finalWeights: Float32Array,
  series: readonly number[] | undefined,
  intermediate: ReadonlyArray<{ readonly step: number; readonly weights: Float32Array }> = [],
  records: "all" | "intermediate" = "all",
): Verdict | null {
  const steps = ntkSteps(protocol);
  if (steps.length === 0) return series === undefined ? null : reject("evidence_shape", `This protocol records no ${NTK_SERIES} series.`);
  const expected = steps.length * NTK_COMPONENTS;
  if (!series || series.length !== expected) {
    return reject("evidence_shape", `Expected series ${NTK_SERIES} with ${expected} values (${steps.length} records of ${NTK_COMPONENTS}); got ${series?.length ?? 0}.`);
  }
  const { U } = ntkFeatures(initialWeights, data);
  const between = intermediate.filter(({ step }) => steps.indexOf(step) > 0).map(({ step, weights }): [number, Float32Array] => [steps.indexOf(step), weights]);
  const checks: Array<[number, Float32Array]> = records === "intermediate" ? between : [[0, initialWeights], ...between, [steps.length - 1, finalWeights]];
  if (checks.length === 0) return null;
  for (const [record, weights] of checks) {
    const recomputed = absFeatures(mlpForward(protocol.model, weights, data.x), U, NTK_COMPONENTS);
    const bad = recomputed.findIndex((value, k) => !withinTolerance(series[record * NTK_COMPONENTS + k]!, value, NTK_TOLERANCE));
    if (bad >= 0) {
      return reject(
        "evidence_mismatch",
        `NTK feature |z_${bad}| at step ${steps[record]} is ${series[record * NTK_COMPONENTS + bad]}, but the ${record === 0 ? "initial" : record === steps.length - 1 ? "submitted" : "checkpoint's"} weights give ${recomputed[bad]}.`,
      );
    }
  }
  return null;
}
