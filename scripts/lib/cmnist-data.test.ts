// Why: the runners' restart data must be the shared environments (a reduced run: their first k images), not a copy that drifts.
import { describe, expect, it } from "vitest";
import { coloredMnistEnvironments } from "../../shared/data/colored-mnist";
import type { MnistPack } from "../../shared/data/mnist-pack";
import { RandomState } from "../../shared/rng/random-state";
import { cmnistRestartData } from "./cmnist-data";

// A pack of 50,100 random 14×14 images: the shapes of MNIST's train split, with a small test env.
const count = 50100;
const rs = new RandomState(7);
const pack: MnistPack = {
  count,
  rows: 14,
  cols: 14,
  labels: Uint8Array.from({ length: count }, () => Math.floor(10 * rs.randomDouble())),
  images: Uint8Array.from({ length: count * 196 }, () => Math.floor(256 * rs.randomDouble())),
};

/** Bitwise equality of two float arrays (vitest's deep equality is far too slow for millions of elements). */
const same = (a: Float32Array, b: Float32Array): boolean =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe("cmnistRestartData", () => {
  const shared = coloredMnistEnvironments(pack, 3);

  it("holds restart r's environments as shared/data/colored-mnist.ts builds them", () => {
    const data = cmnistRestartData(pack, 3);
    [data.train[0]!, data.train[1]!, data.test].forEach((env, e) => {
      expect(same(env.labels, shared[e]!.labels)).toBe(true);
      expect(same(env.images, shared[e]!.images)).toBe(true);
    });
    expect(data.testPlan.name).toBe("test");
    expect(same(Float32Array.from(data.testPlan.labels), shared[2]!.labels)).toBe(true);
  });

  it("builds only the first k images of each training env for a reduced run, and the whole test env", () => {
    const data = cmnistRestartData(pack, 3, 40);
    data.train.forEach((env, e) => {
      expect(same(env.labels, shared[e]!.labels.subarray(0, 40))).toBe(true);
      expect(same(env.images, shared[e]!.images.subarray(0, 40 * 392))).toBe(true);
      expect(same(env.images, shared[e]!.images.subarray(0, 41 * 392))).toBe(false);
    });
    expect(data.test.labels.length).toBe(100);
  });
});
