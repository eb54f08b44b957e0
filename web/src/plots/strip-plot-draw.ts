// The drawing math of a strip (dot) plot of a board's per-seed values for one metric: the value axis with round
// ticks, one dot per seed stacked where dots would overlap (a bounded beeswarm), the mean ± std band and the
// paper's value. Pure numbers, so the layout is unit-tested; strip-plot.tsx turns it into SVG.
import { niceTicks } from "./line-plot-draw";

export interface StripPoint {
  readonly seed: number;
  readonly value: number;
  /** Left out of the mean ± std (a disputed seed): drawn hollow. */
  readonly excluded: boolean;
}

export interface StripInput {
  readonly points: readonly StripPoint[];
  /** The protocol's mean ± std over its (undisputed) seeds, or null. */
  readonly stat: { readonly mean: number; readonly std: number } | null;
  /** The paper's value (and its std where it prints one), or null where the paper prints none. */
  readonly paper: { readonly value: number; readonly std: number | null } | null;
}

export interface StripOptions {
  readonly width: number;
  /** Horizontal inset of the axis inside the width. */
  readonly inset: number;
  readonly dotRadius: number;
  /** Rows a stack of equal values may take on each side of the centre line; further dots share the outermost row. */
  readonly maxRowsPerSide: number;
}

export const STRIP_DEFAULTS: StripOptions = { width: 360, inset: 14, dotRadius: 4, maxRowsPerSide: 6 };

export interface PlacedDot extends StripPoint {
  readonly x: number;
  /** Row offset from the centre line: 0, then +1, −1, +2, −2, … (multiply by the dot diameter). */
  readonly row: number;
}

export interface Band {
  readonly x: number;
  readonly from: number;
  readonly to: number;
}

export interface StripLayout {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly { readonly value: number; readonly x: number }[];
  readonly dots: readonly PlacedDot[];
  /** The outermost row used on either side (0 when no two dots overlap). */
  readonly rows: number;
  readonly mean: Band | null;
  readonly paper: Band | null;
}

/** The value range to draw: every point, the mean ± std and the paper's value ± std, padded by 8 %; never empty. */
export function stripDomain(input: StripInput): { readonly min: number; readonly max: number } {
  const values = input.points.map((p) => p.value);
  if (input.stat) values.push(input.stat.mean - input.stat.std, input.stat.mean + input.stat.std);
  if (input.paper) values.push(input.paper.value - (input.paper.std ?? 0), input.paper.value + (input.paper.std ?? 0));
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { min: 0, max: 1 };
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (max - min < 1e-12) {
    const half = Math.abs(min) * 0.05 || 0.5;
    return { min: min - half, max: max + half };
  }
  const pad = (max - min) * 0.08;
  min -= pad;
  max += pad;
  return { min, max };
}

/** The rows of a bounded beeswarm: each dot (in value order) takes the row nearest the centre where it overlaps no dot already there. */
export function stackRows(xs: readonly number[], diameter: number, maxRowsPerSide: number): number[] {
  const order = xs.map((x, k) => ({ x, k })).sort((a, b) => a.x - b.x);
  const rightmost = new Map<number, number>();
  const rows = new Array<number>(xs.length).fill(0);
  const candidates = [0];
  for (let r = 1; r <= maxRowsPerSide; r++) candidates.push(r, -r);
  for (const { x, k } of order) {
    // Dots arrive in x order, so a row is free when its rightmost dot ends a diameter before x.
    const row = candidates.find((r) => (rightmost.get(r) ?? Number.NEGATIVE_INFINITY) <= x - diameter) ?? candidates.at(-1)!;
    rightmost.set(row, x);
    rows[k] = row;
  }
  return rows;
}

export function stripLayout(input: StripInput, options: StripOptions = STRIP_DEFAULTS): StripLayout {
  const { min, max } = stripDomain(input);
  const span = options.width - 2 * options.inset;
  const toX = (value: number): number => options.inset + ((value - min) / (max - min)) * span;
  const points = input.points.filter((p) => Number.isFinite(p.value));
  const xs = points.map((p) => toX(p.value));
  const rows = stackRows(xs, 2 * options.dotRadius, options.maxRowsPerSide);
  const band = (centre: number, std: number | null): Band => ({ x: toX(centre), from: toX(centre - (std ?? 0)), to: toX(centre + (std ?? 0)) });
  return {
    min,
    max,
    ticks: niceTicks(min, max, 4)
      .filter((value) => value >= min && value <= max)
      .map((value) => ({ value, x: toX(value) })),
    dots: points.map((p, k) => ({ ...p, x: xs[k]!, row: rows[k]! })),
    rows: rows.reduce((most, row) => Math.max(most, Math.abs(row)), 0),
    mean: input.stat ? band(input.stat.mean, input.stat.std) : null,
    paper: input.paper ? band(input.paper.value, input.paper.std) : null,
  };
}
