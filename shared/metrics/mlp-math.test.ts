import { describe, expect, it } from "vitest";
import { RandomState } from "../rng/random-state";
import { moonsLoss, moonsLossGradient, sigmoid, softplus } from "./loss";
import { forwardWithActivations, mlpBackward, mlpForward } from "./mlp-math";

const spec = { layerSizes: [2, 7, 5, 1] };
const rng = new RandomState(11);
const weights = Float64Array.from({ length: 2 * 7 + 7 + 7 * 5 + 5 + 5 + 1 }, () => rng.normal(0, 0.7));
const inputs = Float64Array.from({ length: 2 * 13 }, () => rng.normal(0, 1));
const targets = Float64Array.from({ length: 13 }, (_, i) => (i % 3 === 0 ? 1 : -1));

describe("softplus and sigmoid", () => {
  it("never overflow", () => {
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(softplus(0.3)).toBeCloseTo(Math.log(1 + Math.exp(0.3)), 15);
  });
});

describe("mlpForward", () => {
  it("streams the same numbers as the layer-by-layer pass", () => {
    expect(mlpForward(spec, weights, inputs)).toEqual(forwardWithActivations(spec, weights, inputs).at(-1));
  });

  it("gives the same output for float32 weights as for their float64 copy", () => {
    const single = Float32Array.from(weights);
    expect(mlpForward(spec, single, inputs)).toEqual(mlpForward(spec, Float64Array.from(single), inputs));
  });

  it("rejects inputs that are not whole points", () => {
    expect(() => mlpForward(spec, weights, new Float64Array(3))).toThrow(RangeError);
  });
});

describe("mlpBackward", () => {
  it("matches central finite differences of the SD-penalised loss", () => {
    const sd = 0.05;
    const loss = (w: Float64Array): number => moonsLoss(mlpForward(spec, w, inputs), targets, sd);
    const activations = forwardWithActivations(spec, weights, inputs);
    const grad = mlpBackward(spec, weights, activations, moonsLossGradient(activations.at(-1)!, targets, sd));
    const h = 1e-6;
    for (let k = 0; k < weights.length; k++) {
      const plus = Float64Array.from(weights);
      const minus = Float64Array.from(weights);
      plus[k] = plus[k]! + h;
      minus[k] = minus[k]! - h;
      expect(grad[k]).toBeCloseTo((loss(plus) - loss(minus)) / (2 * h), 6);
    }
  });
});
