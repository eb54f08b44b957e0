import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureProtocol } from "../../../shared/nn/fixtures/cmnist-synthetic";
import { cmnistSd } from "../../../shared/protocols/colored-mnist";
import { CMNIST_PIXELS } from "../../../shared/nn/cmnist-model";
import { MAX_TIMED_STEPS, moreSteps, standInEnvs, timeCmnistSteps } from "./cmnist-timing";

const small = { ...fixtureProtocol("sd", { hidden: 8, lr: 1e-3, steps: 40, anneal: 2 }), data: { ...cmnistSd.data, examplesPerEnv: 64 } };

describe("Colored-MNIST timing", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("builds stand-in environments of the protocol's exact shapes", () => {
    const envs = standInEnvs(small);
    expect(envs).toHaveLength(2);
    for (const env of envs) {
      expect(env.images.length).toBe(64 * 2 * CMNIST_PIXELS);
      expect(env.labels.length).toBe(64);
      expect(new Set(env.labels)).toEqual(new Set([0, 1]));
      expect(env.images.some((v) => v > 0)).toBe(true);
    }
    // Whole environments when the protocol trains on all of them.
    expect(standInEnvs({ ...small, data: cmnistSd.data })[0]!.labels.length).toBe(25_000);
  });

  it("fills its time budget after the first step, within bounds", () => {
    expect(moreSteps(2000)).toBe(0);
    expect(moreSteps(1000)).toBe(2);
    expect(moreSteps(1)).toBe(MAX_TIMED_STEPS - 1);
    expect(moreSteps(60_000)).toBe(0);
  });

  it("times real steps of the trainer and leaves no tensor behind", async () => {
    const before = tf.memory().numTensors;
    const reports: Array<[number, number | null]> = [];
    const timing = await timeCmnistSteps(small, undefined, (done, planned) => reports.push([done, planned]));
    expect(timing.timedSteps).toBeGreaterThanOrEqual(1);
    expect(timing.timedSteps).toBeLessThanOrEqual(MAX_TIMED_STEPS);
    expect(timing.msPerStep).toBeGreaterThan(0);
    expect(Number.isFinite(timing.msPerStep)).toBe(true);
    expect(reports.at(-1)).toEqual([timing.timedSteps, timing.timedSteps]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
