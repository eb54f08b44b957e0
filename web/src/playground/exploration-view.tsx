// A saved exploration (/playground?exploration=<id>): its settings, the boundary drawn from its saved
// weights, its loss history and the metrics the server computed — and, plainly, that it counts on no
// leaderboard.
import { useMemo } from "preact/hooks";
import type { Exploration } from "../../../shared/api";
import { TWO_MOONS_METRICS } from "../../../shared/metrics/two-moons";
import { historySteps } from "../../../shared/protocols/evidence";
import { playgroundProtocol } from "../../../shared/protocols/playground";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import { api } from "../api";
import { ErrorBox, Loading } from "../components/status";
import { formatCount, formatDate } from "../format";
import { ResultTable } from "../lab/result-table";
import { Heatmap } from "../plots/heatmap";
import { LinePlot } from "../plots/line-plot";
import { logLossAxis } from "../plots/line-plot-draw";
import { describeData, describeOptimizer, describeSd } from "../recipe";
import { liveGrid } from "../train/live-grid";
import { useAsync } from "../use-async";
import { playgroundUrl } from "./playground-url";

export function ExplorationView({ id }: { readonly id: string }) {
  const data = useAsync(() => api.exploration(id), [id]);
  if (data.status === "loading") return <Loading what="the exploration" />;
  if (data.status === "error") return <ErrorBox error={data.error} onRetry={data.reload} />;
  return <SavedExploration exploration={data.data} />;
}

/** The x of each loss value: historySteps for a history of the expected length, every 10 steps otherwise. */
function lossSteps(exploration: Exploration): number[] {
  const steps = historySteps(exploration.steps, 10);
  return steps.length === exploration.lossHistory.length ? steps : exploration.lossHistory.map((_, k) => k * 10);
}

function SavedExploration({ exploration }: { readonly exploration: Exploration }) {
  const protocol = playgroundProtocol(exploration.params, exploration.steps);
  const { grid, points } = useMemo(
    () => ({
      grid: liveGrid(protocol.model, Float32Array.from(exploration.weights)),
      points: twoMoonsFamily.dataset(protocol, exploration.params.seed),
    }),
    [exploration.id],
  );
  const steps = lossSteps(exploration);
  return (
    <div class="playground exploration" data-testid="exploration">
      <p class="breadcrumb">
        <a href={playgroundUrl(exploration.params)}>Playground</a> › saved exploration
      </p>
      <h1>{exploration.title ?? "A saved exploration"}</h1>
      <p class="notice notice-info" data-testid="exploration-note">
        This is an <strong>exploration</strong>: someone's playground run, saved to share. It never counts toward any protocol's leaderboard; the
        server computed the metrics below from its saved weights. Saved {formatDate(exploration.createdAt)}.
      </p>
      <dl class="facts">
        <dt>Data</dt>
        <dd>
          {describeData(protocol)}, seed {exploration.params.seed}
        </dd>
        <dt>Optimizer</dt>
        <dd>{describeOptimizer(protocol.training.optimizer)}</dd>
        <dt>Spectral Decoupling</dt>
        <dd>{describeSd(protocol.training.sdCoef)}</dd>
        <dt>Steps</dt>
        <dd data-testid="exploration-steps">{formatCount(exploration.steps)}</dd>
      </dl>
      <p>
        <a class="button secondary" href={playgroundUrl(exploration.params)} data-testid="train-these-settings">
          Train these settings yourself
        </a>
      </p>
      <div class="figures playground-figures">
        <figure>
          <Heatmap
            grid={grid}
            points={points}
            label="Decision function of the saved weights with the decision boundary and the training points."
            testId="exploration-heatmap"
          />
          <figcaption>The saved network's output over [−2, 2]²; black line: the decision boundary.</figcaption>
        </figure>
        <figure>
          <LinePlot
            series={[{ x: steps, y: exploration.lossHistory, color: "#0365C0" }]}
            x={{ min: 0, max: Math.max(exploration.steps, 1), label: "step" }}
            y={logLossAxis(exploration.lossHistory)}
            label="The saved training loss against the step, log scale."
            testId="exploration-loss"
            aspect={0.55}
          />
          <figcaption>The loss history saved with the exploration.</figcaption>
        </figure>
      </div>
      <h2>Metrics computed by the server</h2>
      <ResultTable protocol={protocol} metrics={TWO_MOONS_METRICS} values={exploration.metrics} valuesTitle="Server" testId="exploration-metrics" />
    </div>
  );
}
