// A board's per-seed distribution: for each listed metric a strip plot of every seed's mean (hollow: left out of
// the average), the protocol's mean ± std and the paper's value where the paper prints one.
import type { BoardPage } from "../../../shared/board-api";
import type { MetricDefinition, Protocol } from "../../../shared/protocols/types";
import { formatMetric, formatMetricStat } from "../format";
import { paperValueOf } from "../paper-values";
import { StripPlot } from "../plots/strip-plot";

interface Props {
  readonly protocol: Protocol;
  readonly metrics: readonly MetricDefinition[];
  readonly page: BoardPage;
}

export function SeedDistribution({ protocol, metrics, page }: Props) {
  const { seeds, entry } = page;
  return (
    <>
      <p class="muted">
        One dot per seed: the mean of its counted runs{seeds.some((s) => s.excluded) && "; hollow dots are disputed seeds left out of the average"}. The
        shaded band is the mean ± std over seeds; the red line, where there is one, is the paper's value.
        {page.seedsTruncated && ` Only the first ${seeds.length} seeds are drawn.`}
      </p>
      <div class="seed-strips">
        {metrics.map((metric) => {
          const points = seeds.flatMap((s) => {
            const value = s.means[metric.key];
            return value === null || value === undefined ? [] : [{ seed: s.seed, value, excluded: s.excluded }];
          });
          const stat = entry.metrics[metric.key] ?? null;
          const paper = paperValueOf(protocol, metric.key);
          return (
            <figure key={metric.key} class="seed-strip">
              <figcaption>
                <strong>{metric.label}</strong> <span class="muted">{formatMetricStat(stat, metric, false)}</span>
                {paper && (
                  <span class="paper-value">
                    {" "}
                    · paper ({paper.source}): {formatMetric(paper.value, metric)}
                    {paper.std !== null && ` ± ${formatMetric(paper.std, metric)}`}
                  </span>
                )}
              </figcaption>
              {points.length === 0 ? (
                <p class="muted">No seed has a value yet.</p>
              ) : (
                <StripPlot points={points} stat={stat} paper={paper} label={metric.label} metricKey={metric.key} digits={metric.digits} />
              )}
            </figure>
          );
        })}
      </div>
    </>
  );
}
