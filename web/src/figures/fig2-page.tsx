// /figures/fig2?k=1,6: the paper's Fig. 2 from verified runs — the three seed-averaged boundaries side by
// side, the fourth panel (seed-mean |z_k| against the step for two NTK components, any of 0..31, in the
// authors' colours and line styles) and the spectrum of the kernel at initialisation, computed here.
import type { ProtocolBoard, SeriesAggregate } from "../../../shared/api";
import { NTK_SERIES } from "../../../shared/metrics/ntk-evidence";
import { moonsProtocol } from "../../../shared/protocols/registry";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import type { MoonsProtocol } from "../../../shared/protocols/types";
import { api } from "../api";
import { ErrorBox, Loading } from "../components/status";
import { formatStat } from "../format";
import { Heatmap } from "../plots/heatmap";
import { LinePlot, type LegendEntry } from "../plots/line-plot";
import { LINE_STYLES } from "../plots/line-plot-draw";
import { navigate } from "../router";
import { boardUrl, figureUrl, NTK_COMPONENT_COUNT, type ComponentPair } from "../routes";
import { useAsync } from "../use-async";
import { COMPONENT_COLORS, componentCurve, FIG2_RUN_STYLES, yMax } from "./ntk-series";
import { useSpectra } from "./use-spectrum";

const RUNS = ["fig2-margin-neg", "fig2-margin-pos", "fig2-margin-pos-sd"].map(moonsProtocol);
const SHORT: Readonly<Record<string, string>> = {
  "fig2-margin-neg": "Δ = −0.1",
  "fig2-margin-pos": "Δ = +0.1",
  "fig2-margin-pos-sd": "Δ = +0.1 with SD",
};
/** The SD run trains on the Δ = +0.1 data from the same initial weights: its kernel is Δ = +0.1's. */
const SPECTRUM_RUNS = RUNS.slice(0, 2);

interface RunData {
  readonly protocol: MoonsProtocol;
  readonly board: ProtocolBoard;
  readonly series: SeriesAggregate;
}

function Boundary({ run }: { readonly run: RunData }) {
  const grid = run.board.boundary?.grid ?? null;
  const seeds = run.board.boundary?.seeds ?? 0;
  return (
    <figure data-testid="fig2-boundary" data-protocol={run.protocol.id} data-seeds={seeds}>
      <Heatmap
        grid={grid}
        points={twoMoonsFamily.dataset(run.protocol, 0)}
        boldContour
        label={
          grid
            ? `${SHORT[run.protocol.id]}: output averaged over ${seeds} seeds with the decision boundary.`
            : `${SHORT[run.protocol.id]}: no verified run yet.`
        }
      />
      <figcaption>
        <a href={boardUrl(run.protocol.id)}>
          <strong>{SHORT[run.protocol.id]}</strong>
        </a>{" "}
        — {grid ? `${seeds} ${seeds === 1 ? "seed" : "seeds"}` : "no verified run yet"}; curvature {formatStat(run.board.entry.metrics.curvature, 3)},
        min margin {formatStat(run.board.entry.metrics.minMargin, 3)}
      </figcaption>
    </figure>
  );
}

function ComponentPicker({ components }: { readonly components: ComponentPair }) {
  const choose = (slot: 0 | 1, k: number): void => {
    const next: ComponentPair = slot === 0 ? [k, components[1]] : [components[0], k];
    navigate(figureUrl("fig2", next), { replace: true });
  };
  return (
    <div class="controls compact-controls">
      {([0, 1] as const).map((slot) => (
        <label key={slot}>
          <span>
            <span class="swatch" style={{ background: COMPONENT_COLORS[slot] }} aria-hidden="true" /> Component drawn in{" "}
            {slot === 0 ? "green" : "orange"}
          </span>
          <select data-testid={`component-select-${slot}`} value={components[slot]} onChange={(e) => choose(slot, Number(e.currentTarget.value))}>
            {Array.from({ length: NTK_COMPONENT_COUNT }, (_, k) => (
              <option value={k} key={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      ))}
    </div>
  );
}

function FeaturePanel({ runs, components }: { readonly runs: readonly RunData[]; readonly components: ComponentPair }) {
  const drawn = runs.flatMap((run) => components.map((k, slot) => ({ run, slot, curve: componentCurve(run.protocol, run.series, k) })));
  const series = drawn.flatMap(({ run, slot, curve }) =>
    curve ? [{ x: curve.steps, y: curve.values, color: COMPONENT_COLORS[slot]!, dash: FIG2_RUN_STYLES[run.protocol.id]! }] : [],
  );
  const legend: LegendEntry[] = [
    ...components.map((k, slot) => ({ label: `|z${k}|`, color: COMPONENT_COLORS[slot]! })),
    ...runs.map((run) => ({
      label: `${SHORT[run.protocol.id]} (${run.series.seeds} ${run.series.seeds === 1 ? "seed" : "seeds"})`,
      color: "#333333",
      dash: FIG2_RUN_STYLES[run.protocol.id]!,
    })),
  ];
  return (
    <figure data-testid="fig2-features" data-curves={series.length}>
      <LinePlot
        series={series}
        x={{ min: 0, max: RUNS[0]!.training.steps, label: "step" }}
        y={{ min: 0, max: yMax(drawn.map((d) => d.curve)), label: "seed-mean |z_k|" }}
        label={`Seed-mean |z_k| against the training step for k = ${components[0]} and k = ${components[1]}, for the three runs.`}
        legend={legend}
        testId="fig2-feature-plot"
      />
      <figcaption>
        The paper's fourth panel: |z_k| = |(ŷᵀU)_k|, U the eigenvectors of the kernel at initialisation, averaged over each run's verified seeds (each
        curve's count is in the legend). {series.length === 0 && "No verified run records these features yet."}
      </figcaption>
    </figure>
  );
}

function SpectrumPanel() {
  const spectra = useSpectra(SPECTRUM_RUNS.map((p) => p.id));
  const series = SPECTRUM_RUNS.flatMap((protocol) => {
    const values = spectra.get(protocol.id);
    if (!values) return [];
    return [
      {
        x: Float64Array.from(values, (_, k) => k),
        y: values,
        color: "#333333",
        dash: protocol.data.margin < 0 ? LINE_STYLES.dotted : LINE_STYLES.dashed,
      },
    ];
  });
  const all = [...spectra.values()].flatMap((v) => Array.from(v).filter((x) => x > 0));
  const ready = spectra.size === SPECTRUM_RUNS.length;
  return (
    <figure data-testid="fig2-spectrum" data-ready={ready}>
      <LinePlot
        series={series}
        x={{ min: 0, max: 299, label: "component k (eigenvalues in descending order)" }}
        y={{ min: all.length ? Math.min(...all) : 1e-15, max: all.length ? Math.max(...all) * 2 : 1e5, label: "eigenvalue of K", log: true }}
        label="Eigenvalues of the kernel K = J·Jᵀ at initialisation for seed 0, log scale, for Δ = −0.1 and Δ = +0.1."
        legend={SPECTRUM_RUNS.map((p) => ({
          label: `${SHORT[p.id]}${p.data.margin > 0 ? " (and with SD)" : ""}`,
          color: "#333333",
          dash: p.data.margin < 0 ? LINE_STYLES.dotted : LINE_STYLES.dashed,
        }))}
      />
      <figcaption>
        {ready ? "Computed in your browser" : "Computing in your browser (about a second)…"}: the spectrum of K = J·Jᵀ, J the 300 × 2,001 Jacobian of
        the logits at seed 0's initial weights on seed 0's data. The components k of the panel above are its eigenvectors, largest eigenvalue first: a
        few strong directions dominate.
      </figcaption>
    </figure>
  );
}

export function FigureTwoPage({ components }: { readonly components: ComponentPair }) {
  const data = useAsync(
    () =>
      Promise.all(
        RUNS.map(async (protocol): Promise<RunData> => ({
          protocol,
          board: await api.board(protocol.id),
          series: await api.series(protocol.id, NTK_SERIES),
        })),
      ),
    [],
  );
  return (
    <div class="figure-page fig2">
      <p class="breadcrumb">
        <a href="/leaderboard">Leaderboard</a> › Fig. 2
      </p>
      <h1>Fig. 2: what the network learns, feature by feature</h1>
      <p class="lede">
        Three runs of 10,000 steps with weight decay: overlapping moons (Δ = −0.1), moons with a small gap (Δ = +0.1), and the gap with Spectral
        Decoupling. In the NTK view the network's output splits into features z_k along the eigenvectors of the kernel at initialisation. With a gap,
        cross-entropy stops feeding the weaker features once the strong ones separate the data: they starve. SD keeps them growing, and the boundary
        curves.
      </p>
      {data.status === "loading" && <Loading what="the verified runs" />}
      {data.status === "error" && <ErrorBox error={data.error} onRetry={data.reload} />}
      {data.status === "ok" && (
        <>
          <div class="fig2-boundaries">
            {data.data.map((run) => (
              <Boundary key={run.protocol.id} run={run} />
            ))}
          </div>
          <h2>NTK features along training</h2>
          <ComponentPicker components={components} />
          <FeaturePanel runs={data.data} components={components} />
        </>
      )}
      <h2>The kernel at initialisation</h2>
      <SpectrumPanel />
    </div>
  );
}
