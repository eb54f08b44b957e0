import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import { replaySegment, trainableIndices } from "../metrics/replay";
import { moonsProtocol } from "../protocols/registry";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import type { MoonsProtocol } from "../protocols/types";
import { chooseEngine } from "./step-engine";
import { trainBatch, type Lane, type TrainResult } from "./train";
import { relativeGap } from "../testing/relative-gap";

/** A short version of a protocol with every kind of evidence due inside `steps`. */
const shortened = (protocol: MoonsProtocol, steps: number): MoonsProtocol => ({
  ...protocol,
  training: { ...protocol.training, steps },
  evidence: { ...protocol.evidence, replaySteps: 10, historyEvery: 10, ntkEvery: 20, checkpointEvery: 25 },
});

const lanesOf = (protocol: MoonsProtocol, seeds: readonly number[]): Lane[] =>
  seeds.map((seed) => ({ protocol, seed, data: twoMoonsFamily.dataset(protocol, seed), initialWeights: twoMoonsFamily.initialWeights(protocol, seed) }));

describe("the fused engine on the wasm backend", () => {
  beforeAll(() => useNodeBackend("wasm"));

  it("is what the trainer picks on wasm for the two-layer nets (BatchNorm too), and not for the 5-layer net or tfjs' cpu backend", async () => {
    expect(chooseEngine("auto", lanesOf(moonsProtocol("fig1-margin-pos"), [0]))).toBe("fused");
    expect(chooseEngine("auto", lanesOf(moonsProtocol("fig3-batchnorm"), [0]))).toBe("fused");
    expect(chooseEngine("auto", lanesOf(moonsProtocol("fig3-deeper"), [0]))).toBe("tfjs");
    expect(() => chooseEngine("fused", lanesOf(moonsProtocol("fig3-deeper"), [0]))).toThrow(/do not cover/);
    await useNodeBackend("cpu");
    expect(chooseEngine("auto", lanesOf(moonsProtocol("fig1-margin-pos"), [0]))).toBe("tfjs");
    await useNodeBackend("wasm");
  });

  it.each(["fig3-dropout", "fig3-adam-large-lr", "fig2-margin-pos-sd", "fig3-batchnorm"])(
    "records the evidence of %s at the same steps as tfjs ops, with the same values up to float32 rounding, for 3 lanes at once",
    async (id) => {
      const protocol = shortened(moonsProtocol(id), 100);
      const lanes = lanesOf(protocol, [0, 3, 7]);
      const tensorsBefore = tf.memory().numTensors;
      const fused = await trainBatch({ lanes, engine: "fused" });
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      const reference = await trainBatch({ lanes, engine: "tfjs" });
      fused.forEach((run: TrainResult, k) => {
        const ref = reference[k]!;
        expect(run.backend).toBe("wasm");
        expect(run.firstLosses).toHaveLength(10);
        expect(relativeGap(run.firstLosses, ref.firstLosses)).toBeLessThan(1e-5);
        expect(run.lossHistory).toHaveLength(ref.lossHistory.length);
        expect(relativeGap(run.lossHistory, ref.lossHistory)).toBeLessThan(1e-4);
        expect(run.outputs!.steps).toEqual(ref.outputs!.steps);
        run.outputs!.values.forEach((values, s) => expect(relativeGap(values, ref.outputs!.values[s]!)).toBeLessThan(1e-4));
        expect(run.checkpoints!.length).toBe(ref.checkpoints!.length);
        expect(relativeGap(run.checkpoints!, ref.checkpoints!)).toBeLessThan(1e-4);
        expect(relativeGap(run.weights, ref.weights)).toBeLessThan(1e-4);
        expect(relativeGap(run.optimizerState, ref.optimizerState)).toBeLessThan(1e-3);
        // And both stay next to the verifier's float64 replay.
        const replay = replaySegment(protocol, lanes[k]!.data, lanes[k]!.seed, { step: 0, weights: lanes[k]!.initialWeights, optimizerState: null }, 100);
        // (The replay leaves BatchNorm's running statistics as they were: only trainable values are compared.)
        const trainable = Array.from(trainableIndices(protocol));
        expect(relativeGap(trainable.map((i) => run.weights[i]!), trainable.map((i) => replay.weights[i]!))).toBeLessThan(1e-4);
      });
    },
  );

  it("continues a segment from a checkpoint's state as the tfjs engine does", async () => {
    const protocol = shortened(moonsProtocol("fig3-adam-small-lr"), 60);
    const [first] = await trainBatch({ lanes: lanesOf(protocol, [1]), steps: 30 });
    const lane = { ...lanesOf(protocol, [1])[0]!, initialWeights: first!.weights, start: { step: 30, optimizerState: first!.optimizerState } };
    const [fused] = await trainBatch({ lanes: [lane], engine: "fused" });
    const [reference] = await trainBatch({ lanes: [lane], engine: "tfjs" });
    expect(relativeGap(fused!.weights, reference!.weights)).toBeLessThan(1e-4);
    expect(fused!.lossHistory).toHaveLength(4);
    expect(relativeGap(fused!.lossHistory, reference!.lossHistory)).toBeLessThan(1e-5);
  });
});
