// Metric tables: one row per metric with its label and description (from the protocol's definitions) and
// one column per set of values — a finished run, claimed vs recomputed, or leaderboard aggregates.
import type { Stat } from "../../../shared/api";
import { withinTolerance } from "../../../shared/metrics/compare";
import type { MetricDefinition } from "../../../shared/protocols/types";
import { formatMetric, formatMetricStat } from "../format";

export interface ValueColumn {
  readonly title: string;
  readonly values: Readonly<Record<string, number | null>> | null;
}

interface MetricsTableProps {
  readonly metrics: readonly MetricDefinition[];
  readonly columns: readonly ValueColumn[];
  /** Adds a column saying whether the first two columns agree within each metric's tolerance. */
  readonly compare?: boolean;
  readonly caption?: string;
  readonly testId?: string;
}

export function MetricsTable({ metrics, columns, compare, caption, testId }: MetricsTableProps) {
  return (
    <div class="table-scroll">
      <table class="metrics" data-testid={testId}>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {columns.map((c) => (
              <th scope="col" class="num" key={c.title}>
                {c.title}
              </th>
            ))}
            {compare && <th scope="col">Match</th>}
          </tr>
        </thead>
        <tbody>
          {metrics.map((m) => {
            const values = columns.map((c) => (c.values ? (c.values[m.key] ?? null) : undefined));
            const match = compare && values[0] !== undefined && values[1] !== undefined ? withinTolerance(values[0], values[1], m.tolerance) : null;
            return (
              <tr key={m.key} data-metric={m.key}>
                <MetricRowHeader metric={m} />
                {values.map((v, k) => (
                  <td class="num" key={k} data-column={columns[k]!.title}>
                    {formatMetric(v, m)}
                  </td>
                ))}
                {compare && (
                  <td data-testid="metric-match">{match === null ? "—" : match ? <span class="ok">✓ match</span> : <span class="bad">✗ differs</span>}</td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A metric's row header: its label and, under it, what it measures. */
export function MetricRowHeader({ metric }: { readonly metric: MetricDefinition }) {
  return (
    <th scope="row">
      <span class="metric-label">{metric.label}</span>
      <span class="metric-description">{metric.description}</span>
    </th>
  );
}

interface AggregateTableProps {
  readonly metrics: readonly MetricDefinition[];
  readonly stats: Readonly<Record<string, Stat | null>>;
}

/** Mean ± population std over seeds, with the number of seeds. */
export function AggregateTable({ metrics, stats }: AggregateTableProps) {
  return (
    <div class="table-scroll">
      <table class="metrics">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col" class="num">
              Mean ± std over seeds
            </th>
            <th scope="col" class="num">
              Seeds
            </th>
          </tr>
        </thead>
        <tbody>
          {metrics.map((m) => (
            <tr key={m.key} data-metric={m.key}>
              <MetricRowHeader metric={m} />
              <td class="num">{formatMetricStat(stats[m.key], m, false)}</td>
              <td class="num">{stats[m.key]?.n ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
