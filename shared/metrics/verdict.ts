// The outcome of verifying a run, as every family's checks report it, and the claim checks they share.
import type { RejectionReason } from "../api";
import type { MetricDefinition } from "../protocols/types";
import { withinTolerance } from "./compare";

export type MetricValues = Record<string, number | null>;

export type Verdict =
  | {
      readonly status: "accepted";
      readonly message: string;
      readonly recomputed: MetricValues;
      /** The 100×100 figure grid (two-moons), stored for the seed-averaged picture; null for other families. */
      readonly grid: Float32Array | null;
      /** Two-moons runs with trajectory evidence: the segments replayed, of how many, and the largest deviation (see trajectory.ts). */
      readonly trajectory?: { readonly segments: readonly number[]; readonly segmentCount: number; readonly deviation: number };
    }
  | {
      readonly status: "rejected";
      readonly reason: RejectionReason;
      readonly message: string;
      readonly recomputed: MetricValues | null;
    };

export const reject = (reason: RejectionReason, message: string, recomputed: MetricValues | null = null): Verdict => ({
  status: "rejected",
  reason,
  message,
  recomputed,
});

/** A rejection when the claims do not name exactly the family's metrics (or leave a required one empty). */
export function claimsShapeProblem(metrics: readonly MetricDefinition[], claimed: Readonly<MetricValues>): Verdict | null {
  const metricKeys = metrics.map((m) => m.key);
  const missing = metricKeys.filter((k) => !(k in claimed));
  const extra = Object.keys(claimed).filter((k) => !metricKeys.includes(k));
  if (missing.length || extra.length) {
    return reject("claims_shape", `Claims must name exactly: ${metricKeys.join(", ")}${missing.length ? `; missing ${missing.join(", ")}` : ""}${extra.length ? `; unknown ${extra.join(", ")}` : ""}.`);
  }
  const wronglyNull = metrics.find((m) => !m.nullable && claimed[m.key] === null);
  return wronglyNull ? reject("claims_shape", `${wronglyNull.label} cannot be empty.`) : null;
}

/** A rejection naming the first metric whose claim is outside its tolerance of the recomputed value. */
export function claimsMismatch(metrics: readonly MetricDefinition[], claimed: Readonly<MetricValues>, recomputed: MetricValues, source: string): Verdict | null {
  for (const metric of metrics) {
    const claim = claimed[metric.key] ?? null;
    const actual = recomputed[metric.key] ?? null;
    if (!withinTolerance(claim, actual, metric.tolerance)) {
      return reject("claims_mismatch", `${metric.label}: the submission claims ${claim}, ${source} ${actual}.`, recomputed);
    }
  }
  return null;
}
