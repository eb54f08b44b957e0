import { describe, expect, it } from "vitest";
import { signedTargets } from "../metrics/loss";
import { referenceMlpForward } from "../metrics/mlp-math";
import { referenceReplaySegment, replaySegment, trainingLoss } from "../metrics/replay";
import { moonsLoss } from "../metrics/loss";
import { forwardTrain } from "../metrics/mlp-math";
import { dropoutMask } from "../nn/dropout";
import { initialWeights } from "../nn/init";
import { moonsProtocol } from "../protocols/registry";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import type { MoonsProtocol } from "../protocols/types";
import { createFusedSession, fusedOutputs, fusedSupports, moonsKernelInstalled, withFusedSession } from "./moons-kernel";
import { relativeGap } from "../testing/relative-gap";

/** A protocol with a narrower hidden layer (not a multiple of the kernel's 4-wide vectors). */
const narrowed = (protocol: MoonsProtocol, width: number): MoonsProtocol => ({ ...protocol, model: { ...protocol.model, layerSizes: [2, width, 1] } });

const start = (protocol: MoonsProtocol, seed: number) => ({ step: 0, weights: initialWeights(protocol.model, seed), optimizerState: null });

describe("the fused float64 kernel", () => {
  it("is installed in Node by the test setup, and covers the two-layer nets (dropout, BatchNorm) but not the 5-layer net", () => {
    expect(moonsKernelInstalled()).toBe(true);
    expect(fusedSupports(moonsProtocol("fig1-margin-pos"))).toBe(true);
    expect(fusedSupports(moonsProtocol("fig3-dropout"))).toBe(true);
    expect(fusedSupports(moonsProtocol("fig3-batchnorm"))).toBe(true);
    expect(fusedSupports(moonsProtocol("fig3-deeper"))).toBe(false);
  });

  it.each(["fig1-margin-pos", "fig2-margin-pos-sd", "fig3-weight-decay", "fig3-adam-large-lr", "fig3-dropout"])(
    "replays %s as the TypeScript reference does (losses, weights, optimiser state)",
    (id) => {
      const protocol = moonsProtocol(id);
      const seed = 4;
      const data = twoMoonsFamily.dataset(protocol, seed);
      const reference = referenceReplaySegment(protocol, data, seed, start(protocol, seed), 120);
      const fused = replaySegment(protocol, data, seed, start(protocol, seed), 120);
      expect(relativeGap(reference.losses, fused.losses)).toBeLessThan(1e-12);
      expect(relativeGap(reference.weights, fused.weights)).toBeLessThan(1e-12);
      expect(relativeGap(reference.optimizerState, fused.optimizerState)).toBeLessThan(1e-12);
      // A different seed's dropout masks or a different step count would not agree this closely.
      expect(relativeGap(reference.weights, initialWeights(protocol.model, seed))).toBeGreaterThan(1e-4);
    },
  );

  it.each(["fig3-batchnorm"])("replays %s (BatchNorm's batch statistics; running statistics left as they were) as the TypeScript reference does", (id) => {
    // SGD, with and without weight decay (with BatchNorm, fc1's bias gets a gradient of pure rounding noise, which
    // Adam would scale up to full-size steps in any two implementations alike; no protocol pairs them).
    for (const optimizer of [undefined, { kind: "sgd", lr: 0.01, momentum: 0.9, weightDecay: 0.01 } as const]) {
      const base = moonsProtocol(id);
      const protocol = optimizer ? { ...base, training: { ...base.training, optimizer } } : base;
      const data = twoMoonsFamily.dataset(protocol, 5);
      const reference = referenceReplaySegment(protocol, data, 5, start(protocol, 5), 60);
      const fused = replaySegment(protocol, data, 5, start(protocol, 5), 60);
      expect(fused.weights).toHaveLength(reference.weights.length);
      expect(relativeGap(reference.losses, fused.losses)).toBeLessThan(1e-12);
      expect(relativeGap(reference.weights, fused.weights)).toBeLessThan(1e-12);
      expect(relativeGap(reference.optimizerState, fused.optimizerState)).toBeLessThan(1e-12);
      expect(trainingLoss(protocol, data, 5, fused.weights, 60)).toBeCloseTo(moonsLoss(forwardTrain(protocol.model, fused.weights, data.x, null).outputs, signedTargets(data.y), 0), 12);
    }
  });

  it("pads a hidden width that is not a multiple of 4 without changing the result", () => {
    const protocol = narrowed(moonsProtocol("fig3-dropout"), 7);
    const data = twoMoonsFamily.dataset(protocol, 1);
    const reference = referenceReplaySegment(protocol, data, 1, start(protocol, 1), 60);
    const fused = replaySegment(protocol, data, 1, start(protocol, 1), 60);
    expect(fused.weights).toHaveLength(4 * 7 + 1);
    expect(relativeGap(reference.losses, fused.losses)).toBeLessThan(1e-12);
    expect(relativeGap(reference.weights, fused.weights)).toBeLessThan(1e-12);
  });

  it("trains an odd number of points (the last pair's second point is padding) as the TypeScript reference does", () => {
    for (const id of ["fig1-margin-pos", "fig3-dropout"]) {
      const protocol = moonsProtocol(id);
      const full = twoMoonsFamily.dataset(protocol, 3);
      const data = { n: 299, x: full.x.subarray(0, 598), y: full.y.subarray(0, 299) };
      const reference = referenceReplaySegment(protocol, data, 3, start(protocol, 3), 40);
      const fused = replaySegment(protocol, data, 3, start(protocol, 3), 40);
      expect(relativeGap(reference.losses, fused.losses)).toBeLessThan(1e-12);
      expect(relativeGap(reference.weights, fused.weights)).toBeLessThan(1e-12);
      // The 300th point would move the weights: the padding really stands for no point.
      expect(relativeGap(replaySegment(protocol, full, 3, start(protocol, 3), 40).weights, fused.weights)).toBeGreaterThan(1e-6);
    }
  });

  it("continues a run from its state: two segments equal one (Adam's bias correction and dropout follow the global step)", () => {
    for (const id of ["fig3-adam-small-lr", "fig3-dropout"]) {
      const protocol = moonsProtocol(id);
      const data = twoMoonsFamily.dataset(protocol, 2);
      const whole = replaySegment(protocol, data, 2, start(protocol, 2), 80);
      const firstHalf = replaySegment(protocol, data, 2, start(protocol, 2), 40);
      const secondHalf = replaySegment(protocol, data, 2, { step: 40, weights: firstHalf.weights, optimizerState: firstHalf.optimizerState }, 40);
      expect(Array.from(secondHalf.weights)).toEqual(Array.from(whole.weights));
      expect(Array.from(secondHalf.losses)).toEqual(Array.from(whole.losses.subarray(40)));
    }
  });

  it("runs several lanes in one call exactly as it runs each alone", () => {
    const protocol = moonsProtocol("fig3-dropout");
    const lanes = [0, 5, 9].map((seed) => {
      const data = twoMoonsFamily.dataset(protocol, seed);
      return { protocol, seed, x: data.x, targets: signedTargets(data.y), weights: initialWeights(protocol.model, seed), optimizerState: null };
    });
    const together = createFusedSession(64, lanes);
    const losses = together.step(0, 30);
    lanes.forEach((lane, k) => {
      const alone = createFusedSession(64, [lane]);
      const aloneLosses = alone.step(0, 30);
      expect(Array.from({ length: 30 }, (_, s) => losses[s * lanes.length + k])).toEqual(Array.from(aloneLosses));
      expect(Array.from(together.weights(k))).toEqual(Array.from(alone.weights(0)));
    });
  });

  it("refuses what it cannot compute", () => {
    const protocol = moonsProtocol("fig3-deeper");
    const data = twoMoonsFamily.dataset(protocol, 0);
    expect(() =>
      createFusedSession(64, [{ protocol, seed: 0, x: data.x, targets: signedTargets(data.y), weights: initialWeights(protocol.model, 0), optimizerState: null }]),
    ).toThrow(/does not train/);
    const plain = moonsProtocol("fig1-margin-pos");
    const session = createFusedSession(32, [{ protocol: plain, seed: 0, x: data.x, targets: signedTargets(data.y), weights: initialWeights(plain.model, 0), optimizerState: null }]);
    expect(() => session.step(0, 0)).toThrow(RangeError);
    expect(() =>
      createFusedSession(64, [{ protocol: plain, seed: 0, x: data.x, targets: signedTargets(data.y), weights: new Float32Array(10), optimizerState: null }]),
    ).toThrow(/2001 weights/);
  });

  it("evaluates the metrics' forward pass (10,000 grid points) and the training loss at a step as the TypeScript passes do", () => {
    const protocol = moonsProtocol("fig3-dropout");
    const weights = initialWeights(protocol.model, 3);
    const grid = Float64Array.from({ length: 20_000 }, (_, k) => ((k * 7919) % 20_000) / 5_000 - 2);
    expect(relativeGap(fusedOutputs(protocol.model, weights, grid), referenceMlpForward(protocol.model, weights, grid))).toBeLessThan(1e-13);
    const data = twoMoonsFamily.dataset(protocol, 3);
    const targets = signedTargets(data.y);
    const mask = dropoutMask(3, 17, data.n * 500, 0.7);
    const expected = moonsLoss(forwardTrain(protocol.model, weights, data.x, mask).outputs, targets, 0);
    expect(trainingLoss(protocol, data, 3, weights, 17)).toBeCloseTo(expected, 13);
    expect(trainingLoss(protocol, data, 3, weights, 18)).not.toBeCloseTo(expected, 6);
  });

  it("reuses instances without carrying a session's state into the next (fresh optimiser state, no stale padding)", () => {
    const wide = moonsProtocol("fig3-adam-small-lr");
    const narrow = narrowed(wide, 13);
    const data = twoMoonsFamily.dataset(wide, 0);
    const lane = (protocol: MoonsProtocol) => ({ protocol, seed: 0, x: data.x, targets: signedTargets(data.y), weights: initialWeights(protocol.model, 0), optimizerState: null });
    const first = withFusedSession(64, [lane(narrow)], (session) => (session.step(0, 25), session.weights(0)));
    withFusedSession(64, [lane(wide)], (session) => session.step(0, 25));
    const again = withFusedSession(64, [lane(narrow)], (session) => (session.step(0, 25), session.weights(0)));
    expect(Array.from(again)).toEqual(Array.from(first));
    const session = createFusedSession(64, [lane(narrow)]);
    session.dispose();
    expect(() => session.step(0, 1)).toThrow(/disposed/);
  });
});
