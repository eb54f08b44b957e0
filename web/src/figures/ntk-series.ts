// Fig. 2's fourth panel from the leaderboard's seed-mean "ntkAbsZ" series (records × 32 components in step
// order): one component's curve against the step, in the authors' colours and line styles.
import type { SeriesAggregate } from "../../../shared/api";
import { NTK_COMPONENTS, ntkSteps } from "../../../shared/metrics/ntk-evidence";
import type { MoonsProtocol } from "../../../shared/protocols/types";
import { LINE_STYLES } from "../plots/line-plot-draw";

/** The script's colours: #2D7F58 for the first component plotted (k = 1), #FA7F05 for the second (k = 6). */
export const COMPONENT_COLORS = ["#2D7F58", "#FA7F05"] as const;

/** The script's line style per run: margin=-0.1 ':', margin=+0.1 '--', margin=+0.1 with SD '-'. */
export const FIG2_RUN_STYLES: Readonly<Record<string, readonly number[]>> = {
  "fig2-margin-neg": LINE_STYLES.dotted,
  "fig2-margin-pos": LINE_STYLES.dashed,
  "fig2-margin-pos-sd": LINE_STYLES.solid,
};

export interface ComponentCurve {
  readonly steps: Float64Array;
  readonly values: Float64Array;
}

/** Seed-mean |z_k| at each recorded step, or null when no verified run has the series in its expected shape. */
export function componentCurve(protocol: MoonsProtocol, aggregate: SeriesAggregate, k: number): ComponentCurve | null {
  const steps = ntkSteps(protocol);
  if (aggregate.seeds === 0 || steps.length === 0 || aggregate.mean.length !== steps.length * NTK_COMPONENTS) return null;
  if (!Number.isInteger(k) || k < 0 || k >= NTK_COMPONENTS) throw new RangeError(`component k must be in 0..${NTK_COMPONENTS - 1}, got ${k}`);
  return { steps: Float64Array.from(steps), values: Float64Array.from(steps, (_, record) => aggregate.mean[record * NTK_COMPONENTS + k]!) };
}

/** A y range from 0 to a little above the largest value drawn (1 when there is nothing to draw). */
export function yMax(curves: readonly (ComponentCurve | null)[]): number {
  const largest = Math.max(0, ...curves.flatMap((c) => (c ? Array.from(c.values) : [])));
  return largest > 0 ? largest * 1.05 : 1;
}
