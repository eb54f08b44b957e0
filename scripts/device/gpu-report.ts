// Issue 13's GPU figures in one go, as one JSON report on stdout (progress on stderr): the fused two-moons step
// (1 and 10 lanes; fig1 and fig2(c) for 10,000 steps) against the tfjs-ops trainer, the Colored-MNIST ERM step's
// GFLOP/s against the card's fp32 peak (--peak-tflops), the 5-layer net batched, and the Fig. 3 sweep's wall time.
// Runs from the GPU bundle (scripts/device/build-gpu-bundle.sh) or a checkout:
//   node --import tsx scripts/device/gpu-report.ts [--backend webgpu] [--peak-tflops 67] [--quick]
// --quick (and --backend wasm) is the dry run this CPU-only machine can do: short runs, the same code paths.
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { trainBatch, type Lane } from "../../shared/nn/train";
import { moonsProtocol, PROTOCOLS } from "../../shared/protocols/registry";
import type { MoonsProtocol } from "../../shared/protocols/types";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import { cmnistBenchEnvs, msPerStep } from "../bench/cmnist";
import { selectNodeBackend } from "../lib/node-backend";

const { values: args } = parseArgs({
  options: { backend: { type: "string", default: "webgpu" }, "peak-tflops": { type: "string" }, quick: { type: "boolean", default: false } },
});
const quick = args.quick;
const log = (message: string): void => void process.stderr.write(`[gpu-report] ${message}\n`);

const lanesOf = (protocol: MoonsProtocol, count: number): Lane[] =>
  Array.from({ length: count }, (_, seed) => ({ protocol, seed, data: twoMoonsFamily.dataset(protocol, seed), initialWeights: twoMoonsFamily.initialWeights(protocol, seed) }));

/** Wall time and run-steps/s of `steps` steps of `lanes` seeds of a protocol on one engine, after a short warm-up. */
async function timeTraining(id: string, lanes: number, steps: number, engine: "auto" | "tfjs") {
  const protocol = moonsProtocol(id);
  const batch = lanesOf(protocol, lanes);
  await trainBatch({ lanes: batch, steps: Math.min(20, steps), engine });
  const start = performance.now();
  const [first] = await trainBatch({ lanes: batch, steps, engine });
  const seconds = (performance.now() - start) / 1000;
  log(`${id} · ${lanes} lane(s) · ${steps} steps · ${first!.engine}: ${seconds.toFixed(2)} s`);
  return { protocol: id, lanes, steps, engine: first!.engine, seconds, runStepsPerSecond: (lanes * steps) / seconds, finalLoss: first!.lossHistory.at(-1) };
}

async function attempt<T>(what: string, work: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await work();
  } catch (error) {
    log(`${what} failed: ${(error as Error).message}`);
    return { error: (error as Error).message };
  }
}

const backend = await selectNodeBackend(args.backend);
const long = quick ? 200 : 10_000;
const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  tfjs: tf.version.tfjs,
  backend,
  adapter: await attempt("adapter info", async () => {
    const device = (tf.backend() as unknown as { device?: { adapterInfo?: unknown } }).device;
    return device?.adapterInfo ?? null;
  }),
  quick,
};

report.fusedStep = await attempt("fused step", async () => [
  await timeTraining("fig1-margin-pos", 1, quick ? 200 : 2_000, "auto"),
  await timeTraining("fig1-margin-pos", 10, quick ? 200 : 2_000, "auto"),
  await timeTraining("fig1-margin-pos", 1, long, "auto"),
  await timeTraining("fig2-margin-pos-sd", 1, long, "auto"),
  await timeTraining("fig2-margin-pos-sd", 10, long, "auto"),
]);
report.tfjsOpsStep = await attempt("tfjs-ops step", async () => [await timeTraining("fig1-margin-pos", 1, quick ? 50 : 500, "tfjs"), await timeTraining("fig1-margin-pos", 10, quick ? 50 : 500, "tfjs")]);
report.deeperBatched = await attempt("5-layer net", async () => [await timeTraining("fig3-deeper", 1, quick ? 20 : 500, "auto"), await timeTraining("fig3-deeper", 10, quick ? 20 : 500, "auto")]);

report.cmnistErmStep = await attempt("Colored-MNIST step", async () => {
  const { train, images } = await cmnistBenchEnvs();
  const ms = await msPerStep(train, quick ? 1 : 10);
  // Forward and backward of the 392-300-300-1 MLP: 2 FLOP per multiply-add, ×3 for the backward's two products.
  const flop = 6 * images * (392 * 300 + 300 * 300 + 300);
  const gflops = flop / (ms / 1000) / 1e9;
  const peak = args["peak-tflops"] ? Number(args["peak-tflops"]) : null;
  return { images, msPerStep: ms, gflopPerStep: flop / 1e9, gflops, peakTflops: peak, fractionOfPeak: peak ? gflops / (peak * 1000) : null };
});

report.fig3Sweep = await attempt("Fig. 3 sweep", async () => {
  const sweep = PROTOCOLS.filter((p): p is MoonsProtocol => p.family === "two-moons" && p.id.startsWith("fig3-"));
  const start = performance.now();
  const runs = [];
  for (const protocol of sweep) {
    const t = performance.now();
    const [result] = await trainBatch({ lanes: lanesOf(protocol, 1), ...(quick ? { steps: 50 } : {}) });
    runs.push({ protocol: protocol.id, engine: result!.engine, steps: result!.steps, seconds: (performance.now() - t) / 1000 });
    log(`fig3 sweep · ${protocol.id}: ${runs.at(-1)!.seconds.toFixed(1)} s`);
  }
  return { seed: 0, wallSeconds: (performance.now() - start) / 1000, runs };
});

console.log(JSON.stringify(report));
