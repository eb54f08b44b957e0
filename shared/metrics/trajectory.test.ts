import { beforeAll, describe, expect, it } from "vitest";
import { moonsProtocol } from "../protocols/registry";
import { checkpointSteps, trajectorySegments } from "../protocols/evidence";
import { twoMoonsFamily as family } from "../protocols/two-moons-family";
import { buildChain, type Chain } from "../testing/honest-chain";
import { replaySegment, trainingLoss } from "./replay";
import { checkChainMoves, checkpointLayout, checkTrajectory, chooseSegments, replaySegments, TRAJECTORY_TOLERANCE, type TrajectoryEvidence, type TrajectoryReport } from "./trajectory";
import type { Verdict } from "./verdict";

const protocol = moonsProtocol("fig1-margin-pos");
const seed = 1;
const data = family.dataset(protocol, seed);
const initialWeights = family.initialWeights(protocol, seed);
const layout = checkpointLayout(protocol)!;
const ALL = Array.from({ length: 10 }, (_, k) => k);

let chain: Chain;
/** The loss history an honest client reports: the run's loss at every recorded step. */
let lossHistory: number[];

const evidence = (overrides: Partial<TrajectoryEvidence> = {}): TrajectoryEvidence => ({
  protocol,
  seed,
  data,
  initialWeights,
  finalWeights: chain.finalWeights,
  lossHistory,
  checkpoints: chain.checkpoints,
  ...overrides,
});

/** The honest chain's true losses, with each given checkpoint's own loss at its step (as a forger would fix them). */
const historyFor = (points: Chain["points"]): number[] => {
  const every = protocol.evidence.historyEvery;
  const history = Array.from({ length: protocol.training.steps / every + 1 }, (_, k) => chain.losses[k * every] ?? 1);
  for (const point of points) history[point.step / every] = point.loss;
  return history;
};

const rejection = (result: Verdict | TrajectoryReport) => ("status" in result && result.status === "rejected" ? result : null);

beforeAll(() => {
  chain = buildChain({ protocol, seed, data, initialWeights, real: "all", fallbackFinal: initialWeights });
  lossHistory = historyFor(chain.points);
}, 120_000);

describe("trajectory layout", () => {
  it("fig1 takes 9 checkpoints (steps 100 … 900) of weights and SGD velocity: 10 segments", () => {
    expect(layout).toEqual({ weights: 2001, optimizerState: 2001, size: 4002, steps: [100, 200, 300, 400, 500, 600, 700, 800, 900] });
    expect(trajectorySegments(1000, 100)).toHaveLength(10);
    expect(trajectorySegments(1000, 100)[9]).toEqual([900, 1000]);
    expect(checkpointSteps(10_000, 250)).toHaveLength(39);
  });

  it("Adam keeps both moments; BatchNorm's running statistics are weights but not trained", () => {
    expect(checkpointLayout(moonsProtocol("fig3-adam-small-lr"))).toMatchObject({ weights: 2001, optimizerState: 4002 });
    expect(checkpointLayout(moonsProtocol("fig3-batchnorm"))).toMatchObject({ weights: 4001, optimizerState: 3001 });
  });

  it("Fig. 3's costly runs, replayed by peers: the 5-layer net takes one checkpoint, the 100,000-step run 39", () => {
    expect(checkpointLayout(moonsProtocol("fig3-deeper"))).toEqual({ weights: 753_501, optimizerState: 753_501, size: 1_507_002, steps: [5000] });
    expect(checkpointLayout(moonsProtocol("fig3-longer"))?.steps).toHaveLength(39);
    expect(trajectorySegments(100_000, 2500)[39]).toEqual([97_500, 100_000]);
  });
});

describe("checkTrajectory", () => {
  it("accepts an honest chain with every segment replayed, far inside the tolerance", () => {
    const report = checkTrajectory(evidence(), ALL);
    expect(report).toMatchObject({ segments: ALL, segmentCount: 10 });
    expect((report as TrajectoryReport).deviation).toBeLessThan(TRAJECTORY_TOLERANCE / 100);
  });

  it("refuses missing, short or non-finite checkpoints", () => {
    expect(rejection(checkTrajectory(evidence({ checkpoints: null }), [0]))?.reason).toBe("evidence_shape");
    expect(rejection(checkTrajectory(evidence({ checkpoints: chain.checkpoints.subarray(4) }), [0]))?.reason).toBe("evidence_shape");
    const nan = Float32Array.from(chain.checkpoints, (v, k) => (k === 5 * layout.size + 3 ? Number.NaN : v));
    expect(rejection(checkTrajectory(evidence({ checkpoints: nan }), [0]))?.reason).toBe("weights_not_finite");
  });

  it("refuses a checkpoint whose loss is not the history's at its step", () => {
    const history = [...lossHistory];
    history[30] = history[30]! + 1e-3; // step 300 (fig1 reports the loss every 10 steps)
    expect(rejection(checkTrajectory(evidence({ lossHistory: history }), []))?.message).toMatch(/step 300/);
  });

  it("refuses a chain that does not connect: another seed's checkpoint spliced in, with a history to match", () => {
    const otherSeed = 2;
    const other = buildChain({ protocol, seed: otherSeed, data: family.dataset(protocol, otherSeed), initialWeights: family.initialWeights(protocol, otherSeed), real: [0, 1, 2, 3, 4], fallbackFinal: initialWeights });
    const spliced = Float32Array.from(chain.checkpoints);
    spliced.set(other.checkpoints.subarray(4 * layout.size, 5 * layout.size), 4 * layout.size); // checkpoint at step 500
    const points = buildChainPoints(spliced);
    const forged = evidence({ checkpoints: spliced, lossHistory: historyFor(points) });
    // Segment 4 (400–500) ends at the spliced checkpoint; segment 5 starts from it. Any other segment still connects.
    expect(rejection(checkTrajectory(forged, []))).toBeNull(); // the history matches the spliced checkpoint
    expect(rejection(checkTrajectory(forged, [4]))?.message).toMatch(/^Replaying steps 400–500/);
    expect(rejection(checkTrajectory(forged, [5]))?.reason).toBe("trajectory_mismatch");
    expect(rejection(checkTrajectory(forged, [0, 1, 2, 3, 6, 7, 8, 9]))).toBeNull();
  });

  it("refuses final weights the last checkpoint does not train to", () => {
    const retrained = replaySegment(protocol, data, seed, { step: 900, weights: chain.checkpoints.subarray(8 * layout.size, 8 * layout.size + 2001), optimizerState: chain.checkpoints.subarray(8 * layout.size + 2001, 9 * layout.size) }, 60);
    const result = rejection(checkTrajectory(evidence({ finalWeights: Float32Array.from(retrained.weights) }), [9]));
    expect(result?.reason).toBe("trajectory_mismatch");
    expect(result?.message).toMatch(/steps 900–1000.*submitted final weights/);
  });

  it("refuses a chain trained under another protocol's recipe (the same data, SGD without weight decay vs with it)", () => {
    const fig2 = moonsProtocol("fig2-margin-pos");
    const fig3 = moonsProtocol("fig3-none"); // the same data and net, weight decay 0 instead of 2e-4
    const fig2Data = family.dataset(fig2, seed);
    const start = family.initialWeights(fig2, seed);
    const trained = buildChain({ protocol: fig3, seed, data: fig2Data, initialWeights: start, real: [0, 1], fallbackFinal: start });
    const claimed = { ...evidence(), protocol: fig2, data: fig2Data, initialWeights: start, checkpoints: trained.checkpoints, finalWeights: start, lossHistory: new Array(201).fill(1) };
    // The loss check passes (the same forward pass), the replay does not.
    for (let k = 0; k < 201; k++) if (!Number.isNaN(trained.losses[k * 50] ?? Number.NaN)) claimed.lossHistory[k] = trained.losses[k * 50]!;
    for (const p of trained.points) claimed.lossHistory[p.step / 50] = p.loss;
    expect(rejection(checkTrajectory(claimed, [])) ).toBeNull();
    expect(rejection(checkTrajectory(claimed, [1]))?.message).toMatch(/^Replaying steps 250–500/);
  });
});

describe("checkTrajectory: the loss history between checkpoints", () => {
  it("refuses a history invented between the checkpoints (true at every checkpoint and in the first steps)", () => {
    for (const [at, change] of [[25, 1e-3], [91, -2e-3], [57, 0.05]] as const) {
      const history = [...lossHistory];
      history[at] = history[at]! + change; // step 10·at, inside a segment (REPLAY_TOLERANCE: 1e-4 + 1e-4 relative)
      const result = rejection(checkTrajectory(evidence({ lossHistory: history }), ALL));
      expect(result?.reason).toBe("trajectory_mismatch");
      expect(result?.message).toContain(`at step ${10 * at}`);
    }
  });

  it("replays in order and stops at the first broken link: a break at segment 2 is reported there, whatever else is drawn", () => {
    const broken = Float32Array.from(chain.checkpoints);
    for (let i = 2 * layout.size; i < 2 * layout.size + layout.weights; i++) broken[i] = broken[i]! * 1.01; // checkpoint at step 300
    const forged = evidence({ checkpoints: broken, lossHistory: historyFor(buildChainPoints(broken)) });
    expect(rejection(checkTrajectory(forged, [9, 5, 2, 0]))?.message).toMatch(/^Replaying steps 200–300/);
  });
});

describe("checkChainMoves (the Worker's cheap check of a chain peers replay)", () => {
  const state = (k: number) => chain.checkpoints.subarray(k * layout.size, (k + 1) * layout.size);
  it("passes an honest chain", () => {
    expect(checkChainMoves(protocol, initialWeights, chain.finalWeights, chain.checkpoints)).toBeNull();
  });

  it("refuses copies: the same checkpoint twice (apart too), the initial weights as a checkpoint, the final weights as the last", () => {
    const repeated = Float32Array.from(chain.checkpoints);
    repeated.set(state(1), 6 * layout.size);
    expect(checkChainMoves(protocol, initialWeights, chain.finalWeights, repeated)?.message).toMatch(/steps 200 and 700 hold the same weights/);
    const initial = Float32Array.from(chain.checkpoints);
    initial.set(initialWeights, 0);
    expect(checkChainMoves(protocol, initialWeights, chain.finalWeights, initial)?.message).toMatch(/initial weights/);
    const final = Float32Array.from(chain.checkpoints);
    final.set(chain.finalWeights, 8 * layout.size);
    expect(checkChainMoves(protocol, initialWeights, chain.finalWeights, final)?.message).toMatch(/final weights/);
  });

  it("refuses a zero or frozen optimiser state", () => {
    const zero = Float32Array.from(chain.checkpoints);
    zero.fill(0, 3 * layout.size + layout.weights, 4 * layout.size);
    expect(checkChainMoves(protocol, initialWeights, chain.finalWeights, zero)?.message).toMatch(/step 400 is all zeros/);
    const frozen = Float32Array.from(chain.checkpoints);
    frozen.set(state(3).subarray(layout.weights), 4 * layout.size + layout.weights);
    expect(checkChainMoves(protocol, initialWeights, chain.finalWeights, frozen)?.message).toMatch(/step 500 is the one at step 400/);
  });
});

/** The points (weights and losses) of a modified chain. */
function buildChainPoints(checkpoints: Float32Array): Chain["points"] {
  return buildChain({ protocol, seed, data, initialWeights, real: [], fallbackFinal: initialWeights }).points.map((p, k) => {
    const weights = checkpoints.slice(k * layout.size, k * layout.size + layout.weights);
    return { step: p.step, weights, loss: trainingLoss(protocol, data, seed, weights, p.step) };
  });
}

describe("chooseSegments", () => {
  it("draws distinct sorted indices, as many as asked (at most all of them)", () => {
    const bytes = new Uint8Array(32).map((_, k) => (k * 37 + 11) & 255);
    const three = chooseSegments(3, 40, bytes);
    expect(three).toHaveLength(3);
    expect(new Set(three).size).toBe(3);
    expect([...three].sort((a, b) => a - b)).toEqual(three);
    expect(three.every((k) => k >= 0 && k < 40)).toBe(true);
    expect(chooseSegments(6, 4, bytes)).toEqual([0, 1, 2, 3]);
    expect(() => chooseSegments(3, 40, new Uint8Array(8))).toThrow(/12 random bytes/);
  });

  it("the local self-check always replays the last segment and draws the others; fewer draws are a subset of more", () => {
    for (let trial = 0; trial < 50; trial++) {
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      const three = replaySegments(3, 10, bytes);
      expect(three).toHaveLength(3);
      expect(three.at(-1)).toBe(9);
      expect(replaySegments(2, 10, bytes).every((k) => three.includes(k))).toBe(true);
      expect(chooseSegments(3, 10, bytes)).toContain(chooseSegments(1, 10, bytes)[0]);
    }
    expect(replaySegments(1, 10, new Uint8Array(0))).toEqual([9]);
    expect(replaySegments(6, 4, new Uint8Array(32))).toEqual([0, 1, 2, 3]);
  });

  it("covers every segment about equally often", () => {
    const counts = new Array<number>(10).fill(0);
    for (let trial = 0; trial < 3000; trial++) for (const k of chooseSegments(1, 10, crypto.getRandomValues(new Uint8Array(4)))) counts[k]! += 1;
    for (const count of counts) expect(Math.abs(count - 300)).toBeLessThan(90); // > 5 standard deviations
  });
});
