// Why: the wasm backend's thread count follows cross-origin isolation and the machine's cores, within tfjs-wasm's pool of 8.
import { describe, expect, it } from "vitest";
import { wasmBuildText, wasmThreads } from "./tfjs-backends";

describe("wasmThreads", () => {
  it("is 1 unless the context is cross-origin isolated", () => {
    expect(wasmThreads({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 16 } })).toBe(1);
    expect(wasmThreads({ navigator: { hardwareConcurrency: 16 } })).toBe(1);
  });

  it("is every core where isolated, at least 1 and at most tfjs-wasm's 8 pthread workers", () => {
    expect(wasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 2 } })).toBe(2);
    expect(wasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 6 } })).toBe(6);
    expect(wasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 64 } })).toBe(8);
    expect(wasmThreads({ crossOriginIsolated: true, navigator: {} })).toBe(1);
    expect(wasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 0 } })).toBe(1);
  });

  it("names the build it runs as", () => {
    expect(wasmBuildText(4)).toBe("threaded SIMD build, 4 threads (cross-origin isolated)");
    expect(wasmBuildText(1)).toBe("SIMD build, 1 thread");
  });
});
