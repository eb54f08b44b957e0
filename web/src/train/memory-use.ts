// Why: reads how much memory tfjs holds (and how much of it on the GPU, where the backend says) for the
// progress reports, so the Lab can show what a long run costs the device.
import * as tf from "@tensorflow/tfjs-core";
import type { MemoryUse } from "./messages";

/** tf.memory() as plain numbers; WebGL and WebGPU add numBytesInGPU to it, wasm and cpu do not. */
export function memoryUse(info: tf.MemoryInfo = tf.memory()): MemoryUse {
  const inGpu = (info as tf.MemoryInfo & { numBytesInGPU?: unknown }).numBytesInGPU;
  return { numBytes: info.numBytes, numBytesInGPU: typeof inGpu === "number" ? inGpu : null, numTensors: info.numTensors };
}
