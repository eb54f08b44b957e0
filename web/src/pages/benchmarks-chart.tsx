// One item's chart on the benchmark board: a bar per group (and per reference row) at its median, with a
// whisker from p10 to p90 (reference rows: the range of their repeats), on a shared linear axis from 0.
export interface ChartBar {
  readonly label: string;
  readonly median: number;
  readonly low: number;
  readonly high: number;
  readonly reference: boolean;
}

const percent = (value: number, max: number): string => `${((100 * value) / max).toFixed(2)}%`;

export function BenchChart({ title, unit, bars }: { readonly title: string; readonly unit: string; readonly bars: readonly ChartBar[] }) {
  if (bars.length === 0) return null;
  const max = Math.max(...bars.map((b) => b.high), 1e-9);
  return (
    <figure class="bench-chart" data-testid="bench-chart">
      <figcaption>
        {title} ({unit}): median, whisker p10–p90; reference rows hatched (whisker: min–max of their repeats)
      </figcaption>
      <ul>
        {bars.map((bar, k) => (
          <li key={k} class={bar.reference ? "reference" : undefined}>
            <span class="label">{bar.label}</span>
            <span class="track" aria-hidden="true">
              <span class="bar" style={{ width: percent(bar.median, max) }} />
              <span class="whisker" style={{ left: percent(bar.low, max), width: percent(Math.max(bar.high - bar.low, 0), max) }} />
            </span>
            <span class="value">
              {bar.median.toPrecision(3)} {unit}
            </span>
          </li>
        ))}
      </ul>
      <p class="muted">
        axis: 0 to {max.toPrecision(3)} {unit}
      </p>
    </figure>
  );
}
