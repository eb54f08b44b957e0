// The number the paper prints for a protocol's metric, where it prints one, for boards to mark next to GS Lab's
// per-seed values: Table 1's accuracies for the Colored-MNIST protocols (the registry's `reference`, in percent,
// here as the metric's fraction). The two-moons and toy figures print no metric values: only their claims.
import type { Protocol } from "../../shared/protocols/types";

export interface PaperValue {
  readonly value: number;
  readonly std: number | null;
  /** Where the number is printed, as a reader names it. */
  readonly source: string;
}

const CMNIST_METRICS = { trainAccuracy: "train", testAccuracy: "test" } as const;

/** The paper's value of `metricKey` under `protocol`; null where the paper prints none, or the protocol is not the paper's (a reduced configuration). */
export function paperValueOf(protocol: Protocol, metricKey: string): PaperValue | null {
  if (protocol.family !== "colored-mnist" || protocol.reduced) return null;
  const column = CMNIST_METRICS[metricKey as keyof typeof CMNIST_METRICS];
  if (!column) return null;
  const { mean, std } = protocol.reference.table1[column];
  return { value: mean / 100, std: std / 100, source: "Table 1" };
}
