// Why: the benchmark's Colored-MNIST item is checked by a float64 replay of the ERM step; it must agree with the
// trainer's float32 step on tfjs (so honest results pass) and be far from anything else (another restart's data).
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import { BENCH_SUITE } from "../bench-api";
import { readLaneWeights } from "../nn/batched-mlp";
import { cmnistStep, createCmnistTrainer } from "../nn/cmnist-train";
import { syntheticMnistPack } from "../testing/synthetic-mnist";
import { benchCmnistData, benchCmnistInitialWeights, benchCmnistProtocol, cmnistEndDeviation } from "./benchmark-cmnist";
import { END_STATE_TOLERANCE } from "./benchmark-check";

const pack = syntheticMnistPack(3);
const seed = 77;
const images = 60;

async function trainedOnTfjs(): Promise<Float32Array> {
  const protocol = benchCmnistProtocol();
  const train = benchCmnistData(pack, seed, images);
  const trainer = createCmnistTrainer(protocol, train, benchCmnistInitialWeights(protocol, seed));
  try {
    for (let t = 0; t < BENCH_SUITE.cmnistSteps; t++) {
      const { loss, envStats } = cmnistStep(trainer, t);
      tf.dispose([loss, envStats]);
    }
    return (await readLaneWeights(trainer.net))[0]!;
  } finally {
    trainer.dispose();
  }
}

describe("the benchmark's Colored-MNIST replay", () => {
  beforeAll(async () => {
    await useNodeBackend("wasm");
  });

  it("agrees with the trainer's float32 steps and refuses another restart's", async () => {
    const protocol = benchCmnistProtocol();
    const weights = await trainedOnTfjs();
    const initial = benchCmnistInitialWeights(protocol, seed);
    const deviation = cmnistEndDeviation(protocol, benchCmnistData(pack, seed, images), initial, BENCH_SUITE.cmnistSteps, weights);
    expect(deviation).toBeLessThan(1e-3);
    const other = cmnistEndDeviation(protocol, benchCmnistData(pack, seed + 1, images), initial, BENCH_SUITE.cmnistSteps, weights);
    expect(other).toBeGreaterThan(END_STATE_TOLERANCE);
    expect(cmnistEndDeviation(protocol, benchCmnistData(pack, seed, images), initial, BENCH_SUITE.cmnistSteps, initial)).toBeGreaterThan(END_STATE_TOLERANCE);
  }, 120_000);
});
