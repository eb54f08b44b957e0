// tfjs backends for Node (scripts, benchmarks and tests): wasm (single-threaded by default, the fast one here; its
// threaded SIMD build on request), cpu, the fused two-moons kernel (installed on import), and webgpu through the
// `webgpu` npm package (Dawn) when it is installed and a GPU adapter exists.
// The union package in Node: its CommonJS build registers the cpu backend and every gradient into the
// tfjs-core instance that shared/nn/train.ts uses (tfjs-core's own ESM gradient module cannot load in Node).
import * as tf from "@tensorflow/tfjs";
import * as tfWasm from "@tensorflow/tfjs-backend-wasm";
import "./moons-kernel-node";

export type NodeBackend = "wasm" | "cpu" | "webgpu";

/** The part of Node's `require` used here. */
interface NodeRequireLike {
  (id: string): unknown;
  resolve(id: string): string;
}

/**
 * Switches tfjs to `name`; throws with a plain explanation when the backend cannot start. `wasmThreads` > 1 starts
 * tfjs-wasm's threaded SIMD build with that many threads (once per process: tfjs starts a backend only once).
 */
export async function useNodeBackend(name: NodeBackend, wasmThreads = 1): Promise<void> {
  if (name === "wasm") tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", wasmThreads > 1);
  if (name === "webgpu") await registerDawn();
  const ok = name === "wasm" && wasmThreads > 1 ? await startThreadedWasm(wasmThreads) : await tf.setBackend(name);
  if (!ok) throw new Error(`the tfjs ${name} backend failed to initialise`);
  await tf.ready();
  if (name === "wasm" && tfWasm.getThreadsCount() !== wasmThreads) throw new Error(`tfjs-wasm started ${tfWasm.getThreadsCount()} threads, not ${wasmThreads}`);
}

/**
 * tfjs-wasm 4.22's threaded build in Node, which does not start as published: its pthread workers are given a
 * blob: URL (Node's Worker takes a file), the script they import is a Blob too (read as a file there), and its C++
 * caps the pool at os.cpus().length / 2. While the backend starts, the pthreads get a temporary file (emscripten's
 * worker script, importing the threaded module's own file) and os.cpus() reports 2 × `threads` CPUs.
 */
async function startThreadedWasm(threads: number): Promise<boolean> {
  // Node's modules by a computed name and `process` through globalThis: the shared tests type-check this module
  // without Node's types.
  const nodeModule = "node:module";
  const { createRequire } = (await import(/* @vite-ignore */ nodeModule)) as { createRequire(from: string): NodeRequireLike };
  const require = createRequire(import.meta.url);
  const fs = require("node:fs") as { writeFileSync(path: string, text: string): void; rmSync(path: string, options: { force: boolean }): void };
  const os = require("node:os") as { cpus(): unknown[]; tmpdir(): string };
  const path = require("node:path") as { join(...parts: string[]): string };
  const workerThreads = require("node:worker_threads") as { Worker: new (file: string, options?: object) => object };
  const proc = (globalThis as unknown as { process: { pid: number; once(event: "exit", listener: () => void): void } }).process;
  const moduleFile = require.resolve("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js");
  const { wasmWorkerContents } = require("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js") as { wasmWorkerContents: string };
  const workerFile = path.join(os.tmpdir(), `gs-lab-tfjs-wasm-pthread-${proc.pid}.cjs`);
  // The script keeps its "\n" escapes, as tfjs' Blob does; its createObjectURL(blob) names the module file instead.
  const prelude = `URL.createObjectURL = () => ${JSON.stringify(moduleFile)}; URL.revokeObjectURL = () => {};`;
  fs.writeFileSync(workerFile, `${prelude}\n${wasmWorkerContents.replace(/\n/g, "\\n")}`);
  proc.once("exit", () => fs.rmSync(workerFile, { force: true }));
  const NativeWorker = workerThreads.Worker;
  const cpus = os.cpus;
  workerThreads.Worker = class extends NativeWorker {
    constructor(file: string, options?: object) {
      super(typeof file === "string" && file.startsWith("blob:") ? workerFile : file, options);
    }
  };
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]);
  tfWasm.setThreadsCount(threads);
  try {
    return await tf.setBackend("wasm");
  } finally {
    os.cpus = cpus;
    workerThreads.Worker = NativeWorker;
  }
}

async function registerDawn(): Promise<void> {
  const moduleName = "webgpu";
  let dawn: { create(options: string[]): unknown; globals: Record<string, unknown> };
  try {
    dawn = (await import(/* @vite-ignore */ moduleName)) as typeof dawn;
  } catch {
    throw new Error("webgpu in Node needs the optional `webgpu` npm package (Dawn); install it on a machine with a GPU");
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  // Node 20 has no `navigator`; tfjs-backend-webgpu registers itself only if navigator.gpu exists.
  if (typeof globalThis.navigator === "undefined") Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true });
  else Object.defineProperty(globalThis.navigator, "gpu", { value: gpu, configurable: true });
  await import("@tensorflow/tfjs-backend-webgpu");
}

/** The best backend present: webgpu when asked for and available, else wasm. */
export async function useBestNodeBackend(preferGpu: boolean): Promise<NodeBackend> {
  if (preferGpu) {
    try {
      await useNodeBackend("webgpu");
      return "webgpu";
    } catch (error) {
      console.warn(`[gs-lab] no WebGPU here (${(error as Error).message}); using wasm`);
    }
  }
  await useNodeBackend("wasm");
  return "wasm";
}

/** A command line's --backend: "best" (webgpu where a GPU exists, else wasm) or one backend by name. */
export async function selectNodeBackend(name: string): Promise<NodeBackend> {
  if (name === "best") return useBestNodeBackend(true);
  if (name !== "wasm" && name !== "cpu" && name !== "webgpu") throw new Error(`unknown backend "${name}": use best, wasm, cpu or webgpu`);
  await useNodeBackend(name);
  return name;
}
