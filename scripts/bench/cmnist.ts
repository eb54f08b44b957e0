// `npm run bench -- cmnist`: the cost of one Colored-MNIST training step and of the dataset download.
//   - ms per full-batch ERM step over the 50,000 training images of restart 0 (392-300-300-1, real env data,
//     the trainer's own step: createCmnistTrainer + cmnistStep) on tfjs wasm, cpu and webgpu (where present):
//     one warm-up step, then a few timed steps (one on cpu, whose step takes most of a minute here);
//   - the same step in the authors' PyTorch code (cmnist_step.py, Debian's python3-torch), 1 thread and all cores;
//   - the bytes a visitor downloads: the pack on the first visit, 0 on a repeat visit (Cache Storage). Measured
//     with the app's own loader (web/src/data/dataset-cache.ts) in Node, against an in-memory fetch and Cache
//     Storage — the logic is the browser's, the browser itself is not involved.
import * as tf from "@tensorflow/tfjs";
import { MNIST_PACK_MANIFEST } from "../../shared/data/mnist-pack-manifest";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { cmnistStep, createCmnistTrainer, type CmnistTrainEnv } from "../../shared/nn/cmnist-train";
import { cmnistErm } from "../../shared/protocols/colored-mnist";
import { loadMnistPack, type PackCache, type PackCacheStorage } from "../../web/src/data/dataset-cache";
import { cmnistRestartData, loadCheckedMnistPack } from "../lib/cmnist-data";
import { useNodeBackend } from "../lib/node-backend";
import { runPythonBench } from "./torch";

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

/** Milliseconds per step of the trainer's full-batch ERM step: one warm-up step, then `steps` timed ones. */
export async function msPerStep(envs: readonly CmnistTrainEnv[], steps: number): Promise<number> {
  const trainer = createCmnistTrainer(cmnistErm, envs, cmnistInitialWeights(cmnistMlpSpec(cmnistErm.model), 0));
  const step = async (t: number, readBack: boolean): Promise<void> => {
    const { loss, envStats } = cmnistStep(trainer, t);
    if (readBack) await loss.data(); // waits for the device (webgpu) to finish
    tf.dispose([loss, envStats]);
  };
  try {
    await step(0, true);
    const start = performance.now();
    for (let t = 1; t <= steps; t++) await step(t, t === steps);
    return (performance.now() - start) / steps;
  } finally {
    trainer.dispose();
  }
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
  }

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
