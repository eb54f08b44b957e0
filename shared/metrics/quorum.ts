// Quorum, BOINC-style: a protocol's seed is "reproduced" once verified runs of at least two different
// contributors (by secret-key identity, so nobody confirms their own result) agree on every metric within the
// family's agreement tolerance, and "disputed" when two contributors' runs disagree — a disputed seed is
// flagged and left out of the aggregate instead of being averaged. A seed with one contributor is only
// "recomputed" (the server recomputed it from the weights). Pure functions over accepted runs.
import type { Protocol } from "../protocols/types";

export type TrustLevel = "recomputed" | "reproduced" | "disputed";

/**
 * A run's own level: "disputed" when peers refuted its trajectory, else its seed's quorum when there is one,
 * else "replayed" when segments of its trajectory were replayed (by the server, or confirmed by peers).
 */
export type RunTrust = TrustLevel | "replayed";

export const runTrust = (seed: TrustLevel, replayed: boolean, refuted = false): RunTrust => (refuted ? "disputed" : seed === "recomputed" && replayed ? "replayed" : seed);

export interface QuorumRun {
  readonly seed: number;
  /** The contributor's identity (hash of their secret key); null for anonymous runs, which never make a quorum. */
  readonly contributorId: string | null;
  readonly recomputed: Readonly<Record<string, number | null>>;
}

/**
 * How far two independent runs of one seed may differ and still agree. Two-moons: 5e-3 on every metric. Measured
 * (`npm run agreement`, README "Trust measurements"): whole runs of one seed trained on wasm and on cpu ended at
 * most 9.0e-8 apart on any metric (fig1 ± seeds 0–4, fig2(c) SD and fig3 baseline seed 0, 10,000 steps), and
 * wasm and webgpu agreed to the printed 3 digits on an H100; 5e-3 also lets train accuracy (steps of 1/300)
 * differ by one flipped point, not two. Colored-MNIST accuracies, 3 points, because the server's train accuracy is an estimate on
 * 5,000 random images (its standard error is up to 0.7 points) and float32 training on different backends
 * drifts; the toy model is deterministic float64, so its verification tolerance.
 */
export const AGREEMENT: Record<Protocol["family"], { readonly abs: number; readonly rel: number }> = {
  "two-moons": { abs: 5e-3, rel: 0 },
  "colored-mnist": { abs: 0.03, rel: 0 },
  "toy-dynamics": { abs: 1e-4, rel: 0 },
};

export interface Agreement {
  /** The protocol's metrics (other recomputed values, such as how many images were checked, are not compared). */
  readonly keys: readonly string[];
  readonly abs: number;
  readonly rel: number;
}

/** Whether two runs agree: every metric within abs + rel·|b|, a null only with a null. */
export function runsAgree(a: QuorumRun, b: QuorumRun, tolerance: Agreement): boolean {
  for (const key of tolerance.keys) {
    const x = a.recomputed[key];
    const y = b.recomputed[key];
    if (x === undefined || y === undefined) continue;
    if (x === null || y === null) {
      if (x !== y) return false;
      continue;
    }
    if (!(Math.abs(x - y) <= tolerance.abs + tolerance.rel * Math.abs(y))) return false;
  }
  return true;
}

/** Each seed's trust level, from its runs (each contributor's first run stands for them). */
export function seedTrust(runs: readonly QuorumRun[], tolerance: Agreement): Map<number, TrustLevel> {
  const firstByContributor = new Map<number, Map<string, QuorumRun>>();
  const seeds = new Set<number>();
  for (const run of runs) {
    seeds.add(run.seed);
    if (run.contributorId === null) continue;
    const mine = firstByContributor.get(run.seed) ?? new Map<string, QuorumRun>();
    if (!mine.has(run.contributorId)) mine.set(run.contributorId, run);
    firstByContributor.set(run.seed, mine);
  }
  const trust = new Map<number, TrustLevel>();
  for (const seed of seeds) {
    const independent = [...(firstByContributor.get(seed)?.values() ?? [])];
    if (independent.length < 2) {
      trust.set(seed, "recomputed");
      continue;
    }
    const agree = independent.every((a, i) => independent.slice(i + 1).every((b) => runsAgree(a, b, tolerance)));
    trust.set(seed, agree ? "reproduced" : "disputed");
  }
  return trust;
}
