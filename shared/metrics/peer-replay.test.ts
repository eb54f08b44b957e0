import { describe, expect, it } from "vitest";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import { findProtocol, moonsProtocol } from "../protocols/registry";
import {
  DECIDING_BLOCKS,
  LEASE_FACTOR,
  LEASE_MAX_MS,
  LEASE_MIN_MS,
  leaseDurationMs,
  MAX_REPLAYS_PER_SEGMENT,
  needsAnotherReplay,
  outvoted,
  PEER_TOLERANCE,
  peerAgrees,
  peerDeviation,
  peerStatus,
  REFERENCE_FLOPS_PER_SECOND,
  REFUTE_WEIGHT,
  segmentOutcome,
  serverArbitrates,
  stepFlops,
  type WeighedReplay,
} from "./peer-replay";
import type { TrajectoryProtocol } from "./replay";
import { replaySegment } from "./replay";

// A replay: agrees or not, the replayer's earned weight, its address block.
const r = (agrees: boolean, weight = 1, block = "b1"): WeighedReplay => ({ agrees, weight, block });

describe("segmentOutcome", () => {
  it("confirms on a first earned agreement, waits on a lone disagreement or a tie", () => {
    expect(segmentOutcome([])).toBe("pending");
    expect(segmentOutcome([r(true)])).toBe("confirmed");
    expect(segmentOutcome([r(false)])).toBe("pending");
    expect(segmentOutcome([r(false), r(true, 1, "b2")])).toBe("pending");
  });

  it("refutes only when earned keys of two address blocks disagree with weight at least REFUTE_WEIGHT", () => {
    expect(segmentOutcome([r(false, 1, "b1"), r(false, 1, "b2")])).toBe("refuted");
    // Two disagreeing keys of one block: one person, a tie at most — pending, never refuted.
    expect(segmentOutcome([r(false, 1, "b1"), r(false, 1, "b1")])).toBe("pending");
    expect(segmentOutcome([r(false, 3, "b1")])).toBe("pending");
    // Disagreements from keys without standing weigh nothing, however many blocks they come from.
    expect(segmentOutcome(["b1", "b2", "b3", "b4", "b5"].map((b) => r(false, 0, b)))).toBe("pending");
    expect(segmentOutcome([r(false, 1, "b1"), r(false, 1, "b2"), r(true, 1, "b3")])).toBe("refuted");
    expect(segmentOutcome([r(false, 1, "b1"), r(false, 1, "b2"), r(true, 2, "b3")])).toBe("pending");
    expect(segmentOutcome([r(false, 1, "b1"), r(false, 2, "b2"), r(true, 2, "b3")])).toBe("refuted");
    expect(REFUTE_WEIGHT).toBe(2);
    expect(DECIDING_BLOCKS).toBe(2);
  });

  it("confirms against a disagreement only with more weight from two blocks; zero-weight agreements confirm nothing", () => {
    expect(segmentOutcome([r(true, 0), r(true, 0, "b2")])).toBe("pending");
    expect(segmentOutcome([r(false, 1, "b1"), r(true, 1, "b2"), r(true, 1, "b3")])).toBe("confirmed");
    expect(segmentOutcome([r(false, 1, "b1"), r(true, 1, "b2"), r(true, 1, "b2")])).toBe("pending");
    expect(segmentOutcome([r(false, 1, "b1"), r(true, 3, "b2")])).toBe("pending");
  });

  it("asks for another replay only while undecided, and never past MAX_REPLAYS_PER_SEGMENT", () => {
    expect(needsAnotherReplay([])).toBe(true);
    expect(needsAnotherReplay([r(false)])).toBe(true);
    expect(needsAnotherReplay([r(false), r(true, 1, "b2")])).toBe(true);
    expect(needsAnotherReplay([r(true)])).toBe(false);
    expect(needsAnotherReplay([r(false, 1, "b1"), r(false, 1, "b2")])).toBe(false);
    const tie = [r(false, 1, "b1"), r(true, 1, "b2"), r(false, 1, "b1"), r(true, 1, "b2")];
    expect(needsAnotherReplay(tie)).toBe(true);
    expect(needsAnotherReplay([...tie, r(true, 0, "b3")])).toBe(false);
    expect(tie.length + 1).toBe(MAX_REPLAYS_PER_SEGMENT);
  });

  it("marks the losing side of a decided segment as outvoted, nobody while it is open", () => {
    expect(outvoted([r(false, 1, "b1"), r(true, 1, "b2"), r(true, 1, "b3")])).toEqual([true, false, false]);
    expect(outvoted([r(true, 1, "b1"), r(false, 1, "b2"), r(false, 1, "b3")])).toEqual([true, false, false]);
    expect(outvoted([r(false), r(true, 1, "b2")])).toEqual([false, false]);
  });
});

describe("the server's own replay (serverArbitrates)", () => {
  const server = (agrees: boolean): WeighedReplay => ({ agrees, weight: 0, block: "server", byServer: true });

  it("decides the segment whatever the peers said, and outvotes the other side", () => {
    const refuting = [r(false, 1, "b1"), r(false, 1, "b2")];
    expect(segmentOutcome(refuting)).toBe("refuted");
    expect(segmentOutcome([...refuting, server(true)])).toBe("confirmed");
    expect(outvoted([...refuting, server(true)])).toEqual([true, true, false]);
    const confirming = [r(true, 3, "b1"), r(true, 3, "b2")];
    expect(segmentOutcome([...confirming, server(false)])).toBe("refuted");
    expect(outvoted([...confirming, server(false)])).toEqual([true, true, false]);
    expect(needsAnotherReplay([...refuting, server(true)])).toBe(false);
  });

  it("is the Worker's for fig3-longer's 2,500-step segments only: not the 5-layer net's, not Colored MNIST's, not server-replayed protocols", () => {
    expect(serverArbitrates(moonsProtocol("fig3-longer"))).toBe(true);
    expect(serverArbitrates(moonsProtocol("fig3-deeper"))).toBe(false);
    expect(serverArbitrates(findProtocol("cmnist-erm-reduced") as TrajectoryProtocol)).toBe(false);
    expect(serverArbitrates(moonsProtocol("fig2-margin-pos"))).toBe(false);
  });
});

describe("leaseDurationMs", () => {
  it("is a few times a segment's expected replay, at least 5 minutes and at most an hour", () => {
    // Fig. 3's 100,000 steps: a 2,500-step segment of the 2-500-1 network is seconds of work: the floor.
    expect(leaseDurationMs(moonsProtocol("fig3-longer"))).toBe(LEASE_MIN_MS);
    // The 5-layer network (1.4 GFLOP a step, 5,000-step segments): 5.7 minutes at the reference rate, 4 times that.
    const deeper = moonsProtocol("fig3-deeper");
    expect(stepFlops(deeper) / 1e9).toBeCloseTo(1.36, 1);
    expect(leaseDurationMs(deeper)).toBe(Math.round((LEASE_FACTOR * 5000 * stepFlops(deeper) * 1000) / REFERENCE_FLOPS_PER_SECOND));
    expect(leaseDurationMs(deeper) / 60_000).toBeGreaterThan(15);
    expect(leaseDurationMs(deeper) / 60_000).toBeLessThan(30);
    // Full Colored MNIST (50,000 images, 500-step segments) is capped at an hour, never the old 6 h.
    expect(leaseDurationMs(findProtocol("cmnist-erm") as TrajectoryProtocol)).toBe(LEASE_MAX_MS);
    expect(LEASE_MAX_MS).toBe(3600_000);
  });
});

describe("peerStatus", () => {
  it("is replayed only when every drawn segment is confirmed, refuted when any is refuted", () => {
    expect(peerStatus(["confirmed", "confirmed"])).toBe("replayed");
    expect(peerStatus(["confirmed", "pending"])).toBe("pending");
    expect(peerStatus(["confirmed", "refuted", "pending"])).toBe("refuted");
    expect(peerStatus([])).toBe("pending");
  });
});

describe("peerDeviation", () => {
  // Fig. 3's 100,000-step run, 30 steps from its initial weights: the run's end, an honest peer's and a lazy one's.
  const protocol = moonsProtocol("fig3-longer");
  const data = twoMoonsFamily.dataset(protocol, 3);
  const start = { step: 0, weights: twoMoonsFamily.initialWeights(protocol, 3), optimizerState: null };
  const end = replaySegment(protocol, data, 3, start, 30);
  const runEnd = { weights: Float32Array.from(end.weights), optimizerState: Float32Array.from(end.optimizerState) };

  it("is 0 for the run's own end, small for a float32 rounding of it, and agrees", () => {
    expect(peerDeviation(protocol, start, runEnd, runEnd, 30)).toBe(0);
    const rounded = peerDeviation(protocol, start, { weights: end.weights, optimizerState: end.optimizerState }, runEnd, 30);
    expect(rounded).toBeLessThan(1e-5);
    expect(peerAgrees(rounded)).toBe(true);
  });

  it("is about 1 for a peer that did not train (it sends the start back), and disagrees", () => {
    const lazy = { weights: start.weights, optimizerState: new Float32Array(runEnd.optimizerState.length) };
    const deviation = peerDeviation(protocol, start, lazy, runEnd, 30);
    expect(deviation).toBeGreaterThan(0.9);
    expect(deviation).toBeGreaterThan(PEER_TOLERANCE);
    expect(peerAgrees(deviation)).toBe(false);
  });

  it("compares only the weights on a run's last segment (its end has no optimiser state)", () => {
    const noisyState = { weights: runEnd.weights, optimizerState: runEnd.optimizerState.map((v) => v * 3) };
    expect(peerDeviation(protocol, start, noisyState, { weights: runEnd.weights, optimizerState: null }, 30)).toBe(0);
    expect(peerDeviation(protocol, start, noisyState, runEnd, 30)).toBeGreaterThan(PEER_TOLERANCE);
  });
});
