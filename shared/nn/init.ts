// PyTorch-default initial weights drawn from a seeded numpy-compatible generator, so that the server (and
// anyone with numpy) can rebuild a run's exact starting point from its seed.
import { RandomState } from "../rng/random-state";
import { mlpParamCount, mlpParams, type MlpSpec } from "./mlp";

/**
 * Stream tag of the initial weights: the generator is numpy's `RandomState([seed, 1])`, so the draws can be
 * reproduced in Python (see README, "Initial weights").
 */
export const INIT_STREAM = 1;

/**
 * nn.Linear's default init: weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)). Draw order is PyTorch's
 * parameter order (fc1.weight as [out, in] row-major, fc1.bias, fc2.weight, ...); weights are then stored
 * transposed as [in, out] in the flat layout of mlpParams(). Values are rounded to float32. BatchNorm
 * starts as PyTorch's does (scale 1, shift 0, running mean 0, running variance 1) and draws nothing, so
 * the linear layers' draws are the same with or without it.
 */
export function initialWeights(spec: MlpSpec, seed: number): Float32Array {
  const rng = new RandomState([seed, INIT_STREAM]);
  const weights = new Float32Array(mlpParamCount(spec));
  for (const param of mlpParams(spec)) {
    const region = weights.subarray(param.offset, param.offset + param.size);
    if (param.role === "weight") {
      const [fanIn, fanOut] = param.shape as [number, number];
      const bound = 1 / Math.sqrt(fanIn);
      for (let out = 0; out < fanOut; out++) for (let inp = 0; inp < fanIn; inp++) region[inp * fanOut + out] = rng.uniform(-bound, bound);
    } else if (param.role === "bias") {
      const bound = 1 / Math.sqrt(spec.layerSizes[param.layer - 1]!);
      for (let out = 0; out < param.size; out++) region[out] = rng.uniform(-bound, bound);
    } else if (param.role === "bnScale" || param.role === "bnVar") {
      region.fill(1); // BatchNorm1d: weight = 1, running_var = 1 (no random draws)
    }
    // bnShift and bnMean start at 0.
  }
  return weights;
}
