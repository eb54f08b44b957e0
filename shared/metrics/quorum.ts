// Quorum, BOINC-style, between earned and independent witnesses only: a protocol's seed is "reproduced" once
// counted runs (shared/metrics/counted.ts) of two contributor keys with earned standing (adaptive-trust.ts
// earnedWeight ≥ 1) from different address blocks agree on every metric within the family's agreement
// tolerance, and "disputed" when two such runs disagree. Runs of unearned keys, of anonymous submitters, and
// pairs from one address block (presumed one person) neither reproduce nor dispute anything, so free
// identities buy no say. A seed without such a pair is only "recomputed". Whether a dispute leaves the seed
// out of the averages depends on who checked the runs (disputeLeavesSeedOut). Pure functions over counted runs.
import type { Protocol } from "../protocols/types";

export type TrustLevel = "recomputed" | "reproduced" | "disputed";

/**
 * A run's own level: "pending" while peers have not yet replayed it (it counts nowhere), "disputed" when peers
 * refuted its trajectory, else its seed's quorum when there is one, else "replayed" when segments of its
 * trajectory were replayed (by the server, or confirmed by peers), else "recomputed".
 */
export type RunTrust = TrustLevel | "replayed" | "pending";

export function runTrust(seed: TrustLevel, replayed: boolean, peerStatus: "pending" | "replayed" | "refuted" | null = null): RunTrust {
  if (peerStatus === "pending") return "pending";
  if (peerStatus === "refuted") return "disputed";
  return seed === "recomputed" && replayed ? "replayed" : seed;
}

export interface QuorumRun {
  readonly seed: number;
  /** The contributor's identity (hash of their secret key); null for anonymous runs, which never make a quorum. */
  readonly contributorId: string | null;
  /** The submitter's address block (worker/address.ts addressBlock); null or "unknown" when not known: such a run is no witness. */
  readonly addressBlock: string | null;
  /** Whether the key has earned standing (earnedWeight ≥ 1, from runs the server verified in full itself). */
  readonly earned: boolean;
  readonly recomputed: Readonly<Record<string, number | null>>;
}

/**
 * Whether an earned, cross-block dispute leaves the seed out of the averages. Not where the server itself
 * verifies every run in full (two-moons protocols whose trajectory segments the Worker replays, and the toy
 * dynamics it recomputes from scratch): its own replay already settled both runs, so they stay counted and the
 * seed's "disputed" is information only. Yes for peer-replayed two-moons protocols and for Colored MNIST,
 * whose training the server cannot afford to replay.
 */
export function disputeLeavesSeedOut(protocol: Protocol): boolean {
  if (protocol.family === "toy-dynamics") return false;
  if (protocol.family === "two-moons") return protocol.evidence.checkpointEvery === undefined || protocol.evidence.segmentReplay === "peers";
  return true;
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
export function runsAgree(a: Pick<QuorumRun, "recomputed">, b: Pick<QuorumRun, "recomputed">, tolerance: Agreement): boolean {
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

/** A run that may testify in a quorum: a keyed run of an earned key whose address block is known. */
const isWitness = (run: QuorumRun): run is QuorumRun & { contributorId: string; addressBlock: string } =>
  run.contributorId !== null && run.earned && run.addressBlock !== null && run.addressBlock !== "unknown";

/**
 * Each seed's trust level, from its counted runs. Only witnesses testify (isWitness), each key's first run
 * standing for it, and only pairs from different address blocks compare: a seed is "disputed" when any such
 * pair disagrees, "reproduced" when at least one such pair agrees and none disagrees, else "recomputed".
 */
export function seedTrust(runs: readonly QuorumRun[], tolerance: Agreement): Map<number, TrustLevel> {
  const firstByContributor = new Map<number, Map<string, QuorumRun & { addressBlock: string }>>();
  const seeds = new Set<number>();
  for (const run of runs) {
    seeds.add(run.seed);
    if (!isWitness(run)) continue;
    const mine = firstByContributor.get(run.seed) ?? new Map<string, QuorumRun & { addressBlock: string }>();
    if (!mine.has(run.contributorId)) mine.set(run.contributorId, run);
    firstByContributor.set(run.seed, mine);
  }
  const trust = new Map<number, TrustLevel>();
  for (const seed of seeds) {
    const witnesses = [...(firstByContributor.get(seed)?.values() ?? [])];
    let agreeing = 0;
    let disagreeing = 0;
    // One disagreeing pair decides "disputed": the comparison stops there (it is quadratic in the witnesses).
    for (let i = 0; i < witnesses.length && disagreeing === 0; i++) {
      const a = witnesses[i]!;
      for (let j = i + 1; j < witnesses.length; j++) {
        const b = witnesses[j]!;
        if (a.addressBlock === b.addressBlock) continue;
        if (runsAgree(a, b, tolerance)) agreeing++;
        else {
          disagreeing++;
          break;
        }
      }
    }
    trust.set(seed, disagreeing > 0 ? "disputed" : agreeing > 0 ? "reproduced" : "recomputed");
  }
  return trust;
}
