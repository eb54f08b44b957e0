// Why: checks the plain-TypeScript Colored-MNIST evaluation against PyTorch and the Fig. 4 probes' construction.
import { describe, expect, it } from "vitest";
import { coloredMnistPlan } from "../data/colored-mnist";
import type { MnistPack } from "../data/mnist-pack";
import reference from "../nn/fixtures/cmnist_reference.json";
import { syntheticCmnistEnvs } from "../nn/fixtures/cmnist-synthetic";
import { cmnistInitialWeights, cmnistMlpSpec } from "../nn/cmnist-model";
import { cmnistAccuracy, cmnistLogits, evaluateCmnistEnv, fig4ProbeInputs, fig4Probes, globalMeanPixel, meanBinaryEntropy } from "./cmnist-forward";

const { config } = reference;
const envs = syntheticCmnistEnvs(config.data_seed, [config.n_per_env, config.n_per_env], config.env_flips);
const images = new Float32Array([...envs[0]!.images, ...envs[1]!.images]);
const labels = new Float32Array([...envs[0]!.labels, ...envs[1]!.labels]);

describe("cmnistLogits", () => {
  it("rebuilds the fixture's synthetic environments", () => {
    expect(envs.map((e) => e.rawSum)).toEqual(reference.data.raw_sums);
    expect(envs.map((e) => Array.from(e.labels))).toEqual(reference.data.labels);
  });

  for (const method of ["erm", "oracle"] as const) {
    it(`matches PyTorch's float64 forward pass of the initial weights (${method})`, () => {
      const model = { inputs: method === "oracle" ? "grayscale" : "colour", hidden: config.hidden } as const;
      const weights = cmnistInitialWeights(cmnistMlpSpec(model), config.init_seed);
      const logits = cmnistLogits(model, weights, images);
      const expected = reference.cases.find((c) => c.method === method)!;
      const gap64 = Math.max(...expected.float64.logits_init.map((v, k) => Math.abs(logits[k]! - v)));
      const gap32 = Math.max(...expected.float32.logits_init.map((v, k) => Math.abs(logits[k]! - v)));
      expect(gap64).toBeLessThan(1e-12);
      expect(gap32).toBeLessThan(1e-6);
    });
  }

  it("evaluates a subset of positions like the same images on their own", () => {
    const model = { inputs: "colour", hidden: config.hidden } as const;
    const weights = cmnistInitialWeights(cmnistMlpSpec(model), config.init_seed);
    const all = cmnistLogits(model, weights, images);
    const subset = cmnistLogits(model, weights, images, [3, 40, 7]);
    expect(Array.from(subset)).toEqual([all[3], all[40], all[7]]);
    const result = evaluateCmnistEnv(model, weights, { images, labels }, [3, 40, 7]);
    expect(result.accuracy).toBe(cmnistAccuracy(subset, [labels[3]!, labels[40]!, labels[7]!]));
    expect(() => cmnistLogits(model, weights, images, [64])).toThrow(RangeError);
  });
});

describe("accuracy and entropy", () => {
  it("counts logit > 0 as label 1 and computes cmnist.py's entropy", () => {
    expect(cmnistAccuracy([1, -1, 0, 2], [1, 0, 1, 0])).toBe(0.5);
    expect(meanBinaryEntropy([0])).toBeCloseTo(-(0.5 * Math.log(0.5) + 0.5 * Math.log(0.5 + 1e-8)), 12);
    expect(meanBinaryEntropy([-1000])).toBeCloseTo(-Math.log(1 + 1e-8), 12); // p ln p → 0 where p underflows
    expect(meanBinaryEntropy([1000])).toBeCloseTo(0, 12);
  });
});

describe("Fig. 4 probes", () => {
  // A pack of 50,000 blank training images and 4 test images with known pixels.
  const count = 50004;
  const pack: MnistPack = { count, rows: 14, cols: 14, labels: new Uint8Array(count), images: new Uint8Array(count * 196) };
  for (let k = 0; k < 4; k++) {
    pack.labels[50000 + k] = k * 3; // digits 0, 3, 6, 9
    for (let p = 0; p < 196; p++) pack.images[(50000 + k) * 196 + p] = (p * (k + 1)) % 256;
  }
  const plan = coloredMnistPlan(pack.labels, 0)[2]!;

  it("builds digit·gray, blank·gray and blank·coloured as cmnist.py's make_environment(gray, mean)", () => {
    const inputs = fig4ProbeInputs(pack, plan);
    const mean = globalMeanPixel(pack, plan);
    let sum = 0;
    for (let k = 0; k < 4; k++) for (let p = 0; p < 196; p++) sum += (p * (k + 1)) % 256;
    expect(mean).toBe(sum / (4 * 196));
    const raw = pack.images[50001 * 196 + 10]!;
    expect(inputs.digitGray[1 * 392 + 10]).toBe(Math.fround(raw / 2 / 255));
    expect(inputs.digitGray[1 * 392 + 196 + 10]).toBe(Math.fround(raw / 2 / 255));
    expect(new Set(inputs.blankGray)).toEqual(new Set([Math.fround(Math.fround(mean) / 2 / 255)]));
    for (let k = 0; k < 4; k++) {
      const colour = plan.colours[k]!;
      expect(inputs.blankColoured[k * 392 + colour * 196 + 5]).toBe(Math.fround(Math.fround(mean) / 255));
      expect(inputs.blankColoured[k * 392 + (1 - colour) * 196 + 5]).toBe(0);
      expect(inputs.digitColoured[k * 392 + (1 - colour) * 196 + 5]).toBe(0);
    }
  });

  it("reports accuracy and entropy per probe; digit·coloured is the test env", () => {
    const model = { inputs: "colour", hidden: 4 } as const;
    const weights = cmnistInitialWeights(cmnistMlpSpec(model), 1);
    const probes = fig4Probes(model, weights, pack, plan);
    const direct = evaluateCmnistEnv(model, weights, { images: fig4ProbeInputs(pack, plan).digitColoured, labels: plan.labels });
    expect(probes.digitColoured).toEqual(direct);
    for (const probe of Object.values(probes)) {
      expect(probe.accuracy).toBeGreaterThanOrEqual(0);
      expect(probe.accuracy).toBeLessThanOrEqual(1);
      expect(probe.entropy).toBeGreaterThanOrEqual(0);
      expect(probe.entropy).toBeLessThanOrEqual(Math.log(2) + 1e-6);
    }
  });
});
