// Why: the quorum decides what the leaderboard trusts; who counts as independent and what agreeing means must be exact.
import { describe, expect, it } from "vitest";
import { runsAgree, seedTrust, type Agreement, type QuorumRun } from "./quorum";

const TOLERANCE: Agreement = { keys: ["curvature", "minMargin"], abs: 5e-3, rel: 0 };
const run = (seed: number, contributorId: string | null, curvature: number, minMargin: number | null = 0.1): QuorumRun => ({
  seed,
  contributorId,
  recomputed: { curvature, minMargin, trainImagesChecked: Math.random() },
});

describe("runsAgree", () => {
  it("compares the protocol's metrics only, within the tolerance, nulls only with nulls", () => {
    expect(runsAgree(run(0, "a", 0.3), run(0, "b", 0.304), TOLERANCE)).toBe(true);
    expect(runsAgree(run(0, "a", 0.3), run(0, "b", 0.306), TOLERANCE)).toBe(false);
    expect(runsAgree(run(0, "a", 0.3, null), run(0, "b", 0.3, null), TOLERANCE)).toBe(true);
    expect(runsAgree(run(0, "a", 0.3, null), run(0, "b", 0.3, 0.1), TOLERANCE)).toBe(false);
  });
});

describe("seedTrust", () => {
  it("needs two different contributors who agree to call a seed reproduced", () => {
    const trust = seedTrust([run(0, "a", 0.3), run(0, "b", 0.301), run(1, "a", 0.3), run(2, "c", 0.2)], TOLERANCE);
    expect(Object.fromEntries(trust)).toEqual({ 0: "reproduced", 1: "recomputed", 2: "recomputed" });
  });

  it("never lets one contributor confirm their own run, nor anonymous runs confirm anything", () => {
    expect(seedTrust([run(0, "a", 0.3), run(0, "a", 0.3), run(0, "a", 0.3)], TOLERANCE).get(0)).toBe("recomputed");
    expect(seedTrust([run(0, null, 0.3), run(0, null, 0.3), run(0, "a", 0.3)], TOLERANCE).get(0)).toBe("recomputed");
  });

  it("flags a seed where two contributors disagree, whatever a third says", () => {
    expect(seedTrust([run(0, "a", 0.3), run(0, "b", 0.4)], TOLERANCE).get(0)).toBe("disputed");
    expect(seedTrust([run(0, "a", 0.3), run(0, "b", 0.3), run(0, "c", 0.4)], TOLERANCE).get(0)).toBe("disputed");
  });

  it("takes each contributor's first run as theirs", () => {
    expect(seedTrust([run(0, "a", 0.3), run(0, "a", 0.9), run(0, "b", 0.3)], TOLERANCE).get(0)).toBe("reproduced");
  });
});
