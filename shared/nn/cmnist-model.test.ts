// Why: checks the Colored-MNIST network's seeded Xavier init against numpy and its layout helpers.
import { describe, expect, it } from "vitest";
import reference from "./fixtures/cmnist_reference.json";
import { cmnistInitialWeights, cmnistMlpSpec, grayscaleInputs, modelInputs, torchLayout, xavierBound } from "./cmnist-model";
import { mlpParams } from "./mlp";

const spec = cmnistMlpSpec({ inputs: "colour", hidden: reference.config.hidden });

describe("cmnistInitialWeights", () => {
  it("draws numpy's RandomState([seed, 1]).uniform(±a) per weight matrix in PyTorch order, zero biases", () => {
    const w = cmnistInitialWeights(spec, reference.config.init_seed);
    const params = mlpParams(spec);
    const [W1, b1, W2, b2, W3, b3] = params.map((p) => torchLayout(w, p));
    expect(Array.from(W1!.subarray(0, 8))).toEqual(reference.init.lin1_weight_first8.map(Math.fround));
    expect(Array.from(W2!.subarray(0, 8))).toEqual(reference.init.lin2_weight_first8.map(Math.fround));
    expect(Array.from(W3!)).toEqual(reference.init.lin3_weight.map(Math.fround));
    [W1, W2, W3].forEach((t, k) => expect(t!.reduce((a, b) => a + b, 0)).toBeCloseTo(reference.init.weight_sums[k]!, 9));
    for (const bias of [b1, b2, b3]) expect(bias!.every((v) => v === 0)).toBe(true);
  });

  it("uses PyTorch's Xavier bound and the oracle's 196 inputs", () => {
    expect(xavierBound(392, 300)).toBeCloseTo(Math.sqrt(6 / 692), 15);
    expect(cmnistMlpSpec({ inputs: "grayscale", hidden: 300 }).layerSizes).toEqual([196, 300, 300, 1]);
    const w = cmnistInitialWeights(cmnistMlpSpec({ inputs: "colour", hidden: 300 }), 0);
    const W1 = w.subarray(0, 392 * 300);
    expect(Math.max(...Array.from(W1, Math.abs))).toBeLessThanOrEqual(xavierBound(392, 300));
  });
});

describe("grayscale inputs", () => {
  it("sums the two channels per pixel, as input.view(n, 2, 196).sum(1)", () => {
    const images = new Float32Array(2 * 392);
    images[5] = 0.25; // image 0, channel 0
    images[392 + 196 + 7] = 0.5; // image 1, channel 1
    const gray = grayscaleInputs(images);
    expect(gray.length).toBe(2 * 196);
    expect(gray[5]).toBe(0.25);
    expect(gray[196 + 7]).toBe(0.5);
    expect(modelInputs({ inputs: "colour", hidden: 1 }, images)).toBe(images);
    expect(() => grayscaleInputs(new Float32Array(100))).toThrow(RangeError);
  });
});
