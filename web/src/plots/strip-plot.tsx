// A strip (dot) plot of one metric's per-seed values on a board: a dot per seed (hollow where the seed is left out
// of the average), the mean ± std as a band, the paper's value as a red mark, drawn as SVG from strip-plot-draw.
import { formatTick } from "./line-plot-draw";
import { STRIP_DEFAULTS, stripLayout, type StripInput } from "./strip-plot-draw";

interface Props extends StripInput {
  readonly label: string;
  readonly metricKey: string;
  readonly digits: number;
}

const TOP = 16;
const AXIS = 22;

export function StripPlot({ points, stat, paper, label, metricKey, digits }: Props) {
  const layout = stripLayout({ points, stat, paper });
  const { width, dotRadius } = STRIP_DEFAULTS;
  const diameter = 2 * dotRadius;
  const centre = TOP + (layout.rows + 0.5) * diameter;
  const bottom = centre + (layout.rows + 0.5) * diameter + 4;
  const height = bottom + AXIS;
  const summary =
    `${label}: ${layout.dots.length} ${layout.dots.length === 1 ? "seed" : "seeds"}` +
    (stat ? `, mean ${stat.mean.toFixed(digits)} ± ${stat.std.toFixed(digits)}` : "") +
    (paper ? `, the paper ${paper.value.toFixed(digits)}` : ", no value printed in the paper");
  return (
    <svg
      class="strip-plot"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={summary}
      data-testid="seed-strip"
      data-metric={metricKey}
      data-points={layout.dots.length}
      data-paper={paper ? String(paper.value) : undefined}
    >
      {layout.mean && (
        <g class="strip-mean">
          <rect x={layout.mean.from} y={TOP - 4} width={Math.max(1, layout.mean.to - layout.mean.from)} height={bottom - TOP + 4} />
          <line x1={layout.mean.x} x2={layout.mean.x} y1={TOP - 4} y2={bottom} />
        </g>
      )}
      {layout.paper && (
        <g class="strip-paper" data-testid="strip-paper">
          {layout.paper.to > layout.paper.from && <line class="strip-paper-std" x1={layout.paper.from} x2={layout.paper.to} y1={TOP - 6} y2={TOP - 6} />}
          <line x1={layout.paper.x} x2={layout.paper.x} y1={TOP - 10} y2={bottom} />
          <text x={layout.paper.x} y={TOP - 8} text-anchor={layout.paper.x > width - 40 ? "end" : "start"} dx={layout.paper.x > width - 40 ? -3 : 3}>
            paper
          </text>
        </g>
      )}
      {layout.dots.map((dot) => (
        <circle key={dot.seed} class={dot.excluded ? "strip-dot excluded" : "strip-dot"} cx={dot.x} cy={centre + dot.row * diameter} r={dotRadius - 0.5}>
          <title>{`seed ${dot.seed}: ${dot.value.toFixed(digits)}${dot.excluded ? " (left out of the average)" : ""}`}</title>
        </circle>
      ))}
      <line class="strip-axis" x1={STRIP_DEFAULTS.inset} x2={width - STRIP_DEFAULTS.inset} y1={bottom} y2={bottom} />
      {layout.ticks.map((tick) => (
        <g key={tick.value} class="strip-tick">
          <line x1={tick.x} x2={tick.x} y1={bottom} y2={bottom + 4} />
          <text x={tick.x} y={bottom + 16} text-anchor="middle">
            {formatTick(tick.value)}
          </text>
        </g>
      ))}
    </svg>
  );
}
