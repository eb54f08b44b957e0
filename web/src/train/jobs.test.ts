import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { needsTfjs, runJob, type JobContext } from "./jobs";
import type { FromWorker } from "./messages";

const cpuContext = (messages: FromWorker[]): JobContext => ({
  post: (message) => messages.push(message),
  signal: new AbortController().signal,
  origin: "http://unused",
  selection: { backend: "cpu", adapter: null, attempts: [{ backend: "cpu", ok: true }] },
});
const last = <T extends FromWorker["type"]>(messages: FromWorker[], type: T) =>
  [...messages].reverse().find((m) => m.type === type) as Extract<FromWorker, { type: T }>;

describe("the worker's jobs", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
    // Node 20 has no navigator; the workunit environment reports its user agent.
    vi.stubGlobal("navigator", { userAgent: "vitest" });
  });

  it("trains seeds one at a time, then batched, with the same results", async () => {
    const messages: FromWorker[] = [];
    await runJob(cpuContext(messages), { kind: "bench-compare", protocolId: "fig1-margin-pos", seeds: 2, steps: 3 });
    const phases = messages.filter((m) => m.type === "bench-phase").map((m) => `${m.phase}:${m.run}`);
    expect(phases).toEqual(["sequential:0", "sequential:1", "batched:0"]);
    const { result } = last(messages, "bench-compare-done");
    expect(result).toMatchObject({ backend: "cpu", seeds: 2, steps: 3 });
    expect(result.ratio).toBeCloseTo(result.batchedRunStepsPerSecond / result.sequentialRunStepsPerSecond, 10);
    expect(result.maxFinalLossDiff).toBeLessThan(1e-5);
  });

  it("times a few steps for the Lab's estimate", async () => {
    const messages: FromWorker[] = [];
    await runJob(cpuContext(messages), { kind: "estimate", protocolId: "fig1-margin-pos" });
    const { result } = last(messages, "estimate-done");
    expect(result).toMatchObject({ protocolId: "fig1-margin-pos", backend: "cpu", timedSteps: 200 });
    expect(result.msPerStep).toBeGreaterThan(0);
    await expect(runJob(cpuContext([]), { kind: "estimate", protocolId: "fig6-dual" })).rejects.toThrow(/trains no network/);
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

  it("computes a toy practice run without tfjs, and the local verifier accepts it", async () => {
    const messages: FromWorker[] = [];
    await runJob(cpuContext(messages), { kind: "practice", protocolId: "fig6-primal-sd", seed: 0 });
    expect(messages.filter((m) => m.type === "stage").map((m) => m.stage)).toEqual(["data", "computing"]);
    const { run } = last(messages, "done");
    expect(run.grid).toBeNull();
    expect(run.weights).toHaveLength(0);
    expect(run.localVerdict.status).toBe("accepted");
    expect(run.meta.environment.backend).toBe("cpu");
    expect(Object.keys(run.metrics)).toHaveLength(12);
    expect(needsTfjs({ kind: "practice", protocolId: "fig6-primal-sd", seed: 0 })).toBe(false);
    expect(needsTfjs({ kind: "practice", protocolId: "fig3-batchnorm", seed: 0 })).toBe(true);
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
