// PyTorch-default initial weights drawn from a seeded numpy-compatible generator, so that the server (and
// anyone with numpy) can rebuild a run's exact starting point from its seed.
import { RandomState } from "../rng/random-state";
import { mlpParamCount, type MlpSpec } from "./mlp";

/**
 * Stream tag of the initial weights: the generator is numpy's `RandomState([seed, 1])`, so the draws can be
 * reproduced in Python (see README, "Initial weights").
 */
export const INIT_STREAM = 1;

/**
 * nn.Linear's default init: weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)). Draw order is PyTorch's
 * parameter order (fc1.weight as [out, in] row-major, fc1.bias, fc2.weight, ...); weights are then stored
 * transposed as [in, out] in the flat layout of mlpParams(). Values are rounded to float32.
 */
export function initialWeights(spec: MlpSpec, seed: number): Float32Array {
  const rng = new RandomState([seed, INIT_STREAM]);
  const weights = new Float32Array(mlpParamCount(spec));
  let offset = 0;
  for (let layer = 1; layer < spec.layerSizes.length; layer++) {
    const fanIn = spec.layerSizes[layer - 1]!;
    const fanOut = spec.layerSizes[layer]!;
    const bound = 1 / Math.sqrt(fanIn);
    for (let out = 0; out < fanOut; out++) {
      for (let inp = 0; inp < fanIn; inp++) {
        weights[offset + inp * fanOut + out] = rng.uniform(-bound, bound);
      }
    }
    offset += fanIn * fanOut;
    for (let out = 0; out < fanOut; out++) weights[offset + out] = rng.uniform(-bound, bound);
    offset += fanOut;
  }
  return weights;
}
