// The comparison itself, W&B style, for runs already loaded: the recipe diff (differing rows highlighted, the
// rest foldable), the loss histories overlaid on one chart, the recomputed metrics side by side with the better
// value marked, and each run's picture (decision boundary, toy trajectories) side by side.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { formatMetric } from "../format";
import { runUrl } from "../routes";
import { RunBoundary, ToyRunPlot, LossHistoryPlot, type LabelledLoss } from "../run-page/run-figures";
import type { RunBundle } from "../run-page/run-bundle";
import { lossCurve } from "../run-page/run-series";
import { compareMetrics } from "./metric-compare";
import { diffRecipes, recipeRows } from "./recipe-diff";

/** A loaded run with its place in the comparison (its colour and short name). */
export interface ComparedBundle extends RunBundle {
  readonly color: string;
  readonly name: string;
}

/** matplotlib's tab10, the paper's figures' colours: one per compared run (at most eight). */
export const RUN_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"] as const;

function RunHeader({ run }: { readonly run: ComparedBundle }) {
  return (
    <th scope="col" class="compare-run-head">
      <span class="swatch" style={{ background: run.color }} aria-hidden="true" /> <a href={runUrl(run.run.id)}>{run.name}</a>
      <span class="muted compare-run-sub">
        {run.run.protocolId}, seed {run.run.seed}
      </span>
    </th>
  );
}

interface CompareTableProps {
  readonly label: string;
  readonly testId: string;
  /** The heading of the first column (the row names). */
  readonly first: string;
  readonly runs: readonly ComparedBundle[];
  readonly children: ComponentChildren;
}

/** A table with one column per run, scrolling inside its own labelled box on a narrow screen. */
function CompareTable({ label, testId, first, runs, children }: CompareTableProps) {
  return (
    <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table class="compare-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            {runs.map((r) => (
              <RunHeader key={r.run.id} run={r} />
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function RecipeDiff({ runs }: { readonly runs: readonly ComparedBundle[] }) {
  const [all, setAll] = useState(false);
  const rows = diffRecipes(runs.map((r) => (r.info ? recipeRows(r.info.protocol, r.run) : [])));
  const differing = rows.filter((r) => r.differs).length;
  const shown = all ? rows : rows.filter((r) => r.differs);
  return (
    <section aria-labelledby="compare-recipe-heading">
      <h2 id="compare-recipe-heading">Recipe</h2>
      <p data-testid="recipe-summary" data-differing={differing}>
        {differing === 0 ? "The recipes are identical." : `${differing} of ${rows.length} settings differ.`}{" "}
        <label class="inline-check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} data-testid="recipe-show-all" /> show every setting
        </label>
      </p>
      <CompareTable label="Recipe diff" testId="recipe-diff" first="Setting" runs={runs}>
        {shown.map((row) => (
          <tr key={row.key} class={row.differs ? "differs" : undefined} data-testid="recipe-row" data-key={row.key} data-differs={String(row.differs)}>
            <th scope="row">
              <code>{row.key}</code>
            </th>
            {row.values.map((value, k) => (
              <td key={k}>{value ?? <span class="muted">—</span>}</td>
            ))}
          </tr>
        ))}
      </CompareTable>
    </section>
  );
}

function LossOverlay({ runs }: { readonly runs: readonly ComparedBundle[] }) {
  const curves: LabelledLoss[] = [];
  const missing: string[] = [];
  for (const r of runs) {
    const curve = r.info && r.evidence.status === "ok" ? lossCurve(r.info.protocol, r.evidence.evidence) : null;
    if (curve) curves.push({ label: `${r.name} (${r.run.protocolId}, seed ${r.run.seed})`, color: r.color, curve });
    else missing.push(`${r.name}: ${r.evidence.status === "ok" ? "no loss history (a toy run records none)" : r.evidence.message}`);
  }
  return (
    <section aria-labelledby="compare-loss-heading">
      <h2 id="compare-loss-heading">Loss histories</h2>
      {curves.length > 0 ? (
        <figure class="run-figure" data-testid="compare-loss" data-series={curves.length}>
          <LossHistoryPlot curves={curves} testId="compare-loss-plot" />
          <figcaption>Each run's recorded training loss against the step, log scale, one colour per run.</figcaption>
        </figure>
      ) : (
        <p class="muted">None of these runs has a loss history to draw.</p>
      )}
      {missing.length > 0 && (
        <ul class="muted" data-testid="compare-loss-missing">
          {missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MetricsSideBySide({ runs }: { readonly runs: readonly ComparedBundle[] }) {
  const rows = compareMetrics(
    runs.map((r) => ({ protocolId: r.run.protocolId, family: r.info?.protocol.family ?? null, metrics: r.info?.metrics ?? [], values: r.run.recomputed })),
  );
  return (
    <section aria-labelledby="compare-metrics-heading">
      <h2 id="compare-metrics-heading">Metrics</h2>
      <p class="muted">
        The values the server recomputed from each run's weights. ★ marks the better value: higher accuracy and margin, lower loss (losses only between
        runs of one protocol); a Colored-MNIST train accuracy, curvature and |z| describe a run and rank nothing.
      </p>
      <CompareTable label="Metrics side by side" testId="compare-metrics" first="Metric" runs={runs}>
        {rows.map((row) => (
          <tr key={row.key} data-metric={row.key} data-direction={row.direction ?? "none"}>
            <th scope="row">
              {row.label}
              {row.direction && <span class="muted"> ({row.direction} is better)</span>}
            </th>
            {row.values.map((value, k) => (
              <td key={k} class={row.best[k] ? "num best" : "num"} data-best={String(row.best[k])}>
                {value === undefined ? <span class="muted">not measured</span> : formatMetric(value, { key: row.key, digits: row.digits })}
                {row.best[k] && <span aria-label="better"> ★</span>}
              </td>
            ))}
          </tr>
        ))}
      </CompareTable>
    </section>
  );
}

function Picture({ run }: { readonly run: ComparedBundle }) {
  const protocol = run.info?.protocol;
  if (!protocol) return <p class="muted">Its protocol is no longer listed.</p>;
  if (protocol.family === "two-moons") return <RunBoundary run={run.run} protocol={protocol} testId="compare-boundary" />;
  if (protocol.family === "toy-dynamics") {
    return run.evidence.status === "ok" ? <ToyRunPlot protocol={protocol} evidence={run.evidence.evidence} testId="compare-toy-plot" /> : <p class="muted">{run.evidence.message}</p>;
  }
  return (
    <p class="muted">
      A Colored-MNIST run has no boundary to draw: its Fig. 4 probes need the 11.8 MB MNIST pack, so they are computed on <a href={runUrl(run.run.id)}>its run page</a>.
    </p>
  );
}

function Pictures({ runs }: { readonly runs: readonly ComparedBundle[] }) {
  return (
    <section aria-labelledby="compare-pictures-heading">
      <h2 id="compare-pictures-heading">Boundaries</h2>
      <div class="compare-pictures">
        {runs.map((r) => (
          <figure key={r.run.id} class="run-figure" data-testid="compare-picture" data-run={r.run.id}>
            <Picture run={r} />
            <figcaption>
              <span class="swatch" style={{ background: r.color }} aria-hidden="true" /> <a href={runUrl(r.run.id)}>{r.name}</a>: {r.run.protocolId}, seed{" "}
              {r.run.seed}
            </figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

export function CompareView({ runs }: { readonly runs: readonly ComparedBundle[] }) {
  return (
    <>
      <RecipeDiff runs={runs} />
      <LossOverlay runs={runs} />
      <MetricsSideBySide runs={runs} />
      <Pictures runs={runs} />
    </>
  );
}
