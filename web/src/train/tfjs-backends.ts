// The real backend driver of the training worker: probes WebGPU adapters and WebGL renderers, loads each
// backend on demand (its own chunk), registers the gradients the trainer needs, and serves the wasm
// binaries from the app (no CDN).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import wasmPlainUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimdUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreadedUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";
import type { BackendDriver, BackendName, BackendProbe } from "./backend-choice";

const ADAPTER_CHARS = 200;

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
      // The threaded build hangs inside a Vite bundle; the single-threaded SIMD build is used instead.
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
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
    if (name === "wasm") return typeof WebAssembly === "object" ? { available: true } : { available: false, note: "this browser has no WebAssembly" };
    return { available: true };
  },
  async activate(name) {
    await register(name);
    let ok: boolean;
    try {
      ok = await tf.setBackend(name);
    } catch {
      ok = false;
    }
    if (!ok) return false;
    await tf.ready();
    return tf.getBackend() === name;
  },
};
