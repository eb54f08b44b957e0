// The pictures of one or more runs, drawn with the Lab's and the figure pages' own components: loss histories
// (one LinePlot, one curve per run), a two-moons run's decision boundary computed here from its final weights
// (liveGrid, as the Lab draws it live, in a background worker), Fig. 2's |z_k| where the run recorded them, and a toy run's trajectories.
import { useMemo } from "preact/hooks";
import type { RunRecord } from "../../../shared/api";
import type { RunEvidence } from "../../../shared/board-api";
import { mlpParamCount } from "../../../shared/nn/mlp";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import type { MoonsProtocol, ToyProtocol } from "../../../shared/protocols/types";
import { ErrorBox, Loading } from "../components/status";
import { COMPONENT_COLORS, yMax } from "../figures/ntk-series";
import { curvesFromSeries } from "../figures/toy-curves";
import { Heatmap } from "../plots/heatmap";
import { LinePlot, type LegendEntry } from "../plots/line-plot";
import { logLossAxis } from "../plots/line-plot-draw";
import { ToyPlot } from "../plots/toy-plot";
import { WITHHELD_REASON } from "./run-files";
import type { LossCurve, NtkCurve } from "./run-series";
import { useRunGrid } from "./use-run-grid";

export interface LabelledLoss {
  readonly label: string;
  readonly color: string;
  readonly curve: LossCurve;
}

/** Loss histories on one log-scale chart: a legend entry per run when there are several. */
export function LossHistoryPlot({ curves, testId }: { readonly curves: readonly LabelledLoss[]; readonly testId: string }) {
  const all = curves.flatMap((c) => Array.from(c.curve.losses));
  const lastStep = Math.max(1, ...curves.map((c) => c.curve.steps.at(-1) ?? 1));
  const legend: LegendEntry[] = curves.map((c) => ({ label: c.label, color: c.color }));
  return (
    <LinePlot
      series={curves.map((c) => ({ x: c.curve.steps, y: c.curve.losses, color: c.color }))}
      x={{ min: 0, max: lastStep, label: "step" }}
      y={logLossAxis(all)}
      label={`Training loss against the step, log scale, for ${curves.map((c) => c.label).join(", ")}.`}
      legend={curves.length > 1 ? legend : []}
      testId={testId}
      aspect={0.55}
      maxWidth={720}
    />
  );
}

/** A two-moons run's output over [−2, 2]² from its final weights, with its seed's training points. */
export function RunBoundary({ run, protocol, testId = "run-boundary" }: { readonly run: RunRecord; readonly protocol: MoonsProtocol; readonly testId?: string }) {
  const withheld = run.peerReplay?.status === "pending";
  const served = run.status === "accepted" && !withheld;
  const grid = useRunGrid(served ? run.id : null, protocol.model);
  const points = useMemo(() => twoMoonsFamily.dataset(protocol, run.seed), [protocol.id, run.seed]);
  if (run.status !== "accepted") return <p class="muted">A rejected run's weights are not served, so its boundary cannot be drawn.</p>;
  if (withheld) return <p class="muted">{WITHHELD_REASON} The boundary is drawn from the weights once they are served.</p>;
  if (grid.status === "weights") return <Loading what="the run's weights" />;
  if (grid.status === "error") return <ErrorBox error={grid.error} onRetry={grid.retry} />;
  return (
    <>
      <Heatmap
        grid={grid.status === "ok" ? grid.grid : null}
        points={points}
        label={`Output of run ${run.id}'s final weights over [−2, 2]², red for class 0 and blue for class 1, the decision boundary in black and seed ${run.seed}'s training points.`}
        testId={testId}
      />
      {grid.status === "computing" && (
        <p class="muted" role="status" aria-live="polite">
          Computing the network's output on the 100 × 100 grid in a background worker
          {mlpParamCount(protocol.model) > 100_000 ? " (a network this deep takes up to about half a minute)" : ""}…
        </p>
      )}
    </>
  );
}

/** |z_1| and |z_6| of one run against the step, in Fig. 2's colours. */
export function NtkPlot({ curves }: { readonly curves: readonly NtkCurve[] }) {
  return (
    <LinePlot
      series={curves.map((c, slot) => ({ x: c.curve.steps, y: c.curve.values, color: COMPONENT_COLORS[slot]! }))}
      x={{ min: 0, max: Math.max(1, ...curves.map((c) => c.curve.steps.at(-1) ?? 1)), label: "step" }}
      y={{ min: 0, max: yMax(curves.map((c) => c.curve)), label: "|z_k|" }}
      label={`This run's NTK features ${curves.map((c) => `|z${c.k}|`).join(" and ")} against the training step.`}
      legend={curves.map((c, slot) => ({ label: `|z${c.k}|`, color: COMPONENT_COLORS[slot]! }))}
      testId="run-ntk-plot"
    />
  );
}

/** The |z| trajectories a toy run submitted (its series), as Fig. 6 draws them. */
export function ToyRunPlot({ protocol, evidence, testId = "run-toy-plot" }: { readonly protocol: ToyProtocol; readonly evidence: RunEvidence; readonly testId?: string }) {
  const curves = curvesFromSeries(protocol, evidence.series);
  if (curves.length === 0) return <p class="muted">This run's evidence has no |z| trajectories to draw.</p>;
  return <ToyPlot sets={[{ solver: protocol.toy.solver, curves }]} label={`|z2| against |z1| as this run submitted them, for s1 = ${curves.map((c) => c.s1).join(", ")}.`} testId={testId} />;
}
