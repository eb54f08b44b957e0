import { describe, expect, it } from "vitest";
import { moonsProtocol } from "../protocols/registry";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import { needsAnotherReplay, outvoted, PEER_TOLERANCE, peerAgrees, peerDeviation, peerStatus, segmentOutcome } from "./peer-replay";
import { replaySegment } from "./replay";

describe("segmentOutcome", () => {
  it("confirms on a first agreement, waits on a lone disagreement or a tie, refutes on two disagreements in the majority", () => {
    expect(segmentOutcome([])).toBe("pending");
    expect(segmentOutcome([true])).toBe("confirmed");
    expect(segmentOutcome([false])).toBe("pending");
    expect(segmentOutcome([false, true])).toBe("pending");
    expect(segmentOutcome([false, false])).toBe("refuted");
    expect(segmentOutcome([false, true, true])).toBe("confirmed");
    expect(segmentOutcome([false, true, false])).toBe("refuted");
  });

  it("asks for another replay only while undecided, and never past three", () => {
    expect(needsAnotherReplay([])).toBe(true);
    expect(needsAnotherReplay([false])).toBe(true);
    expect(needsAnotherReplay([false, true])).toBe(true);
    expect(needsAnotherReplay([true])).toBe(false);
    expect(needsAnotherReplay([false, false])).toBe(false);
  });

  it("marks the losing side of a decided segment as outvoted, nobody while it is open", () => {
    expect(outvoted([false, true, true])).toEqual([true, false, false]);
    expect(outvoted([true, false, false])).toEqual([true, false, false]);
    expect(outvoted([false, true])).toEqual([false, false]);
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
