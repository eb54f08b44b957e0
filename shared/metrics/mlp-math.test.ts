import { describe, expect, it } from "vitest";
import { dropoutMask } from "../nn/dropout";
import { mlpParamCount, mlpParams, type MlpSpec } from "../nn/mlp";
import { RandomState } from "../rng/random-state";
import { moonsLoss, moonsLossGradient, sigmoid, softplus } from "./loss";
import { backwardTrain, forwardTrain, mlpForward } from "./mlp-math";

const rng = new RandomState(11);
const n = 13;
const inputs = Float64Array.from({ length: 2 * n }, () => rng.normal(0, 1));
const targets = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : -1));
const randomWeights = (spec: MlpSpec): Float64Array => {
  const w = Float64Array.from({ length: mlpParamCount(spec) }, () => rng.normal(0, 0.7));
  for (const p of mlpParams(spec)) if (p.role === "bnVar") w.fill(1.3, p.offset, p.offset + p.size);
  return w;
};

const deep: MlpSpec = { layerSizes: [2, 7, 5, 1] };
const withBatchNorm: MlpSpec = { layerSizes: [2, 7, 1], batchNorm: true };
const withDropout: MlpSpec = { layerSizes: [2, 7, 1], dropout: 0.4 };

describe("softplus and sigmoid", () => {
  it("never overflow", () => {
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(softplus(0.3)).toBeCloseTo(Math.log(1 + Math.exp(0.3)), 15);
  });
});

describe("mlpForward (evaluation mode)", () => {
  it("equals the training-mode pass for a plain network", () => {
    const w = randomWeights(deep);
    expect(mlpForward(deep, w, inputs)).toEqual(forwardTrain(deep, w, inputs, null).outputs);
  });

  it("gives the same output for float32 weights as for their float64 copy", () => {
    const single = Float32Array.from(randomWeights(deep));
    expect(mlpForward(deep, single, inputs)).toEqual(mlpForward(deep, Float64Array.from(single), inputs));
  });

  it("ignores dropout and uses BatchNorm's running statistics", () => {
    const w = randomWeights(withDropout);
    expect(mlpForward(withDropout, w, inputs)).toEqual(mlpForward({ layerSizes: [2, 7, 1] }, w, inputs));
    const bn = randomWeights(withBatchNorm);
    const params = mlpParams(withBatchNorm);
    const [W1, b1, scale, shift, W2, b2, mean, variance] = params;
    const x = inputs.subarray(0, 2);
    let expected = bn[b2!.offset]!;
    for (let j = 0; j < 7; j++) {
      const h = bn[b1!.offset + j]! + x[0]! * bn[W1!.offset + j]! + x[1]! * bn[W1!.offset + 7 + j]!;
      const t = ((h - bn[mean!.offset + j]!) / Math.sqrt(bn[variance!.offset + j]! + 1e-5)) * bn[scale!.offset + j]! + bn[shift!.offset + j]!;
      expected += Math.max(t, 0) * bn[W2!.offset + j]!;
    }
    expect(mlpForward(withBatchNorm, bn, x)[0]).toBeCloseTo(expected, 12);
  });

  it("rejects inputs that are not whole points", () => {
    expect(() => mlpForward(deep, randomWeights(deep), new Float64Array(3))).toThrow(RangeError);
  });
});

describe("backwardTrain", () => {
  const cases: Array<[string, MlpSpec, Float32Array | null]> = [
    ["a deeper net", deep, null],
    ["BatchNorm in training mode", withBatchNorm, null],
    ["a dropout mask", withDropout, dropoutMask(4, 2, n * 7, 0.4)],
  ];
  it.each(cases)("matches central finite differences of the SD-penalised loss (%s)", (_, spec, mask) => {
    const sd = 0.05;
    const weights = randomWeights(spec);
    const loss = (w: Float64Array): number => moonsLoss(forwardTrain(spec, w, inputs, mask).outputs, targets, sd);
    const trace = forwardTrain(spec, weights, inputs, mask);
    const grad = backwardTrain(spec, weights, trace, moonsLossGradient(trace.outputs, targets, sd), mask);
    const h = 1e-6;
    for (const param of mlpParams(spec)) {
      for (let k = param.offset; k < param.offset + param.size; k++) {
        if (!param.trainable) {
          expect(grad[k]).toBe(0);
          continue;
        }
        const plus = Float64Array.from(weights);
        const minus = Float64Array.from(weights);
        plus[k] = plus[k]! + h;
        minus[k] = minus[k]! - h;
        expect(grad[k]).toBeCloseTo((loss(plus) - loss(minus)) / (2 * h), 6);
      }
    }
  });
});
