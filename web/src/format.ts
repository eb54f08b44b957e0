// Number and time formatting shared by every page, so a metric reads the same on the Lab, the board and
// the run page (fixed digits from its MetricDefinition, "—" for empty values).
import type { Stat } from "../../shared/api";

export const DASH = "—";

export function formatValue(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value.toFixed(digits);
}

export function formatStat(stat: Stat | null | undefined, digits: number): string {
  if (!stat) return DASH;
  return stat.n > 1 ? `${formatValue(stat.mean, digits)} ± ${formatValue(stat.std, digits)}` : formatValue(stat.mean, digits);
}

/** A loss as a short significant-digits number (losses span orders of magnitude). */
export function formatLoss(loss: number): string {
  if (!Number.isFinite(loss)) return DASH;
  return loss >= 0.01 ? loss.toPrecision(4) : loss.toExponential(3);
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  if (minutes < 60) return `${minutes} min ${rest} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const formatEta = (seconds: number): string => (Number.isFinite(seconds) ? formatDuration(seconds * 1000) : DASH);

export function formatRate(stepsPerSecond: number): string {
  if (!Number.isFinite(stepsPerSecond)) return DASH;
  return stepsPerSecond >= 100 ? Math.round(stepsPerSecond).toString() : stepsPerSecond.toPrecision(3);
}

export const formatCount = (n: number): string => n.toLocaleString("en-US");

export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

/** Accuracies (fractions of examples classified correctly) are shown in percent everywhere, one decimal. */
export const isAccuracy = (metric: { readonly key: string }): boolean => /accuracy$/i.test(metric.key);

/** A fraction as a percentage with one decimal: 0.8585 → "85.9 %". */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return DASH;
  return `${(100 * fraction).toFixed(digits)} %`;
}

/** A metric's value in its one unit: accuracies in percent, everything else with its definition's digits. */
export function formatMetric(value: number | null | undefined, metric: { readonly key: string; readonly digits: number }): string {
  return isAccuracy(metric) ? formatPercent(value) : formatValue(value, metric.digits);
}

/**
 * Seeds' mean ± std of a metric in its unit, with the number of seeds unless `showN` is false: "85.9 ± 0.4 % (n = 10)";
 * one seed has no spread to show: "85.9 % (n = 1)", never "± 0.0".
 */
export function formatMetricStat(stat: Stat | null | undefined, metric: { readonly key: string; readonly digits: number }, showN = true): string {
  if (!stat || stat.n < 1) return DASH;
  const n = showN ? ` (n = ${formatCount(stat.n)})` : "";
  if (stat.n === 1) return `${formatMetric(stat.mean, metric)}${n}`;
  if (!isAccuracy(metric)) return `${formatValue(stat.mean, metric.digits)} ± ${formatValue(stat.std, metric.digits)}${n}`;
  return `${(100 * stat.mean).toFixed(1)} ± ${(100 * stat.std).toFixed(1)} %${n}`;
}

/**
 * A duration as an estimate says it, rounded to what it can know: "8 s", "4 min", "1 h 20 min" (to 5 min past
 * an hour), "≈" left to the sentence.
 */
export function formatRoughDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return DASH;
  const seconds = ms / 1000;
  if (seconds < 1) return "under a second";
  if (seconds < 59.5) return `${Math.round(seconds)} s`;
  const minutes = seconds / 60;
  if (minutes < 59.5) return `${Math.round(minutes)} min`;
  const rounded = Math.round(minutes / 5) * 5;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
