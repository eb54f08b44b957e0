import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { runJob, type JobContext } from "./jobs";
import type { FromWorker } from "./messages";

describe("the benchmark job", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("trains, replays the first steps in float64, and reports a match", async () => {
    const messages: FromWorker[] = [];
    const context: JobContext = {
      post: (message) => messages.push(message),
      signal: new AbortController().signal,
      origin: "http://unused",
      selection: { backend: "cpu", adapter: null, attempts: [{ backend: "cpu", ok: true }] },
    };
    await runJob(context, { kind: "bench", protocolId: "fig1-margin-pos", seed: 0, steps: 3 });
    const stages = messages.filter((m) => m.type === "stage").map((m) => (m as Extract<FromWorker, { type: "stage" }>).stage);
    expect(stages).toEqual(["data", "training", "evaluating", "replaying"]);
    expect(messages.some((m) => m.type === "progress")).toBe(true);
    const done = messages.at(-1);
    expect(done?.type).toBe("bench-done");
    const result = (done as Extract<FromWorker, { type: "bench-done" }>).result;
    expect(result).toMatchObject({ backend: "cpu", steps: 3, replayMatches: true, allFinite: true });
    expect(result.losses).toHaveLength(3);
    expect(result.maxAbsDiff).toBeLessThan(1e-4);
  });

  it("refuses a protocol this client does not know", async () => {
    const context: JobContext = {
      post: () => undefined,
      signal: new AbortController().signal,
      origin: "http://unused",
      selection: { backend: "cpu", adapter: null, attempts: [] },
    };
    await expect(runJob(context, { kind: "bench", protocolId: "no-such-protocol", seed: 0, steps: 1 })).rejects.toThrow(/does not know/);
  });
});
