// `npm run bench -- cmnist`: the cost of one Colored-MNIST training step and of the dataset download.
//   - ms per full-batch ERM step over the 50,000 training images of restart 0 (392-300-300-1, real env data,
//     the trainer's own step: createCmnistTrainer + cmnistStep) on tfjs wasm, cpu and webgpu (where present):
//     one warm-up step, then a few timed steps (one on cpu, whose step takes most of a minute here);
//   - on wasm, the step with its written-out backward pass (plain products only) against the same step through tfjs
//     autograd of the forward pass (transposes materialised per step, as before), interleaved A, B, A, B on one trainer;
//   - on wasm, ERM and IRMv1 trained whole (one chunk per environment) against in chunks of WASM_CHUNK_SIZE (the
//     trainer's default there, shared/nn/cmnist-chunk.ts), one trainer each, interleaved A, B, A, B, in a fresh
//     process per protocol (after other steps in the same process the chunked trainer measured up to 1.9× slower);
//   - thread scaling: the wasm step with 1 thread and with one per CPU (tfjs-wasm's threaded SIMD build), each in a
//     process of its own (tfjs starts a backend once), interleaved with the PyTorch step on the same thread counts;
//   - the same step in the authors' PyTorch code (cmnist_step.py, Debian's python3-torch), 1 thread and all cores;
//   - the bytes a visitor downloads: the pack on the first visit, 0 on a repeat visit (Cache Storage). Measured
//     with the app's own loader (web/src/data/dataset-cache.ts) in Node, against an in-memory fetch and Cache
//     Storage — the logic is the browser's, the browser itself is not involved.
import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { MNIST_PACK_MANIFEST } from "../../shared/data/mnist-pack-manifest";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { autogradLogits, cmnistLogits, type ChunkLogits } from "../../shared/nn/cmnist-objective";
import { cmnistStep, createCmnistTrainer, type CmnistTrainEnv, type CmnistTrainer } from "../../shared/nn/cmnist-train";
import { WASM_CHUNK_SIZE } from "../../shared/nn/cmnist-chunk";
import { cmnistErm, cmnistIrm, type CmnistProtocol } from "../../shared/protocols/colored-mnist";
import { loadMnistPack, type PackCache, type PackCacheStorage } from "../../web/src/data/dataset-cache";
import { cmnistRestartData, loadCheckedMnistPack } from "../lib/cmnist-data";
import { useNodeBackend } from "../lib/node-backend";
import { runPythonBench, runPythonScript, torchVersion } from "./torch";

type Report = (label: string, value: string) => void;

/** Timed steps per backend after the warm-up: a cpu step over 50,000 images takes tens of seconds. */
const TIMED_STEPS = { wasm: 2, cpu: 1, webgpu: 5 } as const;

interface TorchCmnistBench {
  torch: string;
  images: number;
  steps: number;
  threads_all: number;
  ms_per_step_1_thread: number;
  ms_per_step_all_threads: number;
}

/** Interleaved repeats of the written-out step and the autograd step (wasm), each warmed up once. */
const INTERLEAVED_REPEATS = 4;

const ermTrainer = (envs: readonly CmnistTrainEnv[]): CmnistTrainer =>
  createCmnistTrainer(cmnistErm, envs, cmnistInitialWeights(cmnistMlpSpec(cmnistErm.model), 0));

async function timedStep(trainer: CmnistTrainer, t: number, readBack: boolean, logitsOf: ChunkLogits): Promise<void> {
  const { loss, envStats } = cmnistStep(trainer, t, logitsOf);
  if (readBack) await loss.data(); // waits for the device (webgpu) to finish
  tf.dispose([loss, envStats]);
}

/** Milliseconds per step of the trainer's full-batch ERM step: one warm-up step, then `steps` timed ones. */
export async function msPerStep(envs: readonly CmnistTrainEnv[], steps: number, logitsOf: ChunkLogits = cmnistLogits): Promise<number> {
  const trainer = ermTrainer(envs);
  try {
    await timedStep(trainer, 0, true, logitsOf);
    const start = performance.now();
    for (let t = 1; t <= steps; t++) await timedStep(trainer, t, t === steps, logitsOf);
    return (performance.now() - start) / steps;
  } finally {
    trainer.dispose();
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The two steps alternated on one trainer (A, B, A, B, …): ms per step of each, every repeat. */
export async function interleavedSteps(envs: readonly CmnistTrainEnv[], repeats: number): Promise<{ writtenOut: number[]; autograd: number[] }> {
  const trainer = ermTrainer(envs);
  const times = { writtenOut: [] as number[], autograd: [] as number[] };
  try {
    await timedStep(trainer, 0, true, cmnistLogits);
    await timedStep(trainer, 1, true, autogradLogits);
    for (let r = 0; r < repeats; r++) {
      for (const [key, logitsOf] of [["writtenOut", cmnistLogits], ["autograd", autogradLogits]] as const) {
        const start = performance.now();
        await timedStep(trainer, 2 + 2 * r + (key === "autograd" ? 1 : 0), true, logitsOf);
        times[key].push(performance.now() - start);
      }
    }
    return times;
  } finally {
    trainer.dispose();
  }
}

/** ms per step of `protocol` trained whole and in chunks of WASM_CHUNK_SIZE, one trainer each, steps alternated. */
export async function interleavedChunking(protocol: CmnistProtocol, envs: readonly CmnistTrainEnv[], repeats: number): Promise<{ whole: number[]; chunked: number[] }> {
  const weights = cmnistInitialWeights(cmnistMlpSpec(protocol.model), 0);
  const trainers = { whole: createCmnistTrainer(protocol, envs, weights, Infinity), chunked: createCmnistTrainer(protocol, envs, weights, WASM_CHUNK_SIZE) };
  const times = { whole: [] as number[], chunked: [] as number[] };
  try {
    for (const trainer of Object.values(trainers)) await timedStep(trainer, 0, true, cmnistLogits);
    for (let r = 0; r < repeats; r++) {
      for (const key of ["whole", "chunked"] as const) {
        const start = performance.now();
        await timedStep(trainers[key], 1 + r, true, cmnistLogits);
        times[key].push(performance.now() - start);
      }
    }
    return times;
  } finally {
    Object.values(trainers).forEach((trainer) => trainer.dispose());
  }
}

/** interleavedChunking of a protocol (cmnist-erm or cmnist-irm) in a fresh Node process on 1 wasm thread (this file's child mode). */
function childChunking(protocolId: string): { whole: number[]; chunked: number[] } {
  const run = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--chunking", protocolId], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`the chunking comparison of ${protocolId} failed: ${run.stderr.trim().split("\n").at(-1) ?? run.error?.message}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { whole: number[]; chunked: number[] };
}

/** Thread-scaling repeats (each: one tfjs process and one PyTorch process per thread count) and timed steps per process. */
const SCALING_REPEATS = 3;
const SCALING_STEPS = 2;

/** ms per wasm ERM step with `threads` threads, in a fresh Node process (this file's child mode). */
function childMsPerStep(threads: number, steps: number): number {
  const run = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--threads", String(threads), "--steps", String(steps)], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`the ${threads}-thread wasm step failed: ${run.stderr.trim().split("\n").at(-1) ?? run.error?.message}`);
  return (JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { ms_per_step: number }).ms_per_step;
}

/**
 * The wasm step on 1 thread and on every CPU against PyTorch on the same threads, interleaved (tfjs 1, torch 1,
 * tfjs N, torch N, then again): medians, the thread scaling and GS Lab ÷ PyTorch per thread count.
 */
export async function benchThreadScaling(report: Report, label: string, images: number): Promise<void> {
  const counts = [...new Set([1, Math.min(8, availableParallelism())])];
  const torch = torchVersion(["torch"]) !== null;
  const times = new Map<string, number[]>();
  const add = (key: string, ms: number): void => void times.set(key, [...(times.get(key) ?? []), ms]);
  for (let r = 0; r < SCALING_REPEATS; r++) {
    for (const threads of counts) {
      add(`gslab-${threads}`, childMsPerStep(threads, SCALING_STEPS));
      if (torch) add(`torch-${threads}`, runPythonScript<{ ms_per_step: number }>("scripts/bench/cmnist_step.py", ["--steps", String(SCALING_STEPS), "--images", String(images), "--threads", String(threads)]).ms_per_step);
    }
  }
  const how = `tfjs and PyTorch interleaved, ${SCALING_REPEATS} repeats of 1 warm-up + ${SCALING_STEPS} timed, one process each`;
  const spread = (values: readonly number[]): string => `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;
  for (const threads of counts) {
    const gslab = times.get(`gslab-${threads}`)!;
    report(`${label} · tfjs wasm, ${threads === 1 ? "1 thread" : `threaded SIMD build, ${threads} threads`} (${how})`, spread(gslab));
    const reference = times.get(`torch-${threads}`);
    if (reference) {
      report(`${label} · pytorch, ${threads} thread${threads === 1 ? "" : "s"} (${how})`, spread(reference));
      report(`${label} · tfjs wasm ÷ pytorch, ${threads} thread${threads === 1 ? "" : "s"}`, `${(median(gslab) / median(reference)).toFixed(2)}× the time`);
    }
  }
  const most = counts.at(-1)!;
  if (most > 1) report(`${label} · tfjs wasm thread scaling, 1 → ${most} threads`, `${(median(times.get("gslab-1")!) / median(times.get(`gslab-${most}`)!)).toFixed(2)}× faster`);
  if (!torch) report("cmnist · pytorch", "not installed (apt-get install python3-torch): GS Lab's figures alone");
}

/** Cache Storage in memory, as the browser's would keep the pack between visits. */
function memoryCaches(): PackCacheStorage {
  const entries = new Map<string, Uint8Array>();
  const cache: PackCache = {
    match: async (key) => {
      const bytes = entries.get(key);
      return bytes ? new Response(bytes.slice()) : undefined;
    },
    put: async (key, response) => void entries.set(key, new Uint8Array(await response.arrayBuffer())),
    delete: async (key) => entries.delete(key),
  };
  return { open: async () => cache };
}

const formatBytes = (bytes: number): string => `${bytes.toLocaleString("en-US")} bytes${bytes ? ` (${(bytes / 2 ** 20).toFixed(1)} MiB)` : ""}`;

/** The training environments of restart 0 (the checked MNIST pack) and their image count. */
export async function cmnistBenchEnvs(): Promise<{ bytes: Uint8Array; train: readonly CmnistTrainEnv[]; images: number }> {
  const { pack, bytes } = await loadCheckedMnistPack();
  const { train } = cmnistRestartData(pack, 0);
  return { bytes, train, images: train.reduce((n, env) => n + env.labels.length, 0) };
}

export async function benchCmnist(report: Report): Promise<void> {
  const { bytes, train, images } = await cmnistBenchEnvs();
  const label = `cmnist · ERM 392-300-300-1 full-batch step (${images.toLocaleString("en-US")} images)`;
  for (const backend of ["wasm", "cpu", "webgpu"] as const) {
    try {
      await useNodeBackend(backend);
    } catch (error) {
      report(`${label} · tfjs ${backend}`, `unavailable (${(error as Error).message})`);
      continue;
    }
    const steps = TIMED_STEPS[backend];
    const ms = await msPerStep(train, steps);
    report(`${label} · tfjs ${backend} (1 warm-up + ${steps} timed)`, `${ms.toFixed(0)} ms/step`);
    if (backend === "wasm") {
      const { writtenOut, autograd } = await interleavedSteps(train, INTERLEAVED_REPEATS);
      const spread = (values: number[]): string => `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;
      const how = `interleaved, ${INTERLEAVED_REPEATS} repeats each`;
      report(`${label} · tfjs wasm · written-out backward pass, plain products (${how})`, spread(writtenOut));
      report(`${label} · tfjs wasm · tfjs autograd of the forward pass (${how})`, spread(autograd));
      report(`${label} · tfjs wasm · speed-up of the written-out step`, `${(median(autograd) / median(writtenOut)).toFixed(2)}×`);
      for (const protocol of [cmnistErm, cmnistIrm]) {
        const { whole, chunked } = childChunking(protocol.id);
        const name = `cmnist · ${protocol.id} full-batch step · tfjs wasm, 1 thread (interleaved, ${INTERLEAVED_REPEATS} repeats each)`;
        report(`${name} · one chunk per environment`, spread(whole));
        report(`${name} · chunks of ${WASM_CHUNK_SIZE.toLocaleString("en-US")} images`, `${spread(chunked)}; ${(median(whole) / median(chunked)).toFixed(2)}× faster`);
      }
    }
  }
  await benchThreadScaling(report, label, images);

  const torch = runPythonBench<TorchCmnistBench>("scripts/bench/cmnist_step.py", ["--steps", "2", "--images", String(images)], ["torch"]);
  if (torch) {
    const torchLabel = `cmnist · pytorch ${torch.torch} · authors' ERM step, random inputs (1 warm-up + ${torch.steps} timed)`;
    report(`${torchLabel} · 1 thread`, `${torch.ms_per_step_1_thread.toFixed(0)} ms/step`);
    report(`${torchLabel} · ${torch.threads_all} threads`, `${torch.ms_per_step_all_threads.toFixed(0)} ms/step`);
  } else report("cmnist · pytorch", "not installed (apt-get install python3-torch)");

  // The pack as a visitor's browser gets it: the app's loader, fed by a fetch that serves the real pack bytes.
  const caches = memoryCaches();
  let served = 0;
  const fetch = async (): Promise<Response> => {
    served += bytes.length;
    return new Response(bytes.slice());
  };
  const first = await loadMnistPack({ caches, fetch });
  const repeat = await loadMnistPack({ caches, fetch });
  const how = "app loader in Node, in-memory Cache Storage; not a browser";
  report(`cmnist · dataset bytes, first visit (${how})`, `${formatBytes(first.bytesDownloaded)}; manifest ${formatBytes(MNIST_PACK_MANIFEST.bytes)}`);
  report(`cmnist · dataset bytes, repeat visit (${how})`, `${formatBytes(repeat.bytesDownloaded)}, from Cache Storage: ${repeat.fromCache}; fetched in all ${formatBytes(served)}`);
}

// Child modes: `node --import tsx scripts/bench/cmnist.ts --threads N [--steps S]` prints one JSON line, the ms per wasm
// ERM step with N threads (benchThreadScaling runs one such process per measurement); `--chunking cmnist-erm|cmnist-irm`
// prints interleavedChunking's times on 1 thread (childChunking).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { threads: { type: "string", default: "1" }, steps: { type: "string", default: String(SCALING_STEPS) }, chunking: { type: "string" } } });
  const threads = Number(values.chunking ? 1 : values.threads);
  await useNodeBackend("wasm", threads);
  const { train } = await cmnistBenchEnvs();
  if (values.chunking) {
    const protocol = [cmnistErm, cmnistIrm].find((p) => p.id === values.chunking);
    if (!protocol) throw new Error(`--chunking takes cmnist-erm or cmnist-irm, not ${values.chunking}`);
    console.log(JSON.stringify(await interleavedChunking(protocol, train, INTERLEAVED_REPEATS)));
  } else console.log(JSON.stringify({ threads, ms_per_step: await msPerStep(train, Number(values.steps)) }));
  process.exit(0);
}
