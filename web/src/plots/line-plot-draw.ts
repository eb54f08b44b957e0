// Drawing line plots on a canvas the way the paper's matplotlib figures look: a light grey face, dashed
// grid lines, tick labels, solid/dashed/dotted lines of given colours, linear or log-scale axes. Curves
// may be parametric (x need not increase), as Fig. 6's |z2| against |z1| is.

export interface PlotSeries {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly color: string;
  /** Canvas dash pattern in CSS pixels ([] = solid). */
  readonly dash?: readonly number[];
  readonly width?: number;
}

export interface PlotAxis {
  readonly min: number;
  readonly max: number;
  readonly label: string;
  readonly log?: boolean;
  /** Hide the numbers (as the paper's Fig. 2 does on its |z| axis). */
  readonly hideTickLabels?: boolean;
}

export interface PlotSpec {
  readonly series: readonly PlotSeries[];
  readonly x: PlotAxis;
  readonly y: PlotAxis;
}

/** matplotlib's dash patterns for linewidth 1.5, in CSS pixels: '-', '--', ':'. */
/** A log-scale y axis around a loss history's positive values (0.01–1 while there are none yet). */
export function logLossAxis(values: readonly number[]): PlotAxis {
  const positive = values.filter((v) => v > 0);
  return {
    min: positive.length ? Math.min(...positive) * 0.8 : 0.01,
    max: positive.length ? Math.max(...positive) * 1.25 : 1,
    label: "loss (log scale)",
    log: true,
  };
}

export const LINE_STYLES = { solid: [] as number[], dashed: [5.5, 2.4], dotted: [1.5, 2.5] } as const;
export type LineStyle = keyof typeof LINE_STYLES;

/** About `count` round tick values (1, 2, 2.5 or 5 × 10^k apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Powers of ten within [min, max] (both > 0), thinned to at most about `count`; 2× and 5× too when that gives fewer than 3. */
export function logTicks(min: number, max: number, count = 6): number[] {
  // A log axis has no zero and nothing below it: such a range has no ticks (never a "0" label).
  if (!(min > 0) || !(max > min) || !Number.isFinite(max)) return [];
  const low = Math.ceil(Math.log10(min) - 1e-9);
  const high = Math.floor(Math.log10(max) + 1e-9);
  const every = Math.max(1, Math.ceil((high - low + 1) / count));
  const ticks: number[] = [];
  for (let e = low; e <= high; e += every) ticks.push(10 ** e);
  if (ticks.length >= 3) return ticks;
  const dense: number[] = [];
  for (let e = low - 1; e <= high; e++) for (const m of [1, 2, 5]) dense.push(Number((m * 10 ** e).toPrecision(12)));
  return dense.filter((v) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9));
}

export function formatTick(value: number, log = false): string {
  if (log && !(value > 0)) return "";
  if (log) return value >= 1e-3 && value < 1e4 ? String(value) : value.toExponential().replace(/e\+?/, "e");
  if (Math.abs(value) >= 1e4) return `${Number((value / 1000).toPrecision(6))}k`;
  return String(Number(value.toPrecision(6)));
}

/**
 * A log axis's labels for any plotting library's splits (uPlot's own formatter rounds 1e-4 to "0"): exponent
 * form below 1e-3, never "0", blank for a missing or non-positive split.
 */
export const logTickLabels = (splits: ReadonlyArray<number | null | undefined>): string[] =>
  splits.map((value) => (value === null || value === undefined ? "" : formatTick(value, true)));

/** A log axis whose range a log scale can draw: a non-positive minimum becomes a thousandth of the maximum. */
export function drawableAxis(axis: PlotAxis): PlotAxis {
  if (!axis.log || (axis.min > 0 && axis.max > axis.min)) return axis;
  const max = axis.max > 0 && Number.isFinite(axis.max) ? axis.max : 1;
  const min = axis.min > 0 && axis.min < max ? axis.min : max / 1000;
  return { ...axis, min, max };
}

/** Maps a data value onto [0, 1] along an axis (log axes in log10), NaN for values a log axis cannot show. */
export function toUnit(axis: PlotAxis, value: number): number {
  if (axis.log) return value > 0 ? (Math.log10(value) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min)) : Number.NaN;
  return (value - axis.min) / (axis.max - axis.min);
}

interface Frame {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

function frameOf(width: number, height: number, scale: number, spec: PlotSpec): Frame {
  const left = (spec.y.hideTickLabels ? 22 : 52) * scale;
  const bottom = 40 * scale;
  const top = 10 * scale;
  // Room on the right for half of the last x tick label.
  const right = 18 * scale;
  return { left, top, width: width - left - right, height: height - bottom - top };
}

export function drawLinePlot(ctx: CanvasRenderingContext2D, width: number, height: number, scale: number, given: PlotSpec): void {
  const spec: PlotSpec = { ...given, x: drawableAxis(given.x), y: drawableAxis(given.y) };
  const frame = frameOf(width, height, scale, spec);
  const px = (x: number): number => frame.left + toUnit(spec.x, x) * frame.width;
  const py = (y: number): number => frame.top + (1 - toUnit(spec.y, y)) * frame.height;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = "#F9F9F9";
  ctx.fillRect(frame.left, frame.top, frame.width, frame.height);

  const xTicks = spec.x.log ? logTicks(spec.x.min, spec.x.max) : niceTicks(spec.x.min, spec.x.max);
  const yTicks = spec.y.log ? logTicks(spec.y.min, spec.y.max) : niceTicks(spec.y.min, spec.y.max);
  ctx.save();
  ctx.strokeStyle = "rgba(0, 0, 0, 0.3)";
  ctx.lineWidth = 0.7 * scale;
  ctx.setLineDash([3 * scale, 3 * scale]);
  ctx.beginPath();
  for (const t of xTicks) {
    ctx.moveTo(Math.round(px(t)) + 0.5, frame.top);
    ctx.lineTo(Math.round(px(t)) + 0.5, frame.top + frame.height);
  }
  for (const t of yTicks) {
    ctx.moveTo(frame.left, Math.round(py(t)) + 0.5);
    ctx.lineTo(frame.left + frame.width, Math.round(py(t)) + 0.5);
  }
  ctx.stroke();
  ctx.restore();

  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left, frame.top, frame.width, frame.height);
  ctx.clip();
  ctx.lineJoin = "round";
  for (const series of spec.series) {
    ctx.strokeStyle = series.color;
    ctx.lineWidth = (series.width ?? 1.5) * scale;
    ctx.setLineDash((series.dash ?? []).map((d) => d * scale));
    ctx.lineCap = series.dash && series.dash.length ? "butt" : "round";
    ctx.beginPath();
    let drawing = false;
    for (let k = 0; k < series.x.length; k++) {
      const x = px(series.x[k]!);
      const y = py(series.y[k]!);
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        drawing = false;
        continue;
      }
      if (drawing) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      drawing = true;
    }
    ctx.stroke();
  }
  ctx.restore();

  ctx.strokeStyle = "#444444";
  ctx.lineWidth = scale;
  ctx.setLineDash([]);
  ctx.strokeRect(frame.left, frame.top, frame.width, frame.height);
  ctx.fillStyle = "#333333";
  ctx.font = `${11 * scale}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of xTicks) ctx.fillText(formatTick(t, spec.x.log), px(t), frame.top + frame.height + 4 * scale);
  ctx.fillText(spec.x.label, frame.left + frame.width / 2, frame.top + frame.height + 21 * scale);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  const yLabels = spec.y.log ? logTickLabels(yTicks) : yTicks.map((t) => formatTick(t));
  if (!spec.y.hideTickLabels) yTicks.forEach((t, k) => ctx.fillText(yLabels[k]!, frame.left - 5 * scale, py(t)));
  ctx.save();
  ctx.translate(frame.left - (spec.y.hideTickLabels ? 10 : 42) * scale, frame.top + frame.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center";
  ctx.fillText(spec.y.label, 0, 0);
  ctx.restore();
}
