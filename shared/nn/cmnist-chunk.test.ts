// Why: pins which backends chunk the Colored-MNIST gradient, by how much, and which take whole environments.
import { describe, expect, it } from "vitest";
import { cmnistChunkSize, GPU_CHUNK_SIZE, WASM_CHUNK_SIZE } from "./cmnist-chunk";

describe("cmnistChunkSize", () => {
  it("chunks on GPU backends, on wasm for the pooled objectives, and takes whole environments otherwise", () => {
    for (const method of ["erm", "sd", "irm", "rex"] as const) {
      expect(cmnistChunkSize("webgpu", method)).toBe(GPU_CHUNK_SIZE);
      expect(cmnistChunkSize("webgl", method)).toBe(GPU_CHUNK_SIZE);
      expect(cmnistChunkSize("cpu", method)).toBeUndefined();
    }
    expect(cmnistChunkSize("wasm", "erm")).toBe(WASM_CHUNK_SIZE);
    expect(cmnistChunkSize("wasm", "sd")).toBe(WASM_CHUNK_SIZE);
    expect(cmnistChunkSize("wasm", "irm")).toBeUndefined();
    expect(cmnistChunkSize("wasm", "rex")).toBeUndefined();
    // 25,000 images per environment split into equal chunks.
    expect(25000 % GPU_CHUNK_SIZE).toBe(0);
    expect(25000 % WASM_CHUNK_SIZE).toBe(0);
  });
});
