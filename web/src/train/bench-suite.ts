// The benchmark suite's job in the training worker, on the backend the worker started: the two-moons step for one
// lane and for the workunit's lanes batched (each from the workunit's seeds, so the server can replay the end
// states), the Colored-MNIST ERM step on the seed's reduced set (the MNIST pack from Cache Storage or a checked
// download), then the matmul probe (operands from the seed, timed with the backend synced, every row's digest).
import * as tf from "@tensorflow/tfjs-core";
import { BENCH_ITEMS, BENCH_SUITE, type BenchItem, type BenchWorkunit } from "../../../shared/bench-api";
import { float32Base64, laneSeed } from "../../../shared/metrics/benchmark-check";
import { benchCmnistData, benchCmnistInitialWeights, benchCmnistProtocol } from "../../../shared/metrics/benchmark-cmnist";
import { readLaneWeights } from "../../../shared/nn/batched-mlp";
import { cmnistStep, createCmnistTrainer } from "../../../shared/nn/cmnist-train";
import { cmnistChunkSize } from "../../../shared/nn/cmnist-chunk";
import { cmnistRunOptions } from "./cmnist-job";
import { matmulOperands, rowDigests } from "../../../shared/metrics/benchmark-matmul";
import { trainBatch, trainMoons, type Lane } from "../../../shared/nn/train";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import type { MoonsProtocol } from "../../../shared/protocols/types";
import { knownMoonsProtocol, progressReporter, type JobContext } from "./job-context";
import type { SuiteRun } from "./messages";

/** Untimed steps before each two-moons item (kernel set-up, first allocations), from the item's own start. */
const WARMUP_STEPS = 2;

const laneOf = (protocol: MoonsProtocol, seed: number): Lane => ({
  protocol,
  seed,
  data: twoMoonsFamily.dataset(protocol, seed),
  initialWeights: twoMoonsFamily.initialWeights(protocol, seed),
});

function announce(context: JobContext, item: BenchItem, index: number): void {
  context.post({ type: "bench-suite-item", item, index, total: BENCH_ITEMS.length });
}

/** One product's wall time with the backend synced (the sum's read-back waits for the product). */
async function timedProduct(a: tf.Tensor2D, b: tf.Tensor2D): Promise<{ ms: number; product: tf.Tensor2D }> {
  const started = performance.now();
  const product = tf.matMul(a, b) as tf.Tensor2D;
  const total = tf.sum(product);
  await total.data();
  const ms = performance.now() - started;
  total.dispose();
  return { ms, product };
}

async function matmulProbe(context: JobContext, workunit: BenchWorkunit): Promise<SuiteRun["matmul"]> {
  const n = workunit.matmulSize;
  const operands = matmulOperands(workunit.seed, n, BENCH_SUITE.matmulRange);
  const a = tf.tensor2d(operands.a, [n, n]);
  const b = tf.tensor2d(operands.b, [n, n]);
  try {
    (await timedProduct(a, b)).product.dispose();
    const elapsedMs: number[] = [];
    let last: tf.Tensor2D | null = null;
    for (let k = 0; k < workunit.matmulRepeats; k++) {
      if (context.signal.aborted) throw new DOMException("cancelled", "AbortError");
      last?.dispose();
      const { ms, product } = await timedProduct(a, b);
      elapsedMs.push(ms);
      last = product;
    }
    const values = await last!.data();
    last!.dispose();
    return { elapsedMs, rowDigests: [...rowDigests(values, n)] };
  } finally {
    a.dispose();
    b.dispose();
  }
}

/** The Colored-MNIST item: `cmnistSteps` full-batch Adam steps, each synced by reading its loss back; the weights after them. */
async function cmnistItem(context: JobContext, workunit: BenchWorkunit): Promise<SuiteRun["cmnist"]> {
  const protocol = benchCmnistProtocol();
  const pack = await cmnistRunOptions(context, { checkpoints: false }).loadMnistPack!();
  context.post({ type: "stage", stage: "training" });
  const train = benchCmnistData(pack, workunit.seed, workunit.cmnistImagesPerEnv);
  const trainer = createCmnistTrainer(protocol, train, benchCmnistInitialWeights(protocol, workunit.seed), cmnistChunkSize(context.selection.backend));
  try {
    const started = performance.now();
    for (let t = 0; t < workunit.cmnistSteps; t++) {
      if (context.signal.aborted) throw new DOMException("cancelled", "AbortError");
      const { loss, envStats } = cmnistStep(trainer, t);
      await loss.data();
      tf.dispose([loss, envStats]);
    }
    const elapsedMs = performance.now() - started;
    const [weights] = await readLaneWeights(trainer.net);
    return { elapsedMs, weights: float32Base64(weights!) };
  } finally {
    trainer.dispose();
  }
}

export async function benchSuite(context: JobContext, workunit: BenchWorkunit): Promise<void> {
  const protocol = knownMoonsProtocol(BENCH_SUITE.protocolId);
  const { signal } = context;
  const onProgress = progressReporter(context, protocol, false);
  context.post({ type: "stage", stage: "training" });

  announce(context, "moons-1", 0);
  const lane = laneOf(protocol, workunit.seed);
  await trainMoons({ ...lane, steps: WARMUP_STEPS, signal, progressIntervalMs: Infinity });
  const single = await trainMoons({ ...lane, steps: workunit.steps, signal, onProgress });

  announce(context, "moons-10", 1);
  const lanes = Array.from({ length: workunit.lanes }, (_, k) => laneOf(protocol, laneSeed(workunit.seed, k)));
  await trainBatch({ lanes, steps: WARMUP_STEPS, signal, progressIntervalMs: Infinity });
  const batch = await trainBatch({ lanes, steps: workunit.steps, signal, onProgress });

  announce(context, "cmnist", 2);
  const cmnist = await cmnistItem(context, workunit);

  announce(context, "matmul", 3);
  const matmul = await matmulProbe(context, workunit);

  const run: SuiteRun = {
    backend: context.selection.backend,
    adapter: context.selection.adapter,
    engine: single.engine,
    tfjsVersion: tf.version_core,
    moons1: { elapsedMs: single.elapsedMs, weights: float32Base64(single.weights) },
    moons10: { elapsedMs: batch[0]!.elapsedMs, weights: batch.map((result) => float32Base64(result.weights)) },
    cmnist,
    matmul,
  };
  context.post({ type: "bench-suite-done", run });
}
