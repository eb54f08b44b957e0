// Pure helpers of `npm run bench -- compare` (summaries, speed ratio, JSON rows, interleaved order), apart so they are unit tested.

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly unit: string;
}

/** Which way a unit is better: "higher" for rates (steps/s), "lower" for times (s, ms/step). */
export type Better = "higher" | "lower";

/** One row of the comparison, as the --json object holds it. */
export interface CompareRow {
  readonly gslab: Summary;
  readonly pytorch: Summary | null;
  /** GS Lab's speed ÷ PyTorch's, from the medians: > 1 means GS Lab is faster; null without a PyTorch side. */
  readonly ratio: number | null;
}

/** Median (the mean of the two middle values for an even count), min and max of repeated measurements. */
export function summarize(values: readonly number[], unit: string): Summary {
  if (values.length === 0) throw new RangeError("nothing to summarise: no measurements");
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError(`measurements must be finite numbers, got ${values.join(", ")}`);
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, unit };
}

/** GS Lab's speed ÷ PyTorch's: the rates' quotient, or the times' inverse quotient. > 1 means GS Lab is faster. */
export function speedRatio(gslab: number, pytorch: number, better: Better): number {
  if (!(gslab > 0 && pytorch > 0)) throw new RangeError(`speeds and times must be positive, got ${gslab} and ${pytorch}`);
  return better === "higher" ? gslab / pytorch : pytorch / gslab;
}

/** A row from the raw measurements of both sides (pytorch null where PyTorch was not measured). */
export function compareRow(gslab: readonly number[], pytorch: readonly number[] | null, unit: string, better: Better): CompareRow {
  const ours = summarize(gslab, unit);
  const theirs = pytorch === null ? null : summarize(pytorch, unit);
  return { gslab: ours, pytorch: theirs, ratio: theirs === null ? null : speedRatio(ours.median, theirs.median, better) };
}

/** The order measurements are taken in: every side once per repeat, in turn (A, B, A, B, …), never all of one side first. */
export function interleavedOrder<T>(sides: readonly T[], repeats: number): T[] {
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be a positive integer, got ${repeats}`);
  return Array.from({ length: repeats }, () => sides).flat();
}

/** A command line's positive integer (e.g. --repeats), or a plain error naming the option. */
export function positiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`--${option} must be a positive integer, got "${text}"`);
  return value;
}

/** Three significant digits for values under 100, none after the point above: 0.0123, 1.23, 45.6, 1234. */
export function formatNumber(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** "median (min–max) unit" of one side, or "—" for a side not measured. */
export function formatSummary(summary: Summary | null): string {
  if (summary === null) return "—";
  return `${formatNumber(summary.median)} (${formatNumber(summary.min)}–${formatNumber(summary.max)}) ${summary.unit}`;
}

/** The ratio as printed, with its direction spelled out: "2.35× (GS Lab faster)"; "—" without a PyTorch side. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null) return "—";
  const direction = ratio > 1 ? "GS Lab faster" : ratio < 1 ? "PyTorch faster" : "as fast";
  return `${formatNumber(ratio)}× (${direction})`;
}
