// The run page's evidence sections: what the run recorded while training (its loss history, Fig. 2's NTK
// features where it recorded them, a toy run's |z| trajectories), and its picture — the decision boundary of a
// two-moons run or the Fig. 4 probes of a Colored-MNIST run — each saying plainly what it shows or why not.
import type { RunRecord } from "../../../shared/api";
import { NTK_COMPONENTS, NTK_SERIES } from "../../../shared/metrics/ntk-evidence";
import type { Protocol } from "../../../shared/protocols/types";
import { formatCount } from "../format";
import { figureUrl } from "../routes";
import { LossHistoryPlot, NtkPlot, RunBoundary, ToyRunPlot } from "./run-figures";
import type { EvidenceState } from "./run-files";
import { RunProbes } from "./run-probes";
import { lossCurve, ntkCurves } from "./run-series";

/** The colour of a single run's loss curve (the Lab's). */
const LOSS_COLOR = "#0365C0";

export function RunEvidencePanel({ run, protocol, evidence }: { readonly run: RunRecord; readonly protocol: Protocol; readonly evidence: EvidenceState }) {
  if (evidence.status !== "ok") {
    return (
      <>
        <h2>Training</h2>
        <p class="muted" data-testid="run-evidence-missing" data-status={evidence.status}>
          {evidence.message}
        </p>
      </>
    );
  }
  const recorded = evidence.evidence;
  const loss = lossCurve(protocol, recorded);
  const ntk = ntkCurves(protocol, recorded);
  return (
    <>
      <h2>Training</h2>
      {protocol.family === "toy-dynamics" ? (
        <figure class="run-figure">
          <ToyRunPlot protocol={protocol} evidence={recorded} />
          <figcaption>The |z| trajectories this run submitted; the server recomputed every one in float64 before accepting it.</figcaption>
        </figure>
      ) : loss ? (
        <figure class="run-figure" data-testid="run-loss" data-points={loss.losses.length}>
          <LossHistoryPlot curves={[{ label: run.id, color: LOSS_COLOR, curve: loss }]} testId="run-loss-plot" />
          <figcaption>
            The training loss this run recorded, {formatCount(loss.losses.length)} values over {formatCount(recorded.timings.steps)} steps (log scale)
            {loss.exactSteps ? "" : "; its length does not match the protocol's recording steps, so the values are drawn evenly spaced"}.
          </figcaption>
        </figure>
      ) : (
        <p class="muted">This run recorded no loss history.</p>
      )}
      {ntk.length === 0 && recorded.series[NTK_SERIES] && (
        <p class="muted" data-testid="run-ntk-missing">
          This run recorded its NTK features, but the series the server sent is not whole records of {NTK_COMPONENTS} components
          {recorded.sampledEvery?.[`series.${NTK_SERIES}`] ? " (the server thinned it for size)" : ""}, so its |z_k| curves cannot be drawn here.
        </p>
      )}
      {ntk.length > 0 && (
        <figure class="run-figure" data-testid="run-ntk" data-curves={ntk.length}>
          <NtkPlot curves={ntk} />
          <figcaption>
            This run's NTK features |z_k| = |(ŷᵀU)_k| for the paper's k = 1 and 6, U the eigenvectors of the kernel at its seed's initial weights (see{" "}
            <a href={figureUrl("fig2")}>Fig. 2</a> for the seed means).
          </figcaption>
        </figure>
      )}
    </>
  );
}

export function RunPicture({ run, protocol }: { readonly run: RunRecord; readonly protocol: Protocol }) {
  if (protocol.family === "two-moons") {
    return (
      <>
        <h2>Decision boundary</h2>
        <figure class="run-figure run-boundary">
          <RunBoundary run={run} protocol={protocol} />
          <figcaption>
            The network's output over [−2, 2]², computed in your browser from the run's final weights; black line: the decision boundary; points: seed{" "}
            {run.seed}'s training data, class 0 red, class 1 blue.
          </figcaption>
        </figure>
      </>
    );
  }
  if (protocol.family === "colored-mnist") {
    return (
      <>
        <h2>Fig. 4 probes</h2>
        <RunProbes run={run} protocol={protocol} />
      </>
    );
  }
  return null;
}
