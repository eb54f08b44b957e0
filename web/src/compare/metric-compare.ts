// Metrics side by side: one row per metric any compared run has, the server's recomputed value of each run,
// and which run is better where "better" means something — accuracies and margins higher, a loss lower (only
// between runs of one protocol: different objectives' losses are not comparable); a boundary's curvature or the
// toy model's |z| end points describe a run and rank nothing.
import type { MetricDefinition, Protocol } from "../../../shared/protocols/types";

export type Direction = "higher" | "lower";

interface Judgement {
  readonly direction: Direction;
  /** Whether values of different protocols may be ranked against each other. */
  readonly acrossProtocols: boolean;
  /** Experiment families whose value of this metric ranks nothing. */
  readonly notFor?: readonly Family[];
}

type Family = Protocol["family"];

/** The metrics with a better side, by key; every other metric is descriptive. */
const JUDGEMENTS: Readonly<Record<string, Judgement>> = {
  // Colored MNIST's training environments reward reading the colour: a higher train accuracy is not a better model.
  trainAccuracy: { direction: "higher", acrossProtocols: true, notFor: ["colored-mnist"] },
  testAccuracy: { direction: "higher", acrossProtocols: true },
  meanMargin: { direction: "higher", acrossProtocols: true },
  minMargin: { direction: "higher", acrossProtocols: true },
  finalLoss: { direction: "lower", acrossProtocols: false },
};

export interface ComparedRun {
  readonly protocolId: string;
  /** null for a protocol the server no longer lists (it has no metrics either). */
  readonly family: Family | null;
  readonly metrics: readonly MetricDefinition[];
  /** The server's recomputed values; null when it recomputed none (a rejected run). */
  readonly values: Readonly<Record<string, number | null>> | null;
}

export interface MetricRow {
  readonly key: string;
  readonly label: string;
  readonly digits: number;
  /** One per run; undefined where the run's protocol has no such metric, null where it has no value. */
  readonly values: readonly (number | null | undefined)[];
  /** Which runs hold the best value (all false where the metric ranks nothing or fewer than two values exist). */
  readonly best: readonly boolean[];
  /** The better side, or null for a descriptive metric or runs whose values cannot be ranked together. */
  readonly direction: Direction | null;
}

export function compareMetrics(runs: readonly ComparedRun[]): MetricRow[] {
  const definitions = new Map<string, MetricDefinition>();
  for (const run of runs) for (const m of run.metrics) if (!definitions.has(m.key)) definitions.set(m.key, m);
  return [...definitions.values()].map((m) => {
    const values = runs.map((run) => (run.metrics.some((d) => d.key === m.key) ? (run.values?.[m.key] ?? null) : undefined));
    const judgement = JUDGEMENTS[m.key];
    const ranked = runs.filter((_, k) => typeof values[k] === "number");
    const oneProtocol = new Set(ranked.map((r) => r.protocolId)).size <= 1;
    const excluded = ranked.some((r) => r.family !== null && judgement?.notFor?.includes(r.family));
    const direction = judgement && !excluded && (judgement.acrossProtocols || oneProtocol) ? judgement.direction : null;
    const numbers = values.filter((v): v is number => typeof v === "number");
    const target = direction === null || numbers.length < 2 ? null : direction === "higher" ? Math.max(...numbers) : Math.min(...numbers);
    return {
      key: m.key,
      label: m.label,
      digits: m.digits,
      values,
      best: values.map((v) => target !== null && v === target),
      direction,
    };
  });
}
