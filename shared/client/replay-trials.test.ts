import { beforeAll, describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import { PEER_TOLERANCE, peerDeviation } from "../metrics/peer-replay";
import { segmentEnds, TRAJECTORY_TOLERANCE } from "../metrics/trajectory";
import { moonsProtocol } from "../protocols/registry";
import type { MoonsProtocol } from "../protocols/types";
import {
  backendSegmentDeviations,
  float64Deviations,
  honestRunOf,
  peerDeviations,
  segmentCount,
  shortenedProtocol,
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

describe("shortenedProtocol", () => {
  it("keeps the data, network and recipe, and changes only the step count and the checkpoint interval", () => {
    const prefix = shortenedProtocol(short, 20);
    expect(prefix).toEqual({ ...short, training: { ...short.training, steps: 20 }, evidence: { ...short.evidence, checkpointEvery: 10 } });
    expect(segmentCount(prefix)).toBe(2);
    expect(shortenedProtocol(short, 12, 4).evidence.checkpointEvery).toBe(4);
    expect(short.training.steps).toBe(40);
    expect(() => shortenedProtocol(short, 0)).toThrow(RangeError);
    expect(() => shortenedProtocol(short, 10, 2.5)).toThrow(RangeError);
  });
});

describe("peerDeviations on the cpu backend", () => {
  let run: HonestRun;
  let prefix: HonestRun;
  beforeAll(async () => {
    await useNodeBackend("cpu");
    run = await trainHonestRun(short, 2);
    prefix = await trainHonestRun(shortenedProtocol(short, 20), 2);
  });
  const worst = (m: SegmentMeasurement): number => Math.max(m.weights, m.optimizerState ?? 0);

  it("measures an honest peer's replay as the server does (peerDeviation), the same as tfjsDeviations", async () => {
    const honest = await peerDeviations(run, [0, 2, 3]);
    expect(honest).toEqual(await tfjsDeviations(run, [0, 2, 3]));
    expect(honest.map((m) => [m.segment, m.trainedOn, m.replayedOn, m.optimizerState === null])).toEqual([
      [0, "cpu", "cpu", false],
      [2, "cpu", "cpu", false],
      [3, "cpu", "cpu", true],
    ]);
    for (const m of honest) expect(worst(m)).toBeLessThan(PEER_TOLERANCE);
  });

  it("gives the forged answers' deviations, far above the tolerance", async () => {
    const unchanged = await peerDeviations(run, [0, 2], { answer: "unchanged" });
    expect(unchanged.map((m) => m.replayedOn)).toEqual(["forged: start unchanged", "forged: start unchanged"]);
    // The start sent back as the end is off by exactly the segment's movement.
    for (const m of unchanged) expect(m.weights).toBe(1);
    const { start, end, to } = segmentEnds(short, { initialWeights: run.initialWeights, checkpoints: run.result.checkpoints!, finalWeights: run.result.weights }, 2);
    expect(worst(unchanged[1]!)).toBe(peerDeviation(short, start, { weights: start.weights, optimizerState: start.optimizerState! }, end, to));
    const faster = await peerDeviations(run, [0, 2], { answer: "lr×1.5" });
    expect(faster.map((m) => m.replayedOn)).toEqual(["forged: lr×1.5 on cpu", "forged: lr×1.5 on cpu"]);
    for (const m of [...unchanged, ...faster]) expect(worst(m)).toBeGreaterThan(PEER_TOLERANCE);
  });

  it("compares the optimiser state at the end of a prefix run's last segment, which is a checkpoint of the whole run", async () => {
    expect(prefix.result.checkpoints).toEqual(run.result.checkpoints!.subarray(0, prefix.result.checkpoints!.length));
    const [asLast] = await peerDeviations(prefix, [1]);
    const [asPrefix] = await peerDeviations(prefix, [1], { prefix: true });
    expect(asLast!.optimizerState).toBeNull();
    expect(asPrefix).toMatchObject({ from: 10, to: 20, weights: asLast!.weights });
    expect(asPrefix!.optimizerState).not.toBeNull();
    expect(asPrefix!.optimizerState!).toBeLessThan(PEER_TOLERANCE);
    // The forged "unchanged" answer is caught on its optimiser state too.
    const [forged] = await peerDeviations(prefix, [1], { answer: "unchanged", prefix: true });
    expect(forged!.optimizerState!).toBeGreaterThan(PEER_TOLERANCE);
  });
});
