// Why: the rows of the Table 1 page — the paper's train/test accuracy next to the verified runs' (fractions
// turned into percent), their difference in paper-std units — and the banner's reading of the paper's ordering.
import type { LeaderboardEntry, Stat } from "../../../shared/api";
import { CMNIST_TABLE1_RANDOM, type AccuracyReference, type CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import { DASH } from "../format";
import { methodName } from "./cmnist-protocols";

/** A mean ± std in percent. */
export interface PercentStat {
  readonly mean: number;
  readonly std: number;
}

export interface Table1Cell {
  /** The paper's value (percent), or null for a row the paper does not have (a reduced configuration). */
  readonly paper: PercentStat | null;
  /** Mean ± population std over seeds of the verified runs (percent), n seeds; null without runs. */
  readonly lab: (PercentStat & { readonly n: number }) | null;
  /** lab − paper in percentage points; null when either is missing. */
  readonly diffPoints: number | null;
  /** (lab − paper) / paper std; null when either is missing or the paper's std is 0. */
  readonly diffInStd: number | null;
}

export interface Table1Row {
  /** The protocol id, or "random" for the paper's random-guess row. */
  readonly key: string;
  readonly protocolId: string | null;
  readonly method: string;
  readonly title: string;
  readonly train: Table1Cell;
  readonly test: Table1Cell;
  readonly runs: number;
  readonly seeds: number;
  readonly contributors: number;
  /** The protocol has verified runs on the leaderboard. */
  readonly hasRuns: boolean;
}

const toPercent = (stat: Stat | null | undefined): Table1Cell["lab"] =>
  stat ? { mean: stat.mean * 100, std: stat.std * 100, n: stat.n } : null;

export function table1Cell(paper: PercentStat | null, stat: Stat | null | undefined): Table1Cell {
  const lab = toPercent(stat);
  const diffPoints = paper && lab ? lab.mean - paper.mean : null;
  const diffInStd = diffPoints !== null && paper && paper.std > 0 ? diffPoints / paper.std : null;
  return { paper, lab, diffPoints, diffInStd };
}

function protocolRow(protocol: CmnistProtocol, entry: LeaderboardEntry | undefined, reference: AccuracyReference | null): Table1Row {
  const runs = entry?.runs ?? 0;
  return {
    key: protocol.id,
    protocolId: protocol.id,
    method: methodName(protocol),
    title: protocol.title,
    train: table1Cell(reference?.train ?? null, runs > 0 ? entry?.metrics["trainAccuracy"] : null),
    test: table1Cell(reference?.test ?? null, runs > 0 ? entry?.metrics["testAccuracy"] : null),
    runs,
    seeds: entry?.seeds ?? 0,
    contributors: entry?.contributors ?? 0,
    hasRuns: runs > 0,
  };
}

const entryOf = (entries: readonly LeaderboardEntry[], id: string): LeaderboardEntry | undefined => entries.find((e) => e.protocolId === id);

/** The paper's Table 1: one row per protocol (paper order), then the paper's random-guess row. */
export function table1Rows(protocols: readonly CmnistProtocol[], entries: readonly LeaderboardEntry[]): Table1Row[] {
  const rows = protocols.map((p) => protocolRow(p, entryOf(entries, p.id), p.reference.table1));
  rows.push({
    key: "random",
    protocolId: null,
    method: "Random guess",
    title: "Random guess (chance on a balanced binary task)",
    train: table1Cell(CMNIST_TABLE1_RANDOM.train, null),
    test: table1Cell(CMNIST_TABLE1_RANDOM.test, null),
    runs: 0,
    seeds: 0,
    contributors: 0,
    hasRuns: false,
  });
  return rows;
}

/** Reduced configurations: the verified runs only — they are not the paper's protocol, so no paper column. */
export function reducedRows(protocols: readonly CmnistProtocol[], entries: readonly LeaderboardEntry[]): Table1Row[] {
  return protocols.map((p) => protocolRow(p, entryOf(entries, p.id), null));
}

/** "91.1 ± 0.4"; a std of 0 (the random-guess row, a single seed) is left out: "50.0". */
export function formatPercent(stat: PercentStat | null, digits = 1): string {
  if (!stat) return DASH;
  return stat.std > 0 ? `${stat.mean.toFixed(digits)} ± ${stat.std.toFixed(digits)}` : stat.mean.toFixed(digits);
}

/** "+1.3σ", "−0.4σ" (typographic minus), or "—". */
export function formatDiffInStd(diff: number | null): string {
  if (diff === null || !Number.isFinite(diff)) return DASH;
  const text = Math.abs(diff).toFixed(1);
  return `${diff < 0 && text !== "0.0" ? "−" : "+"}${text}σ`;
}

/** "+0.8 pts", "−12.3 pts", or "—". */
export function formatDiffPoints(diff: number | null): string {
  if (diff === null || !Number.isFinite(diff)) return DASH;
  const text = Math.abs(diff).toFixed(1);
  return `${diff < 0 && text !== "0.0" ? "−" : "+"}${text} pts`;
}

// ---- the banner: the paper's ordering, read off the verified runs ----

export const ERM_ID = "cmnist-erm";
export const SD_ID = "cmnist-sd";
export const IRM_ID = "cmnist-irm";
/** "Far below chance": at least this many points under the random-guess row's test accuracy. */
export const FAR_BELOW_POINTS = 10;
/** "Near 67–68 %": within this many points of the band spanned by the paper's SD and IRM test accuracies. */
export const NEAR_POINTS = 5;

export interface OrderingCheck {
  readonly protocolId: string;
  readonly method: string;
  /** What must hold, in words, with its threshold. */
  readonly text: string;
  /** GS Lab's mean test accuracy (percent), or null without runs. */
  readonly value: number | null;
  /** null: not judged (no verified runs). */
  readonly holds: boolean | null;
}

export type OrderingStatus = "holds" | "fails" | "partial" | "no-runs";

export interface OrderingVerdict {
  readonly status: OrderingStatus;
  readonly checks: readonly OrderingCheck[];
  /** The "near" band, percent. */
  readonly band: readonly [number, number];
  /** ERM's test accuracy must be below this, percent. */
  readonly ermBelow: number;
}

/**
 * Table 1's ordering claim — ERM's test accuracy far below chance, SD's and IRM's near the paper's 67–68 % —
 * judged on the verified runs of the paper's protocols. Thresholds come from the paper's own rows (chance −
 * FAR_BELOW_POINTS; the SD–IRM band ± NEAR_POINTS); a check without runs is not judged.
 */
export function orderingVerdict(rows: readonly Table1Row[]): OrderingVerdict {
  const random = rows.find((r) => r.key === "random")?.test.paper?.mean ?? CMNIST_TABLE1_RANDOM.test.mean;
  const ermBelow = random - FAR_BELOW_POINTS;
  const row = (id: string): Table1Row | undefined => rows.find((r) => r.protocolId === id);
  const nearIds = [SD_ID, IRM_ID].filter((id) => row(id)?.test.paper);
  const paperMeans = nearIds.map((id) => row(id)!.test.paper!.mean);
  const band: readonly [number, number] = paperMeans.length
    ? [Math.min(...paperMeans) - NEAR_POINTS, Math.max(...paperMeans) + NEAR_POINTS]
    : [Number.NaN, Number.NaN];
  const checks: OrderingCheck[] = [];
  const erm = row(ERM_ID);
  if (erm) {
    const value = erm.test.lab?.mean ?? null;
    checks.push({
      protocolId: ERM_ID,
      method: erm.method,
      text: `ERM's test accuracy is far below chance (under ${ermBelow.toFixed(0)} %)`,
      value,
      holds: value === null ? null : value < ermBelow,
    });
  }
  for (const id of nearIds) {
    const r = row(id)!;
    const value = r.test.lab?.mean ?? null;
    checks.push({
      protocolId: id,
      method: r.method,
      text: `${r.method}'s test accuracy is near 67–68 % (${band[0].toFixed(1)}–${band[1].toFixed(1)} %)`,
      value,
      holds: value === null ? null : value >= band[0] && value <= band[1],
    });
  }
  const judged = checks.filter((c) => c.holds !== null);
  const status: OrderingStatus =
    judged.length === 0 ? "no-runs" : judged.some((c) => c.holds === false) ? "fails" : judged.length === checks.length ? "holds" : "partial";
  return { status, checks, band, ermBelow };
}
