// The paper's diverging red/blue colour map (matplotlib's RdBu): negative outputs (class 0, red points)
// red, positive outputs (class 1, blue points) blue, white at the decision boundary; banded like contourf.

export type Rgb = readonly [number, number, number];

/** matplotlib RdBu, low (red) to high (blue). */
const RDBU: readonly Rgb[] = [
  [103, 0, 31],
  [178, 24, 43],
  [214, 96, 77],
  [244, 165, 130],
  [253, 219, 199],
  [247, 247, 247],
  [209, 229, 240],
  [146, 197, 222],
  [67, 147, 195],
  [33, 102, 172],
  [5, 48, 97],
];

export const CLASS_COLORS = ["#C82506", "#0365C0"] as const;

/** Colour at t in [0, 1] (clamped), linearly interpolated between the RdBu stops. */
export function rdbu(t: number): Rgb {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5));
  const position = clamped * (RDBU.length - 1);
  const k = Math.min(Math.floor(position), RDBU.length - 2);
  const f = position - k;
  const a = RDBU[k]!;
  const b = RDBU[k + 1]!;
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

/**
 * The symmetric colour range of a grid: a high percentile of |value| (so a few extreme corners do not wash
 * the picture out), at least `floor` so that a near-zero network stays pale.
 */
export function symmetricRange(values: ArrayLike<number>, percentile = 0.98, floor = 0.5): number {
  const magnitudes = Float64Array.from({ length: values.length }, (_, k) => Math.abs(values[k]!)).filter(Number.isFinite).sort();
  if (magnitudes.length === 0) return floor;
  const index = Math.min(magnitudes.length - 1, Math.floor(percentile * (magnitudes.length - 1)));
  return Math.max(floor, magnitudes[index]!);
}

/**
 * Colour of a value in [-range, range], in `bands` discrete levels (an even count keeps 0 on a band edge,
 * like contourf's levels), so the filled contours read as in the paper.
 */
export function bandColor(value: number, range: number, bands = 14): Rgb {
  const t = 0.5 + 0.5 * Math.min(1, Math.max(-1, Number.isFinite(value) ? value / range : 0));
  const band = Math.min(bands - 1, Math.floor(t * bands));
  return bandPalette(bands)[band]!;
}

const palettes = new Map<number, readonly Rgb[]>();

/** The colour of each band (cached: the heat-map asks for one per pixel). */
function bandPalette(bands: number): readonly Rgb[] {
  let palette = palettes.get(bands);
  if (!palette) {
    palette = Array.from({ length: bands }, (_, band) => rdbu((band + 0.5) / bands));
    palettes.set(bands, palette);
  }
  return palette;
}
