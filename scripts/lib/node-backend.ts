// tfjs backends for Node (scripts, benchmarks and tests): wasm (single-threaded, the fast one here), cpu,
// the fused two-moons kernel (installed on import), and webgpu through the `webgpu` npm package (Dawn) when it is installed and a GPU adapter exists.
// The union package in Node: its CommonJS build registers the cpu backend and every gradient into the
// tfjs-core instance that shared/nn/train.ts uses (tfjs-core's own ESM gradient module cannot load in Node).
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import "./moons-kernel-node";

export type NodeBackend = "wasm" | "cpu" | "webgpu";

/** Switches tfjs to `name`; throws with a plain explanation when the backend cannot start. */
export async function useNodeBackend(name: NodeBackend): Promise<void> {
  if (name === "wasm") tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  if (name === "webgpu") await registerDawn();
  if (!(await tf.setBackend(name))) throw new Error(`the tfjs ${name} backend failed to initialise`);
  await tf.ready();
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
