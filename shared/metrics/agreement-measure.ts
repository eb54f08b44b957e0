// Why: AGREEMENT (quorum.ts) should rest on how far honest runs of one seed actually end apart. This is the
// arithmetic of that measurement (scripts/agreement.ts): over every pair of runs of the same seed (one per
// backend, say), the largest absolute difference per metric, and which pairs the quorum would call disputed.
// Pure functions; the runs are trained elsewhere.
import { runsAgree, type Agreement, type QuorumRun } from "./quorum";

/** One honest run's recomputed metrics, labelled by what made it differ (its backend). */
export interface MeasuredRun {
  readonly seed: number;
  readonly label: string;
  readonly recomputed: Readonly<Record<string, number | null>>;
}

export interface MetricSpread {
  readonly key: string;
  /** The largest |a − b| over the pairs where both values are numbers; null when no pair had two numbers. */
  readonly largest: number | null;
  /** Where the largest difference was seen (the first such pair). */
  readonly at: { readonly seed: number; readonly labels: readonly [string, string] } | null;
  /** Pairs where both values were numbers. */
  readonly compared: number;
  /** Pairs where one value was null and the other a number (the quorum never lets those agree). */
  readonly nullMismatches: number;
  /** Pairs whose values on this metric alone would not agree under the tolerance. */
  readonly overTolerance: number;
}

export interface PairVerdict {
  readonly seed: number;
  readonly labels: readonly [string, string];
  readonly agree: boolean;
  /** The metrics on which the pair disagrees (empty when it agrees). */
  readonly disagreeingKeys: readonly string[];
}

export interface AgreementMeasurement {
  readonly metrics: readonly MetricSpread[];
  readonly pairs: readonly PairVerdict[];
  readonly disputed: number;
}

/** Every unordered pair of runs of the same seed, seeds in ascending order, runs in the order given. */
export function sameSeedPairs<R extends MeasuredRun>(runs: readonly R[]): Array<readonly [R, R]> {
  const bySeed = new Map<number, R[]>();
  for (const run of runs) bySeed.set(run.seed, [...(bySeed.get(run.seed) ?? []), run]);
  return [...bySeed.keys()]
    .sort((a, b) => a - b)
    .flatMap((seed) => {
      const group = bySeed.get(seed)!;
      return group.flatMap((a, i) => group.slice(i + 1).map((b) => [a, b] as const));
    });
}

const asQuorumRun = (run: MeasuredRun): Pick<QuorumRun, "seed" | "contributorId" | "recomputed"> => ({ seed: run.seed, contributorId: run.label, recomputed: run.recomputed });

/**
 * The largest difference per metric (tolerance.keys, in that order) over every same-seed pair, and each pair's
 * verdict under runsAgree — as the quorum would judge two contributors' runs of that seed.
 */
export function measureAgreement(runs: readonly MeasuredRun[], tolerance: Agreement): AgreementMeasurement {
  const pairs = sameSeedPairs(runs);
  const metrics = tolerance.keys.map((key): MetricSpread => {
    let largest: number | null = null;
    let at: MetricSpread["at"] = null;
    let compared = 0;
    let nullMismatches = 0;
    let overTolerance = 0;
    for (const [a, b] of pairs) {
      const x = a.recomputed[key];
      const y = b.recomputed[key];
      if (x === undefined || y === undefined) continue;
      if (!runsAgree(asQuorumRun(a), asQuorumRun(b), { ...tolerance, keys: [key] })) overTolerance++;
      if (x === null || y === null) {
        if (x !== y) nullMismatches++;
        continue;
      }
      compared++;
      const difference = Math.abs(x - y);
      // A NaN (a diverged run) is the largest difference there is, and stays so.
      if (largest === null || (!Number.isNaN(largest) && (difference > largest || Number.isNaN(difference)))) {
        largest = difference;
        at = { seed: a.seed, labels: [a.label, b.label] };
      }
    }
    return { key, largest, at, compared, nullMismatches, overTolerance };
  });
  const verdicts = pairs.map(([a, b]): PairVerdict => {
    const agree = runsAgree(asQuorumRun(a), asQuorumRun(b), tolerance);
    const disagreeingKeys = agree ? [] : tolerance.keys.filter((key) => !runsAgree(asQuorumRun(a), asQuorumRun(b), { ...tolerance, keys: [key] }));
    return { seed: a.seed, labels: [a.label, b.label], agree, disagreeingKeys };
  });
  return { metrics, pairs: verdicts, disputed: verdicts.filter((v) => !v.agree).length };
}
