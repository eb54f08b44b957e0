import { describe, expect, it } from "vitest";
import type { LeaderboardEntry } from "../../../shared/api";
import { CMNIST_REDUCED_PROTOCOLS, cmnistErm, cmnistSd } from "../../../shared/protocols/colored-mnist";
import { moonsProtocol } from "../../../shared/protocols/registry";
import { boardStat, cmnistClaim, paperHasNumbers, paperStat, reducedRemark } from "./result-context";

const entry = (protocolId: string, train: number, test: number, runs = 1): LeaderboardEntry => ({
  protocolId,
  protocolVersion: 1,
  title: protocolId,
  figure: "Table 1",
  runs,
  seeds: runs,
  contributors: 1,
  reproducedSeeds: 0,
  disputedSeeds: 0,
  metrics: { trainAccuracy: { mean: train, std: 0, n: runs }, testAccuracy: { mean: test, std: 0, n: runs } },
  claims: [],
});
const reduced = (id: string) => CMNIST_REDUCED_PROTOCOLS.find((p) => p.id === id)!;

describe("a run's context", () => {
  it("gives the paper's Table 1 value as a fraction, only for the paper's protocols", () => {
    expect(paperStat(cmnistSd, "testAccuracy")).toEqual({ mean: 0.684, std: 0.012, n: 10 });
    expect(paperStat(cmnistSd, "trainAccuracy")!.mean).toBeCloseTo(0.7);
    expect(paperStat(reduced("cmnist-sd-reduced"), "testAccuracy")).toBeNull();
    expect(paperStat(moonsProtocol("fig1-margin-pos"), "curvature")).toBeNull();
    expect(paperHasNumbers(cmnistSd, ["trainAccuracy", "testAccuracy"])).toBe(true);
    expect(paperHasNumbers(moonsProtocol("fig1-margin-pos"), ["trainAccuracy", "curvature"])).toBe(false);
  });

  it("reads the board's seed mean, none without runs", () => {
    expect(boardStat(entry("cmnist-sd", 0.7, 0.68), "testAccuracy")).toEqual({ mean: 0.68, std: 0, n: 1 });
    expect(boardStat(entry("cmnist-sd", 0.7, 0.68, 0), "testAccuracy")).toBeNull();
    expect(boardStat(undefined, "testAccuracy")).toBeNull();
  });

  it("says why a reduced run's accuracies equal another method's", () => {
    const entries = [entry("cmnist-erm-reduced", 0.859, 0.094), entry("cmnist-irm-reduced", 0.86, 0.2)];
    const remark = reducedRemark(reduced("cmnist-sd-reduced"), { trainAccuracy: 0.8585, testAccuracy: 0.0941 }, entries)!;
    expect(remark.sameAs).toEqual(["ERM"]);
    expect(remark.text).toMatch(/^Your accuracies match the verified reduced ERM runs'\. A reduced run is too short to show the paper's effect: with 10 % of the steps on 2,000 images/);
    // No match: the reason alone; not a reduced run: nothing.
    expect(reducedRemark(reduced("cmnist-sd-reduced"), { trainAccuracy: 0.5, testAccuracy: 0.5 }, entries)!.sameAs).toEqual([]);
    expect(reducedRemark(cmnistSd, { trainAccuracy: 0.7, testAccuracy: 0.68 }, entries)).toBeNull();
  });
});

describe("Table 1's claim beside a Colored-MNIST run", () => {
  it("judges the run and the board against the ordering's thresholds", () => {
    const claim = cmnistClaim(cmnistSd, { trainAccuracy: 0.692, testAccuracy: 0.683 }, [entry("cmnist-sd", 0.7, 0.5)])!;
    expect(claim.text).toMatch(/^SD's test accuracy is near 67–68 %/);
    expect(claim.runHolds).toBe(true);
    expect(claim.boardHolds).toBe(false);
    expect(claim.boardValue).toBeCloseTo(50);
    const erm = cmnistClaim(cmnistErm, { trainAccuracy: 0.9, testAccuracy: 0.6 }, [])!;
    expect(erm.runHolds).toBe(false);
    expect(erm.boardHolds).toBeNull();
    expect(cmnistClaim(reduced("cmnist-sd-reduced"), { testAccuracy: 0.1 }, [])).toBeNull();
    expect(cmnistClaim(moonsProtocol("fig1-margin-pos"), {}, [])).toBeNull();
  });
});
