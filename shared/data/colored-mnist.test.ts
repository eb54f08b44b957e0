// Checks the Colored-MNIST environments: numpy-exact shuffle, determinism, rates and the channel layout.
import { describe, expect, it } from "vitest";
import { sha256Hex } from "./digest";
import fixture from "./fixtures/cmnist_shuffle.json";
import {
  CMNIST_ENVS,
  CMNIST_TRAIN_POOL,
  type CmnistEnvPlan,
  cmnistPermutation,
  coloredMnistEnvironments,
  coloredMnistInputs,
  coloredMnistPlan,
} from "./colored-mnist";
import type { MnistPack } from "./mnist-pack";

const TOTAL = 60000;
/** Stand-in digits for the 60,000 train images: 0–9 in turn. */
const digits = Uint8Array.from({ length: TOTAL }, (_, i) => i % 10);

/** A synthetic pack whose pixel values encode the image index and pixel position. */
function syntheticPack(rows: number, cols: number): MnistPack {
  const pixels = rows * cols;
  const images = Uint8Array.from({ length: TOTAL * pixels }, (_, k) => (Math.floor(k / pixels) * 7 + (k % pixels)) % 256);
  return { count: TOTAL, rows, cols, labels: digits, images };
}

async function permutationHash(perm: Uint32Array): Promise<string> {
  const bytes = new Uint8Array(perm.length * 4);
  const view = new DataView(bytes.buffer);
  perm.forEach((value, k) => view.setUint32(4 * k, value, true));
  return sha256Hex(bytes);
}

const fraction = (values: ArrayLike<number>, predicate: (k: number) => boolean): number =>
  Array.from({ length: values.length }, (_, k) => k).filter(predicate).length / values.length;

/** |observed − p| within 5 standard errors of a Bernoulli(p) mean over n draws. */
function expectRate(observed: number, p: number, n: number): void {
  expect(Math.abs(observed - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
}

describe("cmnistPermutation", () => {
  it.each(Object.entries(fixture.small_seed1234))("equals numpy's shuffle for n = %s (seed 1234)", (n, expected) => {
    expect(Array.from(cmnistPermutation(0, Number(n)))).toEqual(expected);
  });

  it.each(Object.entries(fixture.restarts))("equals numpy's shuffle of the 50,000-image pool for restart %s", async (r, expected) => {
    const perm = cmnistPermutation(Number(r));
    expect(perm.length).toBe(fixture.n_train);
    expect(Array.from(perm.subarray(0, 20))).toEqual(expected.first);
    expect(Array.from(perm.subarray(-10))).toEqual(expected.last);
    expect(await permutationHash(perm)).toBe(expected.sha256_uint32le);
  });
});

describe("coloredMnistPlan", () => {
  const plan = coloredMnistPlan(digits, 0);

  it("splits the shuffled pool into env A = [0::2], env B = [1::2] and the unshuffled test env", () => {
    const perm = cmnistPermutation(0);
    expect(plan.map((env) => [env.name, env.colourFlip, env.indices.length])).toEqual([
      ["train-a", 0.2, 25000],
      ["train-b", 0.1, 25000],
      ["test", 0.9, 10000],
    ]);
    const [a, b, test] = plan as [CmnistEnvPlan, CmnistEnvPlan, CmnistEnvPlan];
    expect(Array.from(a.indices.subarray(0, 10))).toEqual(Array.from(perm.filter((_, k) => k % 2 === 0).subarray(0, 10)));
    expect(Array.from(b.indices.subarray(0, 10))).toEqual(Array.from(perm.filter((_, k) => k % 2 === 1).subarray(0, 10)));
    expect(a.indices[1]).toBe(perm[2]);
    expect(b.indices[1]).toBe(perm[3]);
    expect(test.indices[0]).toBe(CMNIST_TRAIN_POOL);
    expect(test.indices[9999]).toBe(TOTAL - 1);
    expect(new Set([...a.indices, ...b.indices]).size).toBe(CMNIST_TRAIN_POOL);
    plan.forEach((env) => expect(Array.from(env.digits.subarray(0, 50))).toEqual(Array.from(env.indices.subarray(0, 50), (i) => i % 10)));
  });

  it("is deterministic, and different restarts give different environments", () => {
    const again = coloredMnistPlan(digits, 0);
    plan.forEach((env, e) => {
      const other = again[e]!;
      expect(other.indices).toEqual(env.indices);
      expect(other.labels).toEqual(env.labels);
      expect(other.colours).toEqual(env.colours);
    });
    const next = coloredMnistPlan(digits, 1);
    expect(next[0]!.indices).not.toEqual(plan[0]!.indices);
    // The test env has the same images in every restart, but its coin flips differ.
    expect(next[2]!.indices).toEqual(plan[2]!.indices);
    expect(next[2]!.labels).not.toEqual(plan[2]!.labels);
    expect(next[2]!.colours).not.toEqual(plan[2]!.colours);
  });

  it("flips a quarter of the labels and agrees colour with label at 1 − e", () => {
    for (const env of plan) {
      const n = env.labels.length;
      expectRate(fraction(env.labels, (k) => env.labels[k] !== Number(env.digits[k]! < 5)), 0.25, n);
      expectRate(fraction(env.labels, (k) => env.colours[k] === env.labels[k]), 1 - env.colourFlip, n);
      expect(env.labels.every((v) => v === 0 || v === 1) && env.colours.every((v) => v === 0 || v === 1)).toBe(true);
    }
    expect(CMNIST_ENVS.map((env) => env.colourFlip)).toEqual([0.2, 0.1, 0.9]);
  });

  it("refuses a pack without a test env and bad restarts", () => {
    expect(() => coloredMnistPlan(digits.subarray(0, CMNIST_TRAIN_POOL), 0)).toThrow(/more than 50000 images/);
    expect(() => coloredMnistPlan(digits, -1)).toThrow(RangeError);
    expect(() => coloredMnistPlan(digits, 0.5)).toThrow(RangeError);
  });
});

describe("coloredMnistInputs", () => {
  const pack = syntheticPack(14, 14);
  const plan = coloredMnistPlan(digits, 3);

  it("puts image / 255 in channel `colour` and zeros in the other, channel-major (392 per image)", () => {
    const env = plan[1]!;
    const positions = [0, 1, 2, 3, 4, 5, 24999];
    const inputs = coloredMnistInputs(pack, env, positions);
    expect(inputs.length).toBe(positions.length * 392);
    positions.forEach((position, k) => {
      const colour = env.colours[position]!;
      const index = env.indices[position]!;
      const image = pack.images.subarray(index * 196, (index + 1) * 196);
      const row = inputs.subarray(k * 392, (k + 1) * 392);
      const carrying = row.subarray(colour * 196, (colour + 1) * 196);
      const blank = row.subarray((1 - colour) * 196, (2 - colour) * 196);
      expect(Array.from(carrying)).toEqual(Array.from(image, (v) => Math.fround(v / 255)));
      expect(blank.every((v) => v === 0)).toBe(true);
    });
    expect(new Set(positions.map((p) => env.colours[p])).size).toBe(2);
    expect(() => coloredMnistInputs(pack, env, [25000])).toThrow(/outside env train-b/);
  });

  it("builds every environment's inputs and float labels from the pack", () => {
    const small = syntheticPack(2, 2);
    const envs = coloredMnistEnvironments(small, 3);
    expect(envs.map((env) => [env.name, env.images.length, env.labels.length])).toEqual([
      ["train-a", 25000 * 8, 25000],
      ["train-b", 25000 * 8, 25000],
      ["test", 10000 * 8, 10000],
    ]);
    envs.forEach((env, e) => {
      expect(Array.from(env.labels)).toEqual(Array.from(plan[e]!.labels));
      expect(env.images).toEqual(coloredMnistInputs(small, plan[e]!));
      expect(env.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    });
  });
});
