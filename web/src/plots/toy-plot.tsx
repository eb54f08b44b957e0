// The toy model's picture as the paper draws Fig. 6: |z2| against |z1|, one colour per s1, one line style
// per solver (dual dotted, CE + weight decay solid, SD dashed), on the authors' axes.
import { colorOfS1, dashOf, SOLVER_LABEL, type ToyCurve, type ToySolver } from "../figures/toy-curves";
import { LinePlot, type LegendEntry } from "./line-plot";
import type { PlotAxis } from "./line-plot-draw";

export interface ToyCurveSet {
  readonly solver: ToySolver;
  readonly curves: readonly ToyCurve[];
}

/** The script's limits: xlim [-0.5, 10.5], ylim [-0.1, 1.75]. */
const Z1_AXIS: PlotAxis = { min: -0.5, max: 10.5, label: "|z₁| (strong feature)" };
const Z2_AXIS: PlotAxis = { min: -0.1, max: 1.75, label: "|z₂| (weak feature)" };

interface Props {
  readonly sets: readonly ToyCurveSet[];
  readonly label: string;
  readonly testId?: string;
}

export function ToyPlot({ sets, label, testId }: Props) {
  const series = sets.flatMap((set) => set.curves.map((c) => ({ x: c.z1, y: c.z2, color: colorOfS1(c.s1), dash: dashOf(set.solver), width: 2 })));
  const s1Values = [...new Set(sets.flatMap((set) => set.curves.map((c) => c.s1)))];
  const legend: LegendEntry[] = [
    ...s1Values.map((s1) => ({ label: `s1 = ${s1}`, color: colorOfS1(s1) })),
    ...sets.map((set) => ({ label: SOLVER_LABEL[set.solver], color: "#333333", dash: dashOf(set.solver) })),
  ];
  return <LinePlot series={series} x={Z1_AXIS} y={Z2_AXIS} label={label} legend={legend} testId={testId} aspect={0.72} maxWidth={480} />;
}
