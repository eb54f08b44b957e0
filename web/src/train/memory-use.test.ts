// Why: checks that memory use reports tfjs's bytes and tensors, and GPU bytes only where the backend has them.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { memoryUse } from "./memory-use";

describe("memoryUse", () => {
  beforeAll(async () => void (await tf.setBackend("cpu")));

  it("counts the bytes and tensors held, with no GPU figure on the cpu backend", () => {
    const before = memoryUse();
    const held = tf.zeros([1000]);
    const during = memoryUse();
    held.dispose();
    expect(during.numBytes - before.numBytes).toBe(4000);
    expect(during.numTensors - before.numTensors).toBe(1);
    expect(during.numBytesInGPU).toBeNull();
  });

  it("passes on numBytesInGPU where the backend reports it", () => {
    const webgl = { numBytes: 10, numTensors: 1, numDataBuffers: 1, unreliable: false, reasons: [], numBytesInGPU: 4096 } as tf.MemoryInfo;
    expect(memoryUse(webgl)).toEqual({ numBytes: 10, numBytesInGPU: 4096, numTensors: 1 });
  });
});
