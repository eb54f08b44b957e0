import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import { REPLAY_TOLERANCE, withinTolerance } from "../metrics/compare";
import { verifySubmission } from "../metrics/verify-run";
import { familyOf } from "../protocols/families";
import { findProtocol } from "../protocols/registry";
import reference from "./fixtures/pytorch_reference.json";
import { encodeFloat32 } from "./float32-codec";
import { trainMoons, TrainingCancelled } from "./train";

const protocol = findProtocol("fig1-margin-pos")!;
const family = familyOf(protocol);

describe.each(["wasm", "cpu"] as const)("trainMoons on the %s backend", (backend) => {
  let tensorsBefore = 0;
  beforeAll(async () => {
    await useNodeBackend(backend);
    tensorsBefore = tf.memory().numTensors;
  });
  afterAll(() => expect(tf.memory().numTensors).toBe(tensorsBefore));

  it("follows PyTorch's float32 loss trajectory from the same start", async () => {
    // The cpu backend is ~10x slower than wasm here: it checks the first 20 steps only.
    const steps = backend === "wasm" ? 200 : 20;
    for (const c of reference.cases) {
      const p = findProtocol(c.protocol)!;
      const losses: number[] = [];
      await trainMoons({
        protocol: { ...p, evidence: { replaySteps: 20, historyEvery: 1 } },
        data: familyOf(p).dataset(p, c.seed),
        initialWeights: familyOf(p).initialWeights(p, c.seed),
        steps,
        progressIntervalMs: 0,
        onProgress: (progress) => void losses.push(progress.loss),
      });
      c.float32_first20.forEach((expected, step) => expect(Math.abs(losses[step]! - expected)).toBeLessThan(2e-6));
      if (steps === 200) expect(Math.abs(losses[199]! - c.float32_step199)).toBeLessThan(1e-5);
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
    );
    expect(verdict.status).toBe("accepted");
    if (steps === protocol.training.steps) expect(claimed.trainAccuracy).toBe(1);
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
