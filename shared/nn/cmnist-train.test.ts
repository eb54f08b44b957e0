// Why: proves the Colored-MNIST trainer follows PyTorch's float32 run, chunked or not, cancels cleanly, resumes
// from a checkpoint exactly where it stood, and leaks no tensor.
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import { cmnistLogits } from "../metrics/cmnist-forward";
import { reducedCmnistProtocol } from "../protocols/colored-mnist";
import { cmnistInitialWeights, cmnistMlpSpec } from "./cmnist-model";
import { checkpointLayout, checkpointState } from "../metrics/trajectory";
import { cmnistChunkSize } from "./cmnist-chunk";
import { createCmnistTrainer, trainCmnist, trainCmnistSegment, type CmnistCheckpoint, type CmnistTrainRequest } from "./cmnist-train";
import reference from "./fixtures/cmnist_reference.json";
import { fixtureProtocol, syntheticCmnistEnvs, type FixtureMethod } from "./fixtures/cmnist-synthetic";
import { mlpParams } from "./mlp";
import { createPauseSwitch, TrainingCancelled } from "./step-loop";

const { config } = reference;
const envs = syntheticCmnistEnvs(config.data_seed, [config.n_per_env, config.n_per_env], config.env_flips);
const allImages = new Float32Array([...envs[0]!.images, ...envs[1]!.images]);
const protocolFor = (method: FixtureMethod) =>
  fixtureProtocol(method, { hidden: config.hidden, lr: config.lr, steps: config.steps, anneal: config.anneal });

describe.each(["wasm", "cpu"] as const)("trainCmnist on the %s backend", (backend) => {
  let tensorsBefore = 0;
  beforeAll(async () => {
    await useNodeBackend(backend);
    tensorsBefore = tf.memory().numTensors;
  });
  afterAll(() => expect(tf.memory().numTensors).toBe(tensorsBefore));

  it.each(reference.cases.map((c) => [c.method, c] as const))("follows PyTorch's float32 run, chunked or not (%s)", async (method, c) => {
    const protocol = protocolFor(method as FixtureMethod);
    const initialWeights = cmnistInitialWeights(cmnistMlpSpec(protocol.model), config.init_seed);
    for (const chunkSize of [Infinity, 20]) {
      const before = tf.memory().numTensors;
      let reports = 0;
      const result = await trainCmnist({ protocol, envs, initialWeights, chunkSize, progressIntervalMs: 0, onProgress: () => void reports++ });
      expect(tf.memory().numTensors).toBe(before);
      expect(reports).toBe(config.steps);
      expect(result.historySteps).toEqual([0, 1, 2, 3]);
      const lossGap = Math.max(...c.float32.losses.map((v, k) => Math.abs(result.lossHistory[k]! - v) / Math.abs(v)));
      const lossGap64 = Math.max(...c.float64.losses.map((v, k) => Math.abs(result.lossHistory[k]! - v) / Math.abs(v)));
      const logits = cmnistLogits(protocol.model, result.weights, allImages);
      const scale = Math.max(...c.float32.logits_final.map(Math.abs));
      const logitGap = Math.max(...c.float32.logits_final.map((v, k) => Math.abs(logits[k]! - v))) / scale;
      const logitGap64 = Math.max(...c.float64.logits_final.map((v, k) => Math.abs(logits[k]! - v))) / scale;
      console.log(
        `[${backend}] ${method} chunk ${Number.isFinite(chunkSize) ? chunkSize : "none"}: loss rel. gap vs torch f32 ${lossGap.toExponential(2)} (f64 ${lossGap64.toExponential(2)}), ` +
          `final logits rel. gap vs f32 ${logitGap.toExponential(2)} (f64 ${logitGap64.toExponential(2)})`,
      );
      expect(lossGap).toBeLessThan(1e-5);
      expect(logitGap).toBeLessThan(1e-5);
      mlpParams(cmnistMlpSpec(protocol.model)).forEach((param, k) => {
        const sum = result.weights.subarray(param.offset, param.offset + param.size).reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - c.float32.final_param_sums[k]!)).toBeLessThan(1e-5 * Math.max(1, param.size * 1e-3));
      });
    }
  });

  it("chunks the gradient as cmnistChunkSize says for the running backend, unless told otherwise", () => {
    // 6,000 blank images per environment: more than one wasm chunk.
    const big = [0, 1].map(() => ({ images: new Float32Array(6000 * 2 * 196), labels: new Float32Array(6000) }));
    for (const method of ["erm", "irm"] as const) {
      const protocol = protocolFor(method);
      const chunk = cmnistChunkSize(backend);
      const defaults = createCmnistTrainer(protocol, big, cmnistInitialWeights(cmnistMlpSpec(protocol.model), 0));
      const told = createCmnistTrainer(protocol, big, cmnistInitialWeights(cmnistMlpSpec(protocol.model), 0), 4000);
      try {
        expect(defaults.batch.envs.map((env) => env.inputs.length)).toEqual(chunk ? [Math.ceil(6000 / chunk), Math.ceil(6000 / chunk)] : [1, 1]);
        expect(told.batch.envs.map((env) => env.inputs.length)).toEqual([2, 2]);
      } finally {
        defaults.dispose();
        told.dispose();
      }
    }
    expect(cmnistChunkSize(backend)).toBe(backend === "wasm" ? 2500 : undefined);
  });

  it("stops on an aborted signal and frees everything", async () => {
    const protocol = protocolFor("irm");
    const initialWeights = cmnistInitialWeights(cmnistMlpSpec(protocol.model), 1);
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const run = trainCmnist({
      protocol: { ...protocol, training: { ...protocol.training, steps: 50 } },
      envs,
      initialWeights,
      progressIntervalMs: 0,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.step === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(TrainingCancelled);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("trains a reduced protocol on the first examplesPerEnv images of each env", async () => {
    const protocol = reducedCmnistProtocol(protocolFor("sd"), { stepFraction: 0.5, examplesPerEnv: 10 });
    expect(protocol.training.steps).toBe(2);
    const initialWeights = cmnistInitialWeights(cmnistMlpSpec(protocol.model), 2);
    const subset = envs.map((env) => ({ images: env.images.slice(0, 10 * 392), labels: env.labels.slice(0, 10) }));
    const a = await trainCmnist({ protocol, envs, initialWeights });
    const b = await trainCmnist({ protocol: { ...protocol, data: { ...protocol.data, examplesPerEnv: null } }, envs: subset, initialWeights });
    expect(a.lossHistory).toEqual(b.lossHistory);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  });

  // Resuming must reproduce the uninterrupted run bit for bit: the checkpoint holds the exact float32 weights and
  // Adam moments, the step index drives the objective and Adam's bias correction, and on one backend the same
  // float32 operations in the same order give the same bits. Tolerances are for comparing different backends.
  describe.each(["irm", "sd"] as const)("checkpoint and resume (%s)", (method) => {
    const N = 12;
    const base = fixtureProtocol(method, { hidden: 8, lr: 1e-3, steps: N, anneal: 5 });
    const protocol = reducedCmnistProtocol({ ...base, evidence: { historyEvery: 3 } }, { stepFraction: 1, examplesPerEnv: 12 });
    const initialWeights = cmnistInitialWeights(cmnistMlpSpec(protocol.model), 3);
    const request: CmnistTrainRequest = { protocol, envs, initialWeights, progressIntervalMs: 0 };

    /** Trains until the checkpoint after `k` steps, then stops as a closed tab would; the checkpoint goes through structuredClone. */
    async function interruptedAt(k: number): Promise<CmnistCheckpoint> {
      const controller = new AbortController();
      let saved: CmnistCheckpoint | null = null;
      const run = trainCmnist({
        ...request,
        signal: controller.signal,
        checkpointEverySteps: k,
        checkpointEveryMs: Infinity,
        onCheckpoint: (checkpoint) => {
          saved = structuredClone(checkpoint);
          controller.abort();
        },
      });
      await expect(run).rejects.toBeInstanceOf(TrainingCancelled);
      return saved!;
    }

    it.each([4, 7])("training %i steps, checkpointing, then resuming equals training straight through", async (k) => {
      const before = tf.memory().numTensors;
      const straight = await trainCmnist(request);
      const checkpoint = await interruptedAt(k);
      expect(checkpoint.step).toBe(k);
      expect(checkpoint.historySteps).toEqual(straight.historySteps.filter((s) => s < k));
      expect(checkpoint.optimizerState).toHaveLength(2 * 6);
      const steps: number[] = [];
      const resumed = await trainCmnist({ ...request, resumeFrom: checkpoint, onProgress: (p) => void steps.push(p.step) });
      expect(steps[0]).toBe(k + 1);
      expect(steps.at(-1)).toBe(N);
      expect(resumed.historySteps).toEqual(straight.historySteps);
      expect(resumed.lossHistory).toEqual(straight.lossHistory);
      expect(resumed.accuracyHistory).toEqual(straight.accuracyHistory);
      expect(Array.from(resumed.weights)).toEqual(Array.from(straight.weights));
      expect(resumed.elapsedMs).toBeGreaterThanOrEqual(checkpoint.elapsedMs);
      expect(tf.memory().numTensors).toBe(before);
    });

    it("a paused run checkpoints before waiting and ends where an unpaused one does", async () => {
      const straight = await trainCmnist(request);
      const gate = createPauseSwitch();
      const saved: number[] = [];
      const paused = await trainCmnist({
        ...request,
        pause: gate,
        checkpointEveryMs: Infinity,
        onCheckpoint: (c) => {
          saved.push(c.step);
          if (c.step === 5) setTimeout(() => gate.resume(), 10);
        },
        onProgress: (p) => {
          if (p.step === 5) gate.pause();
        },
      });
      expect(saved).toEqual([5, N]);
      expect(Array.from(paused.weights)).toEqual(Array.from(straight.weights));
    });

    it("resuming a finished checkpoint trains nothing more; a checkpoint of another run is refused", async () => {
      let final: CmnistCheckpoint | null = null;
      const straight = await trainCmnist({ ...request, onCheckpoint: (c) => void (final = c) });
      expect(final!.step).toBe(N);
      const again = await trainCmnist({ ...request, resumeFrom: final!, onProgress: () => expect.unreachable("no step is left") });
      expect(Array.from(again.weights)).toEqual(Array.from(straight.weights));
      expect(again.lossHistory).toEqual(straight.lossHistory);
      await expect(trainCmnist({ ...request, steps: N + 1, resumeFrom: final! })).rejects.toThrow(/run of 12 steps/);
      const other = reducedCmnistProtocol(protocolFor("erm"), { stepFraction: 1, examplesPerEnv: 12 });
      await expect(trainCmnist({ ...request, protocol: { ...other, training: { ...other.training, steps: N } }, resumeFrom: final! })).rejects.toThrow(/belongs to/);
    });
  });
});

describe("Colored-MNIST trajectory checkpoints", () => {
  beforeAll(async () => {
    await useNodeBackend("wasm");
  });
  // The fixture's network and data over 6 steps, a checkpoint every 2: checkpoints before steps 2 and 4.
  const base = protocolFor("sd");
  const protocol = { ...base, training: { ...base.training, steps: 6 }, evidence: { historyEvery: 1, checkpointEvery: 2 } };
  const initialWeights = cmnistInitialWeights(cmnistMlpSpec(protocol.model), config.init_seed);

  it("records weights and Adam's moments before every checkpointEvery-th step, and a segment retrained from one reaches the next bit for bit", async () => {
    const layout = checkpointLayout(protocol)!;
    expect(layout.steps).toEqual([2, 4]);
    const run = await trainCmnist({ protocol, envs, initialWeights });
    expect(run.checkpoints).toHaveLength(2 * layout.size);
    expect(run.optimizerState).toHaveLength(layout.optimizerState);
    const first = checkpointState(layout, run.checkpoints!, 0);
    const second = checkpointState(layout, run.checkpoints!, 1);
    const middle = await trainCmnistSegment({ protocol, envs, start: first, to: 4 });
    expect(middle.weights).toEqual(second.weights);
    expect(middle.optimizerState).toEqual(second.optimizerState);
    const last = await trainCmnistSegment({ protocol, envs, start: second, to: 6 });
    expect(last.weights).toEqual(run.weights);
    const fromStart = await trainCmnistSegment({ protocol, envs, start: { step: 0, weights: initialWeights, optimizerState: null }, to: 2 });
    expect(fromStart.weights).toEqual(first.weights);
  });

  it("keeps the checkpoints taken before a pause when the run is resumed", async () => {
    const full = await trainCmnist({ protocol, envs, initialWeights });
    const saved: CmnistCheckpoint[] = [];
    await trainCmnist({ protocol, envs, initialWeights, steps: 6, checkpointEverySteps: 3, checkpointEveryMs: Infinity, onCheckpoint: (c) => void saved.push(c) });
    const atThree = saved.find((c) => c.step === 3)!;
    expect(atThree.trajectory).toHaveLength(checkpointLayout(protocol)!.size);
    const resumed = await trainCmnist({ protocol, envs, initialWeights, resumeFrom: atThree });
    expect(resumed.checkpoints).toEqual(full.checkpoints);
    expect(resumed.weights).toEqual(full.weights);
  });
});
