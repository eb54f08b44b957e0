// A responsive, high-DPI line plot (see line-plot-draw.ts) with an HTML legend, so that the legend is real
// text for screen readers and the picture carries an accessible description.
import { useEffect, useRef, useState } from "preact/hooks";
import { drawLinePlot, type PlotSpec } from "./line-plot-draw";

export interface LegendEntry {
  readonly label: string;
  readonly color: string;
  readonly dash?: readonly number[];
}

interface Props extends PlotSpec {
  /** Accessible description of the picture. */
  readonly label: string;
  readonly legend?: readonly LegendEntry[];
  readonly testId?: string;
  /** Height as a fraction of the width. */
  readonly aspect?: number;
  readonly maxWidth?: number;
}

function LegendSwatch({ color, dash }: { readonly color: string; readonly dash?: readonly number[] }) {
  return (
    <svg width="30" height="10" aria-hidden="true" class="legend-swatch">
      <line x1="1" y1="5" x2="29" y2="5" stroke={color} stroke-width="2" stroke-dasharray={dash && dash.length ? dash.join(" ") : undefined} />
    </svg>
  );
}

export function LinePlot({ series, x, y, label, legend, testId, aspect = 0.62, maxWidth = 520 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = (): void => setWidth(Math.floor(Math.min(element.clientWidth, maxWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [maxWidth]);

  const height = Math.round(width * aspect);
  useEffect(() => {
    const element = canvas.current;
    if (!element || width === 0) return;
    const scale = window.devicePixelRatio || 1;
    element.width = Math.round(width * scale);
    element.height = Math.round(height * scale);
    const ctx = element.getContext("2d");
    if (ctx) drawLinePlot(ctx, element.width, element.height, scale, { series, x, y });
  }, [series, x, y, width, height]);

  return (
    <div class="line-plot" ref={box}>
      <canvas
        ref={canvas}
        role="img"
        aria-label={label}
        data-testid={testId}
        data-series={series.length}
        style={{ width: `${width}px`, height: `${height}px` }}
      />
      {legend && legend.length > 0 && (
        <ul class="legend">
          {legend.map((entry) => (
            <li key={entry.label}>
              <LegendSwatch color={entry.color} {...(entry.dash ? { dash: entry.dash } : {})} /> {entry.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
