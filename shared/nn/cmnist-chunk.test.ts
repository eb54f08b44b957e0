// Why: pins which backends chunk the Colored-MNIST gradient, by how much, and which take whole environments.
import { describe, expect, it } from "vitest";
import { cmnistChunkSize, GPU_CHUNK_SIZE, WASM_CHUNK_SIZE } from "./cmnist-chunk";

describe("cmnistChunkSize", () => {
  it("chunks on GPU backends and wasm and takes whole environments on cpu", () => {
    expect(cmnistChunkSize("webgpu")).toBe(GPU_CHUNK_SIZE);
    expect(cmnistChunkSize("webgl")).toBe(GPU_CHUNK_SIZE);
    expect(cmnistChunkSize("wasm")).toBe(WASM_CHUNK_SIZE);
    expect(cmnistChunkSize("cpu")).toBeUndefined();
    // 25,000 images per environment split into equal chunks.
    expect(25000 % GPU_CHUNK_SIZE).toBe(0);
    expect(25000 % WASM_CHUNK_SIZE).toBe(0);
  });
});
