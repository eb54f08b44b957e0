// Why: the quorum decides what the leaderboard trusts; who counts as an independent witness (an earned key
// from another address block) and what agreeing means must be exact, or free identities buy a verdict.
import { describe, expect, it } from "vitest";
import { findProtocol } from "../protocols/registry";
import { disputeLeavesSeedOut, runsAgree, runTrust, seedTrust, type Agreement, type QuorumRun } from "./quorum";

const TOLERANCE: Agreement = { keys: ["curvature", "minMargin"], abs: 5e-3, rel: 0 };
/** An earned key's run; its block is "block-<key>" unless given, so distinct keys are distinct people by default. */
const run = (seed: number, contributorId: string | null, curvature: number, minMargin: number | null = 0.1, options: Partial<Pick<QuorumRun, "addressBlock" | "earned">> = {}): QuorumRun => ({
  seed,
  contributorId,
  addressBlock: options.addressBlock === undefined ? `block-${contributorId}` : options.addressBlock,
  earned: options.earned ?? true,
  recomputed: { curvature, minMargin, trainImagesChecked: Math.random() },
});
const fresh = (seed: number, id: string, curvature: number) => run(seed, id, curvature, 0.1, { earned: false });

describe("runsAgree", () => {
  it("compares the protocol's metrics only, within the tolerance, nulls only with nulls", () => {
    expect(runsAgree(run(0, "a", 0.3), run(0, "b", 0.304), TOLERANCE)).toBe(true);
    expect(runsAgree(run(0, "a", 0.3), run(0, "b", 0.306), TOLERANCE)).toBe(false);
    expect(runsAgree(run(0, "a", 0.3, null), run(0, "b", 0.3, null), TOLERANCE)).toBe(true);
    expect(runsAgree(run(0, "a", 0.3, null), run(0, "b", 0.3, 0.1), TOLERANCE)).toBe(false);
  });
});

describe("seedTrust", () => {
  it("needs two earned keys from different address blocks who agree to call a seed reproduced", () => {
    const trust = seedTrust([run(0, "a", 0.3), run(0, "b", 0.301), run(1, "a", 0.3), run(2, "c", 0.2)], TOLERANCE);
    expect(Object.fromEntries(trust)).toEqual({ 0: "reproduced", 1: "recomputed", 2: "recomputed" });
  });

  it("never lets one contributor confirm their own run, nor anonymous runs confirm anything", () => {
    expect(seedTrust([run(0, "a", 0.3), run(0, "a", 0.3), run(0, "a", 0.3)], TOLERANCE).get(0)).toBe("recomputed");
    expect(seedTrust([run(0, null, 0.3), run(0, null, 0.3), run(0, "a", 0.3)], TOLERANCE).get(0)).toBe("recomputed");
  });

  it.each([2, 5, 20])("a Sybil set of %i fresh keys that agree makes nothing reproduced, alone or next to one earned key", (n) => {
    const sybils = Array.from({ length: n }, (_, k) => fresh(0, `sybil-${k}`, 0.3));
    expect(seedTrust(sybils, TOLERANCE).get(0)).toBe("recomputed");
    expect(seedTrust([run(0, "honest", 0.3), ...sybils], TOLERANCE).get(0)).toBe("recomputed");
  });

  it.each([2, 5, 20])("a Sybil set of %i fresh keys that disagree with an honest run disputes nothing", (n) => {
    const sybils = Array.from({ length: n }, (_, k) => fresh(0, `sybil-${k}`, 0.9));
    expect(seedTrust([run(0, "honest", 0.3), ...sybils], TOLERANCE).get(0)).toBe("recomputed");
    expect(seedTrust([run(0, "honest", 0.3), run(0, "other", 0.301), ...sybils], TOLERANCE).get(0)).toBe("reproduced");
  });

  it.each([2, 5, 20])("%i earned keys from one address block neither reproduce nor dispute a seed", (n) => {
    const oneBlock = (curvature: number) => Array.from({ length: n }, (_, k) => run(0, `same-${k}`, curvature, 0.1, { addressBlock: "203.0.113.0/24" }));
    expect(seedTrust(oneBlock(0.3), TOLERANCE).get(0)).toBe("recomputed");
    const honest = run(0, "honest", 0.3, 0.1, { addressBlock: "198.51.100.0/24" });
    // The honest run's own block against the set's: one cross-block agreeing pair per member, and no disagreement.
    expect(seedTrust([honest, ...oneBlock(0.3)], TOLERANCE).get(0)).toBe("reproduced");
    const forgedSameBlockAsHonest = Array.from({ length: n }, (_, k) => run(0, `mine-${k}`, 0.9, 0.1, { addressBlock: "198.51.100.0/24" }));
    expect(seedTrust([honest, ...forgedSameBlockAsHonest], TOLERANCE).get(0)).toBe("recomputed");
  });

  it("takes no run of an unknown address block as a witness", () => {
    expect(seedTrust([run(0, "a", 0.3, 0.1, { addressBlock: null }), run(0, "b", 0.3)], TOLERANCE).get(0)).toBe("recomputed");
    expect(seedTrust([run(0, "a", 0.3, 0.1, { addressBlock: "unknown" }), run(0, "b", 0.3, 0.1, { addressBlock: "unknown" })], TOLERANCE).get(0)).toBe("recomputed");
  });

  it("flags a seed where two earned cross-block witnesses disagree, whatever a third says", () => {
    expect(seedTrust([run(0, "a", 0.3), run(0, "b", 0.4)], TOLERANCE).get(0)).toBe("disputed");
    expect(seedTrust([run(0, "a", 0.3), run(0, "b", 0.3), run(0, "c", 0.4)], TOLERANCE).get(0)).toBe("disputed");
  });

  it("takes each contributor's first run as theirs", () => {
    expect(seedTrust([run(0, "a", 0.3), run(0, "a", 0.9), run(0, "b", 0.3)], TOLERANCE).get(0)).toBe("reproduced");
  });
});

describe("runTrust", () => {
  it("shows a pending run as pending and a refuted one as disputed, whatever its seed's quorum", () => {
    for (const seed of ["recomputed", "reproduced", "disputed"] as const) {
      expect(runTrust(seed, true, "pending")).toBe("pending");
      expect(runTrust(seed, true, "refuted")).toBe("disputed");
    }
    expect(runTrust("recomputed", true, "replayed")).toBe("replayed");
    expect(runTrust("recomputed", true, null)).toBe("replayed");
    expect(runTrust("recomputed", false, null)).toBe("recomputed");
    expect(runTrust("reproduced", true, null)).toBe("reproduced");
  });
});

describe("disputeLeavesSeedOut", () => {
  const of = (id: string) => disputeLeavesSeedOut(findProtocol(id)!);
  it("keeps the seeds the server verified in full itself, drops disputed seeds of peer-replayed and Colored-MNIST protocols", () => {
    expect([of("fig1-margin-neg"), of("fig3-sd"), of("fig6-dual")]).toEqual([false, false, false]);
    expect([of("fig3-longer"), of("fig3-deeper"), of("cmnist-erm"), of("cmnist-irm-reduced")]).toEqual([true, true, true, true]);
  });
});
