import { describe, expect, it } from "vitest";
import numpy from "../data/fixtures/make_moons_extra.json";
import { initialWeights } from "./init";
import { mlpParamCount, mlpParams } from "./mlp";

const spec = { layerSizes: [2, 500, 1] };

describe("initialWeights", () => {
  it("draws numpy's RandomState([seed, 1]).uniform in PyTorch's parameter order", () => {
    // fc1.weight is [500, 2] in PyTorch; GS Lab stores W1 as [2, 500]: draw (out o, in i) lands at i*500 + o.
    const w = initialWeights(spec, 0);
    const drawn = numpy.random_state.array0_1_uniform; // RandomState([0, 1]).uniform(-1/sqrt(2), 1/sqrt(2), 6)
    const expectedPositions = [0, 500, 1, 501, 2, 502];
    expectedPositions.forEach((position, k) => expect(w[position]).toBe(Math.fround(drawn[k]!)));
  });

  it("follows nn.Linear's default U(±1/sqrt(fan_in)) statistics per tensor", () => {
    const w = initialWeights(spec, 4);
    for (const param of mlpParams(spec)) {
      const fanIn = param.name.startsWith("W") ? param.shape[0]! : param.name === "b1" ? 2 : 500;
      const bound = 1 / Math.sqrt(fanIn);
      const values = Array.from(w.subarray(param.offset, param.offset + param.size));
      expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(Math.fround(bound));
      if (values.length >= 500) {
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
        expect(Math.abs(mean)).toBeLessThan((4 * bound) / Math.sqrt(3 * values.length));
        expect(variance / (bound * bound / 3)).toBeGreaterThan(0.85);
        expect(variance / (bound * bound / 3)).toBeLessThan(1.15);
      }
    }
  });

  it("is reproducible per seed and differs between seeds", () => {
    expect(initialWeights(spec, 9)).toEqual(initialWeights(spec, 9));
    expect(initialWeights(spec, 9)).not.toEqual(initialWeights(spec, 10));
    expect(initialWeights(spec, 9).length).toBe(mlpParamCount(spec));
  });

  it("rejects impossible shapes", () => {
    expect(() => initialWeights({ layerSizes: [2] }, 0)).toThrow(RangeError);
    expect(() => initialWeights({ layerSizes: [2, 0, 1] }, 0)).toThrow(RangeError);
  });
});
