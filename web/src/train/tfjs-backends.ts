// The real backend driver of the training worker: probes WebGPU adapters and WebGL renderers, loads each
// backend on demand (its own chunk), registers the gradients the trainer needs, serves the wasm binaries
// from the app (no CDN), and runs wasm's threaded SIMD build on every core where the page is cross-origin isolated.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import wasmPlainUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimdUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreadedUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";
import threadedModuleSource from "@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw";
import type { BackendDriver, BackendName, BackendProbe } from "./backend-choice";

const ADAPTER_CHARS = 200;
/** How long a backend may take to start (the threaded wasm build starts one worker per thread). */
const BACKEND_START_TIMEOUT_MS = 60_000;

// Minimal WebGPU typings (TypeScript's DOM lib does not describe WebGPU).
interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly description?: string;
  readonly device?: string;
  readonly isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

async function probeWebGpu(): Promise<BackendProbe> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return { available: false, note: "this browser has no WebGPU (navigator.gpu is missing)" };
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) return { available: false, note: "WebGPU found no adapter (no usable GPU or driver)" };
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  const fallback = Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter);
  const name = [info.vendor, info.architecture, info.description || info.device].filter(Boolean).join(" ") || "unknown adapter";
  const adapterText = `${name}${fallback ? " (fallback adapter)" : ""}`.slice(0, ADAPTER_CHARS);
  return { available: true, software: fallback, adapter: adapterText };
}

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render/i;

function probeWebGl(): BackendProbe {
  if (typeof OffscreenCanvas === "undefined") return { available: false, note: "WebGL in a worker needs OffscreenCanvas, which this browser lacks" };
  const canvas = new OffscreenCanvas(1, 1);
  const gl = (canvas.getContext("webgl2") ?? canvas.getContext("webgl")) as WebGLRenderingContext | null;
  if (!gl) return { available: false, note: "no WebGL context (the GPU is disabled or blocked)" };
  const debug = gl.getExtension("WEBGL_debug_renderer_info");
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? "");
  gl.getExtension("WEBGL_lose_context")?.loseContext();
  return { available: true, software: SOFTWARE_RENDERERS.test(renderer), adapter: renderer.slice(0, ADAPTER_CHARS) || null };
}

/** tfjs-wasm's threaded build starts 8 pthread workers up front, and its thread pool never takes more. */
const WASM_MAX_THREADS = 8;

/**
 * Threads for tfjs-wasm: every core (navigator.hardwareConcurrency, at most 8) where the context is cross-origin
 * isolated (SharedArrayBuffer, hence wasm threads: web/public/_headers sends COOP and COEP), else 1 (the
 * single-threaded SIMD build).
 */
export function wasmThreads(scope: { readonly crossOriginIsolated?: boolean; readonly navigator?: { readonly hardwareConcurrency?: number } } = globalThis): number {
  if (!scope.crossOriginIsolated || typeof SharedArrayBuffer === "undefined") return 1;
  return Math.min(WASM_MAX_THREADS, Math.max(1, Math.floor(scope.navigator?.hardwareConcurrency ?? 1)));
}

/** What the wasm backend runs as, shown and reported as its "adapter". */
export const wasmBuildText = (threads: number): string =>
  threads > 1 ? `threaded SIMD build, ${threads} threads (cross-origin isolated)` : "SIMD build, 1 thread";

/** How tfjs-backend-wasm begins the script its pthread workers load: the threaded module's factory, as source text. */
const PTHREAD_SCRIPT_PREFIX = "var WasmBackendModuleThreadedSimd = ";

/**
 * Runs `start` (the threaded wasm backend's initialisation, `threads` threads) with two corrections to tfjs-wasm 4.22:
 *   - the pthread workers' script is emscripten's own file: tfjs makes it from `factory.toString()`, and in the
 *     minified bundle the factory refers to a name declared outside it (its `_scriptDir`, whose `typeof` test the
 *     minifier dropped), so every pthread died with "e is not defined" and the backend never started;
 *   - its C++ caps the pool at navigator.hardwareConcurrency / 2 ("2 hardware threads per core"), one thread on a
 *     2-CPU machine whatever setThreadsCount asks: while it starts, hardwareConcurrency reads 2 × threads.
 */
async function startThreaded<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const NativeBlob = globalThis.Blob;
  Object.defineProperty(globalThis.navigator, "hardwareConcurrency", { configurable: true, get: () => 2 * threads });
  class PthreadScriptBlob extends NativeBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      const first = parts?.[0];
      super(typeof first === "string" && first.startsWith(PTHREAD_SCRIPT_PREFIX) ? [threadedModuleSource] : parts, options);
    }
  }
  globalThis.Blob = PthreadScriptBlob;
  try {
    return await start();
  } finally {
    globalThis.Blob = NativeBlob;
    delete (globalThis.navigator as { hardwareConcurrency?: number }).hardwareConcurrency; // the prototype's getter again
  }
}

async function register(name: BackendName): Promise<void> {
  switch (name) {
    case "webgpu":
      await import("@tensorflow/tfjs-backend-webgpu");
      return;
    case "webgl":
      await import("@tensorflow/tfjs-backend-webgl");
      return;
    case "cpu":
      await import("@tensorflow/tfjs-backend-cpu");
      return;
    case "wasm": {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      const threads = wasmThreads();
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", threads > 1);
      if (threads > 1) wasm.setThreadsCount(threads);
      wasm.setWasmPaths({
        "tfjs-backend-wasm.wasm": wasmPlainUrl,
        "tfjs-backend-wasm-simd.wasm": wasmSimdUrl,
        "tfjs-backend-wasm-threaded-simd.wasm": wasmThreadedUrl,
      });
      return;
    }
  }
}

export const browserBackendDriver: BackendDriver = {
  async probe(name) {
    if (name === "webgpu") return probeWebGpu();
    if (name === "webgl") return probeWebGl();
    if (name === "wasm")
      return typeof WebAssembly === "object" ? { available: true, adapter: wasmBuildText(wasmThreads()) } : { available: false, note: "this browser has no WebAssembly" };
    return { available: true };
  },
  async activate(name) {
    await register(name);
    let ok: boolean;
    try {
      // The threaded build waits for its worker threads to start: never forever.
      const threads = name === "wasm" ? wasmThreads() : 1;
      const started = threads > 1 ? startThreaded(threads, () => tf.setBackend(name)) : tf.setBackend(name);
      ok = await Promise.race([started, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), BACKEND_START_TIMEOUT_MS))]);
    } catch {
      ok = false;
    }
    if (!ok) return false;
    await tf.ready();
    if (name === "wasm") {
      const started = (await import("@tensorflow/tfjs-backend-wasm")).getThreadsCount();
      if (started !== wasmThreads()) throw new Error(`tfjs-wasm started ${started} threads, not the ${wasmThreads()} asked for`);
    }
    return tf.getBackend() === name;
  },
};
