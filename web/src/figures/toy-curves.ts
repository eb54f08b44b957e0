// Fig. 6's curves: |z2| against |z1| for each s1, computed here with the shared float64 dynamics or read
// back from a run's submitted series, in the authors' colours and line styles, plus the end points the
// authors' blog prints.
import { toyTrajectory } from "../../../shared/toy/dynamics";
import { zKey } from "../../../shared/toy/family";
import type { ToyProtocol } from "../../../shared/protocols/types";
import { LINE_STYLES, type LineStyle } from "../plots/line-plot-draw";

export type ToySolver = ToyProtocol["toy"]["solver"];

export interface ToyCurve {
  readonly s1: number;
  readonly z1: Float64Array;
  readonly z2: Float64Array;
}

/**
 * One colour per s1 from the Okabe–Ito palette, which stays distinguishable with colour-blindness. The script's
 * own (Figure_6/toy_fig_6.py: matplotlib's red and brown for s1 = 5 and 6) are hard to tell apart, so GS Lab
 * departs from them: blue, orange and green for 2–4 as the script's hues, then vermillion, sky blue and reddish
 * purple for 5, 6 and 8, so that neighbouring curves never share a hue.
 */
const S1_COLORS: Readonly<Record<number, string>> = { 2: "#0072B2", 3: "#E69F00", 4: "#009E73", 5: "#D55E00", 6: "#56B4E9", 8: "#CC79A7" };
export const colorOfS1 = (s1: number): string => S1_COLORS[s1] ?? "#444444";

/** The script's line style per solver: dual ':', CE + weight decay '-', SD '--'. */
export const SOLVER_STYLE: Readonly<Record<ToySolver, LineStyle>> = { dual: "dotted", "primal-wd": "solid", "primal-sd": "dashed" };
export const SOLVER_LABEL: Readonly<Record<ToySolver, string>> = {
  dual: "dual of CE + weight decay",
  "primal-wd": "CE + weight decay",
  "primal-sd": "CE + Spectral Decoupling",
};
export const dashOf = (solver: ToySolver): readonly number[] => LINE_STYLES[SOLVER_STYLE[solver]];

/** Records kept per curve for drawing: every 10th of 5,000 steps is smooth at any screen size. */
const DRAW_EVERY = 10;

/** |z| trajectories of every s1 of a protocol, computed here (about 10 ms for all six). */
export function computeCurves(protocol: ToyProtocol, every = DRAW_EVERY): ToyCurve[] {
  return protocol.toy.s1Values.map((s1) => {
    const { z1, z2 } = toyTrajectory(protocol.toy, s1, every);
    return { s1, z1: z1.map(Math.abs), z2: z2.map(Math.abs) };
  });
}

/** The |z| trajectories a run submitted (its series z1s2, z2s2, ...), for the s1 values it has. */
export function curvesFromSeries(protocol: ToyProtocol, series: Readonly<Record<string, readonly number[]>>): ToyCurve[] {
  return protocol.toy.s1Values.flatMap((s1) => {
    const z1 = series[zKey(1, s1)];
    const z2 = series[zKey(2, s1)];
    return z1 && z2 ? [{ s1, z1: Float64Array.from(z1), z2: Float64Array.from(z2) }] : [];
  });
}

export const endPoint = (curve: ToyCurve): [number, number] => [curve.z1.at(-1)!, curve.z2.at(-1)!];

/** The authors' blog: CE end points (z1, z2) for s1 = 2, 4, 6, 8 (s2 = 2). */
export const BLOG_CE_END_POINTS: ReadonlyMap<number, readonly [number, number]> = new Map([
  [2, [6.113, 1.638]],
  [4, [7.823, 1.446]],
  [6, [9.14, 1.12]],
  [8, [10.312, 0.819]],
]);
/** The blog's SD end points, the same for every s1: z1 in [6.354, 6.373], z2 in [1.693, 1.703]. */
export const BLOG_SD_RANGE = { z1: [6.354, 6.373], z2: [1.693, 1.703] } as const;
export const TABLE_S1 = [2, 4, 6, 8] as const;

/** The schedule the blog's CE numbers match (1,000 steps at lr 0.1, found by the toy family's tests). */
export const blogSchedule = (protocol: ToyProtocol): ToyProtocol => ({ ...protocol, toy: { ...protocol.toy, steps: 1000, lr: 0.1 } });
