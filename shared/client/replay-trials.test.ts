import { beforeAll, describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import { TRAJECTORY_TOLERANCE } from "../metrics/trajectory";
import { moonsProtocol } from "../protocols/registry";
import type { MoonsProtocol } from "../protocols/types";
import {
  backendSegmentDeviations,
  float64Deviations,
  honestRunOf,
  segmentCount,
  summarisePairs,
  tfjsDeviations,
  trainHonestRun,
  type HonestRun,
  type SegmentMeasurement,
} from "./replay-trials";

// Fig. 1's network and recipe over 40 steps with a checkpoint every 10: four segments, a few seconds on cpu.
const base = moonsProtocol("fig1-margin-pos");
const short: MoonsProtocol = { ...base, training: { ...base.training, steps: 40 }, evidence: { ...base.evidence, checkpointEvery: 10 } };

describe("summarisePairs", () => {
  const measurement = (trainedOn: string, replayedOn: string, weights: number, optimizerState: number | null): SegmentMeasurement => ({
    protocolId: "p",
    seed: 0,
    trainedOn,
    replayedOn,
    segment: 0,
    from: 0,
    to: 10,
    weights,
    optimizerState,
  });

  it("summarises each backend pair on its own, in order of appearance", () => {
    const tolerance = 0.02;
    const pairs = summarisePairs(
      [
        measurement("wasm", "webgpu", 1e-4, 2e-4),
        measurement("webgpu", "float64", 0.01, null),
        measurement("wasm", "webgpu", 0.03, 0.001),
        measurement("webgpu", "float64", 0.005, 0.02),
      ],
      tolerance,
    );
    expect(pairs).toEqual([
      { trainedOn: "wasm", replayedOn: "webgpu", count: 2, median: 0.03, p99: 0.03, max: 0.03, rejected: 1 },
      { trainedOn: "webgpu", replayedOn: "float64", count: 2, median: 0.02, p99: 0.02, max: 0.02, rejected: 0 },
    ]);
    expect(summarisePairs([])).toEqual([]);
  });
});

describe("replay trials on the cpu backend", () => {
  let run: HonestRun;
  beforeAll(async () => {
    await useNodeBackend("cpu");
    run = await trainHonestRun(short, 1);
  });

  it("rebuilds a run trained elsewhere from its seed and result", () => {
    const rebuilt = honestRunOf(short, 1, run.result);
    expect(rebuilt.initialWeights).toEqual(run.initialWeights);
    expect(rebuilt.data.x).toEqual(run.data.x);
    expect(float64Deviations(rebuilt)).toEqual(float64Deviations(run));
  });

  it("measures each segment against the run and against the float64 replay of the backend's own end", async () => {
    expect(segmentCount(short)).toBe(4);
    const measured = await backendSegmentDeviations(run, [0, 3]);
    expect(measured.map((m) => [m.segment, m.trainedOn, m.replayedOn])).toEqual([
      [0, "cpu", "cpu"],
      [0, "cpu", "float64"],
      [3, "cpu", "cpu"],
      [3, "cpu", "float64"],
    ]);
    // Against the run: exactly what tfjsDeviations reports for the same segments.
    expect(measured.filter((m) => m.replayedOn === "cpu")).toEqual(await tfjsDeviations(run, [0, 3]));
    // The same backend from the same checkpoint redoes the run's arithmetic.
    for (const m of measured.filter((m) => m.replayedOn === "cpu")) expect(m.weights).toBeLessThan(1e-6);
    // Against float64: an honest float32 segment passes the server's check; the last one carries no optimiser state.
    const [first, last] = measured.filter((m) => m.replayedOn === "float64");
    expect(first).toMatchObject({ from: 0, to: 10 });
    expect(first!.optimizerState).not.toBeNull();
    expect(last).toMatchObject({ from: 30, to: 40, optimizerState: null });
    for (const m of [first!, last!]) expect(Math.max(m.weights, m.optimizerState ?? 0)).toBeLessThan(TRAJECTORY_TOLERANCE);
  });

  it("refuses a segment the run does not have", async () => {
    await expect(backendSegmentDeviations(run, [4])).rejects.toThrow(/segments 0 to 3/);
  });
});
