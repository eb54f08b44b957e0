// Why: what a finished run is read against — the paper's number for each metric where the paper prints one
// (Table 1's accuracies for the paper's Colored-MNIST protocols), the board's seed mean ± std, and for a reduced
// Colored-MNIST run why its accuracies can equal another method's — kept pure for tests.
import type { LeaderboardEntry, Stat } from "../../../shared/api";
import { CMNIST_REDUCED_PROTOCOLS, type CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import type { Protocol } from "../../../shared/protocols/types";
import { cmnistProtocols, methodName } from "../figures/cmnist-protocols";
import { ERM_ID, orderingVerdict, table1Rows } from "../figures/table1-rows";

/** The paper's mean ± std of a metric, as a fraction like the run's own values; null where the paper prints none. */
export function paperStat(protocol: Protocol, metricKey: string): Stat | null {
  if (protocol.family !== "colored-mnist" || protocol.reduced) return null;
  const side = metricKey === "trainAccuracy" ? protocol.reference.table1.train : metricKey === "testAccuracy" ? protocol.reference.table1.test : null;
  return side ? { mean: side.mean / 100, std: side.std / 100, n: 10 } : null;
}

/** Whether the paper prints a number for any of the protocol's metrics (else its results are claims between protocols). */
export const paperHasNumbers = (protocol: Protocol, metricKeys: readonly string[]): boolean => metricKeys.some((key) => paperStat(protocol, key) !== null);

/** The board's seed mean ± std of a metric; null without verified runs. */
export function boardStat(entry: LeaderboardEntry | undefined, metricKey: string): Stat | null {
  if (!entry || entry.runs === 0) return null;
  return entry.metrics[metricKey] ?? null;
}

/** Accuracies closer than this (a fraction: 0.5 percentage points) read as "the same" in the remark. */
export const SAME_ACCURACY = 0.005;

/**
 * For a reduced Colored-MNIST run: the other reduced methods whose board means match its train and test
 * accuracies within SAME_ACCURACY, and the sentence that says why (null for other runs).
 */
export function reducedRemark(
  protocol: Protocol,
  values: Readonly<Record<string, number | null>>,
  entries: readonly LeaderboardEntry[],
  reduced: readonly CmnistProtocol[] = CMNIST_REDUCED_PROTOCOLS,
): { readonly sameAs: readonly string[]; readonly text: string } | null {
  if (protocol.family !== "colored-mnist" || !protocol.reduced) return null;
  const train = values["trainAccuracy"];
  const test = values["testAccuracy"];
  const close = (stat: Stat | null, value: number | null | undefined): boolean =>
    stat !== null && value !== null && value !== undefined && Math.abs(stat.mean - value) < SAME_ACCURACY;
  const sameAs = reduced
    .filter((other) => other.id !== protocol.id)
    .filter((other) => {
      const entry = entries.find((e) => e.protocolId === other.id);
      return close(boardStat(entry, "trainAccuracy"), train) && close(boardStat(entry, "testAccuracy"), test);
    })
    .map((other) => methodName(other).replace(/, reduced$/, ""));
  const why =
    `A reduced run is too short to show the paper's effect: with ${Math.round(protocol.reduced.stepFraction * 100)} % of the steps on ` +
    `${(2 * (protocol.data.examplesPerEnv ?? 0)).toLocaleString("en-US")} images every method still follows the colour, so ERM, SD and IRM can end with the same accuracies. ` +
    "It shows that this browser trains and the server verifies correctly, not whether Table 1 reproduces.";
  const text = sameAs.length > 0 ? `Your accuracies match the verified reduced ${sameAs.join(" and ")} runs'. ${why}` : why;
  return { sameAs, text };
}

/** Table 1's ordering claim as it bears on one of ERM, SD and IRM: the check, its verdict on the board, and where this run falls. */
export interface CmnistClaim {
  readonly text: string;
  /** null: the board has no verified run of this protocol yet. */
  readonly boardHolds: boolean | null;
  /** The board's mean test accuracy, percent. */
  readonly boardValue: number | null;
  /** Whether this run's own test accuracy meets the check. */
  readonly runHolds: boolean | null;
}

export function cmnistClaim(protocol: Protocol, values: Readonly<Record<string, number | null>>, entries: readonly LeaderboardEntry[]): CmnistClaim | null {
  if (protocol.family !== "colored-mnist" || protocol.reduced) return null;
  const verdict = orderingVerdict(table1Rows(cmnistProtocols().paper, entries));
  const check = verdict.checks.find((c) => c.protocolId === protocol.id);
  if (!check) return null;
  const test = values["testAccuracy"];
  const percent = test === null || test === undefined ? null : 100 * test;
  const runHolds = percent === null ? null : check.protocolId === ERM_ID ? percent < verdict.ermBelow : percent >= verdict.band[0] && percent <= verdict.band[1];
  return { text: check.text, boardHolds: check.holds, boardValue: check.value, runHolds };
}
