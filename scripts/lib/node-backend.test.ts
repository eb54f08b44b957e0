// Why: tfjs-wasm's threaded SIMD build starts in Node with the threads asked for (its own start fails there) and computes what one thread does.
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useNodeBackend } from "./node-backend";

describe("useNodeBackend('wasm', threads)", () => {
  it("starts the threaded build with 2 threads, and its product is the plain one", async () => {
    await useNodeBackend("wasm", 2);
    expect(tf.getBackend()).toBe("wasm");
    expect(getThreadsCount()).toBe(2);
    expect(existsSync(join(tmpdir(), `gs-lab-tfjs-wasm-pthread-${process.pid}.cjs`))).toBe(true);
    // 300 × 392 · 392 × 300: big enough for XNNPACK to split it across the threads.
    const a = Float32Array.from({ length: 300 * 392 }, (_, k) => Math.sin(k));
    const b = Float32Array.from({ length: 392 * 300 }, (_, k) => Math.cos(0.7 * k));
    const product = tf.matMul(tf.tensor2d(a, [300, 392]), tf.tensor2d(b, [392, 300]));
    const values = (await product.data()) as Float32Array;
    let worst = 0;
    for (const [i, j] of [[0, 0], [17, 250], [299, 299], [150, 3]] as const) {
      let expected = 0;
      for (let k = 0; k < 392; k++) expected += a[i * 392 + k]! * b[k * 300 + j]!;
      worst = Math.max(worst, Math.abs(values[i * 300 + j]! - expected));
    }
    expect(worst).toBeLessThan(1e-3);
  });
});
