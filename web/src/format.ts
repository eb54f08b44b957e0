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
