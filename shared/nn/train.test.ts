import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import { REPLAY_TOLERANCE, withinTolerance } from "../metrics/compare";
import { checkpointLayout, checkpointState } from "../metrics/trajectory";
import { verifySubmission } from "../metrics/verify-run";
import { checkpointSteps, trajectorySegments } from "../protocols/evidence";
import { moonsProtocol } from "../protocols/registry";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import reference from "./fixtures/pytorch_reference.json";
import { encodeFloat32 } from "./float32-codec";
import { trainBatch, trainMoons, TrainingCancelled, type Lane } from "./train";

const protocol = moonsProtocol("fig1-margin-pos");
const family = twoMoonsFamily;

describe.each(["wasm", "cpu"] as const)("trainMoons on the %s backend", (backend) => {
  let tensorsBefore = 0;
  beforeAll(async () => {
    await useNodeBackend(backend);
    tensorsBefore = tf.memory().numTensors;
  });
  afterAll(() => expect(tf.memory().numTensors).toBe(tensorsBefore));

  it("follows PyTorch's float32 loss trajectory from the same start (every Fig. 1-3 variant)", async () => {
    // The cpu backend is ~10x slower than wasm here: it checks the first 20 steps of the two-layer nets only.
    for (const c of reference.cases) {
      const p = moonsProtocol(c.protocol);
      const deep = p.model.layerSizes.length > 3;
      if (backend === "cpu" && deep) continue;
      const steps = backend === "wasm" ? c.float32_steps : 20;
      const losses: number[] = [];
      await trainMoons({
        protocol: { ...p, evidence: { replaySteps: 20, historyEvery: 1 } },
        seed: c.seed,
        data: twoMoonsFamily.dataset(p, c.seed),
        initialWeights: twoMoonsFamily.initialWeights(p, c.seed),
        steps,
        progressIntervalMs: 0,
        onProgress: (progress) => void losses.push(progress.loss),
      });
      c.float32_first20.forEach((expected, step) => expect(Math.abs(losses[step]! - expected), `${c.protocol} step ${step}`).toBeLessThan(deep ? 1e-5 : 2e-6));
      if (steps === c.float32_steps) expect(Math.abs(losses[steps - 1]! - c.float32_last), `${c.protocol} last step`).toBeLessThan(2e-5);
    }
  });

  it("produces a run the server's verifier accepts", async () => {
    const seed = 2;
    const data = family.dataset(protocol, seed);
    const steps = backend === "wasm" ? protocol.training.steps : 50;
    const p = { ...protocol, training: { ...protocol.training, steps } };
    let reports = 0;
    const result = await trainMoons({ protocol: p, data, initialWeights: family.initialWeights(p, seed), onProgress: () => void reports++, progressIntervalMs: 0 });
    expect(reports).toBe(steps);
    const replay = family.replayLosses(p, data, seed, p.evidence.replaySteps);
    const worstGap = Math.max(...result.firstLosses.map((loss, k) => Math.abs(loss - replay[k]!)));
    console.log(`[${backend}] largest |tfjs - float64 replay| over the first ${p.evidence.replaySteps} losses: ${worstGap.toExponential(2)}`);
    result.firstLosses.forEach((loss, k) => expect(withinTolerance(loss, replay[k]!, REPLAY_TOLERANCE)).toBe(true));
    const claimed = family.evaluate(p, data, result.weights).metrics;
    const verdict = verifySubmission(
      { protocol: p, seed },
      {
        token: "x".repeat(43),
        protocolId: p.id,
        protocolVersion: p.version,
        seed,
        claimed: { ...claimed },
        firstLosses: result.firstLosses,
        lossHistory: result.lossHistory,
        environment: { backend, tfjsVersion: tf.version_core, client: "cli", userAgent: "vitest" },
        timings: { trainMs: result.elapsedMs, steps },
      },
      encodeFloat32(result.weights),
      // Every segment of the trajectory replayed, not only the verifier's draw.
      { trajectory: { checkpoints: result.checkpoints, segments: trajectorySegments(steps, p.evidence.checkpointEvery!).map((_, k) => k) } },
    );
    expect(verdict).toMatchObject({ status: "accepted" });
    expect(result.checkpoints).toHaveLength(checkpointSteps(steps, p.evidence.checkpointEvery!).length * checkpointLayout(p)!.size);
    if (steps === protocol.training.steps) expect(claimed.trainAccuracy).toBe(1);
  });

  it("retrains a segment from a trajectory checkpoint to the next checkpoint bit for bit (SGD and Adam)", async () => {
    for (const id of ["fig1-margin-pos", "fig3-adam-small-lr"]) {
      const p = moonsProtocol(id);
      const short = { ...p, evidence: { ...p.evidence, checkpointEvery: 10 } };
      const seed = 3;
      const data = family.dataset(p, seed);
      const full = await trainMoons({ protocol: short, seed, data, initialWeights: family.initialWeights(p, seed), steps: 30 });
      const layout = checkpointLayout(short, 30)!;
      expect(layout.steps).toEqual([10, 20]);
      const from = checkpointState(layout, full.checkpoints!, 0);
      const to = checkpointState(layout, full.checkpoints!, 1);
      const [again] = await trainBatch({ lanes: [{ protocol: short, seed, data, initialWeights: Float32Array.from(from.weights), start: { step: 10, optimizerState: Float32Array.from(from.optimizerState) } }], steps: 20 });
      expect(again!.weights).toEqual(to.weights);
      expect(again!.optimizerState).toEqual(to.optimizerState);
    }
  });

  it("stops when cancelled and frees its tensors", async () => {
    const controller = new AbortController();
    const run = trainMoons({
      protocol,
      data: family.dataset(protocol, 0),
      initialWeights: family.initialWeights(protocol, 0),
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (progress) => {
        if (progress.step === 5) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(TrainingCancelled);
  });
});

describe("trainBatch (several runs in one computation)", () => {
  beforeAll(() => useNodeBackend("wasm"));

  const laneOf = (id: string, seed: number): Lane => {
    const p = moonsProtocol(id);
    return { protocol: p, seed, data: twoMoonsFamily.dataset(p, seed), initialWeights: twoMoonsFamily.initialWeights(p, seed) };
  };

  it.each([
    ["seeds of one protocol (dropout)", [laneOf("fig3-dropout", 0), laneOf("fig3-dropout", 1), laneOf("fig3-dropout", 2)]],
    ["seeds of one protocol (BatchNorm)", [laneOf("fig3-batchnorm", 0), laneOf("fig3-batchnorm", 5)]],
    ["different protocols of one architecture", [laneOf("fig3-none", 0), laneOf("fig3-weight-decay", 1), laneOf("fig3-rotated", 2), laneOf("fig3-sd", 3)]],
    ["Adam lanes with different learning rates", [laneOf("fig3-adam-small-lr", 0), laneOf("fig3-adam-large-lr", 0)]],
  ])("equals training each run on its own (%s)", async (_, lanes) => {
    const steps = 40;
    const together = await trainBatch({ lanes, steps });
    for (const [k, lane] of lanes.entries()) {
      const alone = await trainMoons({ ...lane, steps });
      const batched = together[k]!;
      expect(batched.firstLosses.length).toBe(alone.firstLosses.length);
      batched.firstLosses.forEach((loss, step) => expect(Math.abs(loss - alone.firstLosses[step]!)).toBeLessThan(1e-6));
      expect(Math.abs(batched.lossHistory.at(-1)! - alone.lossHistory.at(-1)!)).toBeLessThan(1e-6);
      let worst = 0;
      batched.weights.forEach((w, i) => (worst = Math.max(worst, Math.abs(w - alone.weights[i]!))));
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it("refuses lanes that cannot share one computation", async () => {
    await expect(trainBatch({ lanes: [laneOf("fig3-none", 0), laneOf("fig3-batchnorm", 0)], steps: 1 })).rejects.toThrow(/same network/);
    await expect(trainBatch({ lanes: [laneOf("fig3-none", 0), laneOf("fig3-adam-small-lr", 0)], steps: 1 })).rejects.toThrow(/same network|optimiser/);
  });
});
