// Why: proves the chunked full-batch gradient and the written-out backward pass equal plain autograd for every method and backend, and the losses match PyTorch.
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import { createBatchedNet } from "./batched-mlp";
import { cmnistInitialWeights, cmnistMlpSpec, modelInputs } from "./cmnist-model";
import {
  autogradLogits,
  chunkedLossAndGradient,
  cmnistLossAndGradient,
  createCmnistBatch,
  directLossAndGradient,
  disposeCmnistBatch,
  type LossAndGradient,
} from "./cmnist-objective";
import { objectiveAt, type StepObjective } from "../protocols/cmnist-step-objective";
import reference from "./fixtures/cmnist_reference.json";
import { fixtureProtocol, syntheticCmnistEnvs, type FixtureMethod } from "./fixtures/cmnist-synthetic";

const METHODS: readonly FixtureMethod[] = ["erm", "sd", "irm", "rex", "oracle"];

async function flat(result: LossAndGradient): Promise<{ loss: number; grad: Float64Array; stats: Float32Array }> {
  const loss = (await result.loss.data())[0]!;
  const parts = await Promise.all(result.grads.map((g) => g.data()));
  const stats = (await result.envStats.data()) as Float32Array;
  tf.dispose([result.loss, result.envStats, ...result.grads]);
  return { loss, grad: Float64Array.from(parts.flatMap((p) => Array.from(p))), stats };
}

const relativeGap = (a: Float64Array, b: Float64Array): number => {
  let diff = 0;
  let norm = 0;
  a.forEach((v, k) => {
    diff += (v - b[k]!) ** 2;
    norm += v * v;
  });
  return Math.sqrt(diff / norm);
};

describe.each(["wasm", "cpu"] as const)("Colored-MNIST objectives on the %s backend", (backend) => {
  let tensorsBefore = 0;
  beforeAll(async () => {
    await useNodeBackend(backend);
    tensorsBefore = tf.memory().numTensors;
  });
  afterAll(() => expect(tf.memory().numTensors).toBe(tensorsBefore));

  // 300 images in two unequal environments; chunks of 37 straddle nothing but leave ragged ends.
  const envs = syntheticCmnistEnvs([11, 3], [160, 140], [0.2, 0.1]);
  // A small protocol of the method, and its data in one chunk per environment and in chunks of 37.
  const batches = (method: FixtureMethod) => {
    const protocol = fixtureProtocol(method, { hidden: 16, lr: 1e-3, steps: 10, anneal: 5 });
    const spec = cmnistMlpSpec(protocol.model);
    const data = envs.map((env) => ({ inputs: modelInputs(protocol.model, env.images), labels: env.labels }));
    return { protocol, spec, whole: createCmnistBatch(data, spec.layerSizes[0]!, 1000), chunked: createCmnistBatch(data, spec.layerSizes[0]!, 37) };
  };

  it.each(METHODS)("chunked gradient = unchunked gradient, in both phases of the schedule (%s)", async (method) => {
    const { protocol, spec, whole, chunked } = batches(method);
    // Non-zero biases, so that every parameter's gradient is exercised away from the symmetric start.
    const weights = cmnistInitialWeights(spec, 9).map((w, k) => (w === 0 ? 0.01 * Math.sin(k) : w));
    const net = createBatchedNet(spec, [weights]);
    try {
      for (const step of [0, 5]) {
        const objective: StepObjective = objectiveAt(protocol.training, step);
        const reference = await flat(directLossAndGradient(net, whole, objective));
        const viaChunks = await flat(chunkedLossAndGradient(net, chunked, objective));
        const gap = relativeGap(reference.grad, viaChunks.grad);
        // REx's penalty gradient is 2p(R_A − R_B)·∇(R_A − R_B): once p dominates, the float32 rounding of the
        // risks (≈ 6e-8·R, different in each summation order) is amplified by R / |R_A − R_B| in both results.
        const [riskA, riskB] = [reference.stats[0]!, reference.stats[4]!];
        const conditioning = method === "rex" && step >= 5 ? (riskA + riskB) / Math.abs(riskA - riskB) : 1;
        console.log(`[${backend}] ${method} step ${step}: relative gradient gap chunked vs unchunked ${gap.toExponential(2)} (conditioning ${conditioning.toFixed(0)})`);
        const tolerance = 1e-5 * Math.max(1, conditioning / 100);
        expect(gap).toBeLessThan(tolerance);
        expect(Math.abs(viaChunks.loss - reference.loss) / Math.abs(reference.loss)).toBeLessThan(tolerance);
        reference.stats.forEach((v, k) => expect(viaChunks.stats[k]!).toBeCloseTo(v, 5));
        expect(reference.grad.some((v) => v !== 0)).toBe(true);
      }
      // One chunk per env: cmnistLossAndGradient takes the direct path, and agrees with the chunked one.
      const picked = await flat(cmnistLossAndGradient(net, whole, objectiveAt(protocol.training, 0)));
      const forced = await flat(chunkedLossAndGradient(net, whole, objectiveAt(protocol.training, 0)));
      expect(relativeGap(picked.grad, forced.grad)).toBeLessThan(1e-5);
    } finally {
      tf.dispose([...net.variables]);
      disposeCmnistBatch(whole);
      disposeCmnistBatch(chunked);
    }
  });

  it.each(METHODS)("the written-out backward pass (plain products on wasm) = tfjs autograd of the forward pass, whole and chunked (%s)", async (method) => {
    const { protocol, spec, whole, chunked } = batches(method);
    // Only wasm keeps the inputs transposed (once, for fc1's weight gradient); the other backends transpose in matMul.
    const transposedChunks = chunked.envs.map((env) => env.inputsT.length);
    expect(transposedChunks).toEqual(backend === "wasm" ? chunked.envs.map((env) => env.inputs.length) : chunked.envs.map(() => 0));
    if (backend === "wasm") expect(chunked.envs[0]!.inputsT[0]!.shape).toEqual([1, spec.layerSizes[0]!, 37]);
    const weights = cmnistInitialWeights(spec, 4).map((w, k) => (w === 0 ? 0.02 * Math.cos(k) : w));
    const net = createBatchedNet(spec, [weights]);
    try {
      for (const step of [0, 5]) {
        const objective = objectiveAt(protocol.training, step);
        for (const [batch, run] of [
          [whole, directLossAndGradient],
          [chunked, chunkedLossAndGradient],
        ] as const) {
          const reference = await flat(run(net, batch, objective, autogradLogits));
          const written = await flat(run(net, batch, objective));
          const gap = relativeGap(reference.grad, written.grad);
          const [riskA, riskB] = [reference.stats[0]!, reference.stats[4]!];
          const conditioning = method === "rex" && step >= 5 ? (riskA + riskB) / Math.abs(riskA - riskB) : 1;
          console.log(`[${backend}] ${method} step ${step} ${batch === whole ? "whole" : "chunked"}: relative gradient gap written-out vs autograd ${gap.toExponential(2)}`);
          expect(gap).toBeLessThan(1e-6 * Math.max(1, conditioning / 100));
          expect(Math.abs(written.loss - reference.loss) / Math.abs(reference.loss)).toBeLessThan(1e-6);
          reference.stats.forEach((v, k) => expect(written.stats[k]!).toBeCloseTo(v, 6));
        }
      }
    } finally {
      tf.dispose([...net.variables]);
      disposeCmnistBatch(whole);
      disposeCmnistBatch(chunked);
    }
  });

  it("gives PyTorch's initial loss for every method (float32)", async () => {
    const { config } = reference;
    const fixtureEnvs = syntheticCmnistEnvs(config.data_seed, [config.n_per_env, config.n_per_env], config.env_flips);
    for (const c of reference.cases) {
      const protocol = fixtureProtocol(c.method as FixtureMethod, { hidden: config.hidden, lr: config.lr, steps: config.steps, anneal: config.anneal });
      const spec = cmnistMlpSpec(protocol.model);
      const batch = createCmnistBatch(
        fixtureEnvs.map((env) => ({ inputs: modelInputs(protocol.model, env.images), labels: env.labels })),
        spec.layerSizes[0]!,
        20,
      );
      const net = createBatchedNet(spec, [cmnistInitialWeights(spec, config.init_seed)]);
      const { loss } = await flat(cmnistLossAndGradient(net, batch, objectiveAt(protocol.training, 0)));
      tf.dispose([...net.variables]);
      disposeCmnistBatch(batch);
      const gap = Math.abs(loss - c.float32.losses[0]!) / Math.abs(c.float32.losses[0]!);
      console.log(`[${backend}] ${c.method}: initial loss relative gap vs PyTorch float32 ${gap.toExponential(2)}, vs float64 ${(Math.abs(loss - c.float64.losses[0]!) / c.float64.losses[0]!).toExponential(2)}`);
      expect(gap).toBeLessThan(1e-5);
    }
  });
});
