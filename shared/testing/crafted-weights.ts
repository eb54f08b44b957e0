// Test support: weights crafted to be expensive, not trained — a network whose decision boundary crosses
// nearly every edge of the 100×100 figure grid (a triangle wave along x1 + x2 with one sign change per grid
// step), the shape that made the boundary refinement cost a multiple of an honest verification. For the
// plain ReLU nets of the two-moons family (2-H-1 and deeper, no BatchNorm).
import { GRID_HALF_WIDTH, GRID_SIZE } from "../metrics/boundary";
import { findParam, mlpParamCount, mlpParams, type MlpSpec } from "../nn/mlp";

/**
 * f(x) = amplitude · tri(u), u = (x1 + x2 + 2·half)/h, h the grid spacing: +amplitude at even u, −amplitude at
 * odd u, so horizontally and vertically adjacent grid points (u differing by 1) always have opposite signs.
 * Layer 1 holds one hinge relu(u − k) per integer k (2·GRID_SIZE − 1 of them); deeper nets carry the wave
 * through their hidden layers as relu(f) and relu(−f).
 */
export function checkerboardWeights(spec: MlpSpec, amplitude = 1): Float32Array {
  if (spec.batchNorm) throw new Error("checkerboardWeights: networks without BatchNorm only");
  const sizes = spec.layerSizes;
  const hinges = 2 * GRID_SIZE - 1;
  if (sizes[0] !== 2 || sizes[1]! < hinges || sizes.slice(2, -1).some((width) => width < 2)) throw new Error(`checkerboardWeights: needs 2 inputs and at least ${hinges} units in layer 1`);
  const weights = new Float32Array(mlpParamCount(spec));
  const params = mlpParams(spec);
  const at = (role: "weight" | "bias", layer: number) => findParam(params, role, layer)!;
  const h = (2 * GRID_HALF_WIDTH) / (GRID_SIZE - 1);
  const H1 = sizes[1]!;
  // Layer 1: unit k = relu(u − k) = relu((x1 + x2 + 2·half)/h − k).
  const w1 = at("weight", 1);
  const b1 = at("bias", 1);
  for (let k = 0; k < hinges; k++) {
    weights[w1.offset + 0 * H1 + k] = 1 / h;
    weights[w1.offset + 1 * H1 + k] = 1 / h;
    weights[b1.offset + k] = (2 * GRID_HALF_WIDTH) / h - k;
  }
  // tri(u) = 1 + Σ c_k relu(u − k): slope −2 from u = 0, then alternating +2 / −2 (c_0 = −2, then ±4).
  const c = Array.from({ length: hinges }, (_, k) => (k === 0 ? -2 : k % 2 === 1 ? 4 : -4));
  const last = sizes.length - 1;
  if (last === 2) {
    const w2 = at("weight", 2);
    c.forEach((value, k) => (weights[w2.offset + k] = amplitude * value));
    weights[at("bias", 2).offset] = amplitude;
    return weights;
  }
  // Deeper: layer 2 computes p = relu(tri), n = relu(−tri); later hidden layers pass both on; the output is p − n.
  const w2 = at("weight", 2);
  const H2 = sizes[2]!;
  c.forEach((value, k) => {
    weights[w2.offset + k * H2 + 0] = value;
    weights[w2.offset + k * H2 + 1] = -value;
  });
  weights[at("bias", 2).offset + 0] = 1;
  weights[at("bias", 2).offset + 1] = -1;
  for (let layer = 3; layer < last; layer++) {
    const w = at("weight", layer);
    const fanOut = sizes[layer]!;
    weights[w.offset + 0 * fanOut + 0] = 1;
    weights[w.offset + 1 * fanOut + 1] = 1;
  }
  const out = at("weight", last);
  weights[out.offset + 0] = amplitude;
  weights[out.offset + 1] = -amplitude;
  return weights;
}

/** The strip x1 < GATED_EDGE holds no two-moons training point (they lie within |x1| ≤ 1.4 for seeds 0–3). */
const GATED_EDGE = -1.5;

/**
 * A crafted net for the deep family (at least two hidden layers after the first) that a loss check alone does
 * not refuse: a weak linear classifier `beta`·(w·x + b) everywhere — its loss on the training points is below the
 * initial weights' when it leans the right way — plus the checkerboard wave of amplitude `amplitude`, gated to the
 * strip x1 < −1.5 where no training point lies (P = relu(tri + 1 − M·relu(x1 + 1.5)), Q = relu(1 − M·relu(x1 + 1.5)),
 * P − Q = tri inside the strip, 0 outside). Its boundary crosses a few thousand grid edges.
 */
export function gatedCheckerboardWeights(spec: MlpSpec, classifier: { readonly w: readonly [number, number]; readonly b: number; readonly beta: number }, amplitude = 3): Float32Array {
  if (spec.batchNorm) throw new Error("gatedCheckerboardWeights: networks without BatchNorm only");
  const sizes = spec.layerSizes;
  const last = sizes.length - 1;
  const hinges = 2 * GRID_SIZE - 1;
  if (last < 3 || sizes[0] !== 2 || sizes[1]! < hinges + 3 || sizes.slice(2, -1).some((width) => width < 4)) throw new Error("gatedCheckerboardWeights: needs a deep net (2 inputs, ≥ 202 units in layer 1, ≥ 4 after)");
  const weights = new Float32Array(mlpParamCount(spec));
  const params = mlpParams(spec);
  const at = (role: "weight" | "bias", layer: number) => findParam(params, role, layer)!;
  const h = (2 * GRID_HALF_WIDTH) / (GRID_SIZE - 1);
  const M = 100;
  const H1 = sizes[1]!;
  const w1 = at("weight", 1);
  const b1 = at("bias", 1);
  for (let k = 0; k < hinges; k++) {
    weights[w1.offset + k] = 1 / h;
    weights[w1.offset + H1 + k] = 1 / h;
    weights[b1.offset + k] = (2 * GRID_HALF_WIDTH) / h - k;
  }
  const [gate, zPlus, zMinus] = [hinges, hinges + 1, hinges + 2];
  weights[w1.offset + gate] = 1; // relu(x1 + 1.5): 0 inside the strip
  weights[b1.offset + gate] = -GATED_EDGE;
  for (const [unit, sign] of [[zPlus, 1], [zMinus, -1]] as const) {
    weights[w1.offset + unit] = sign * classifier.w[0];
    weights[w1.offset + H1 + unit] = sign * classifier.w[1];
    weights[b1.offset + unit] = sign * classifier.b;
  }
  // Layer 2: P, Q, z+, z− (units 0–3).
  const w2 = at("weight", 2);
  const b2 = at("bias", 2);
  const H2 = sizes[2]!;
  for (let k = 0; k < hinges; k++) weights[w2.offset + k * H2 + 0] = k === 0 ? -2 : k % 2 === 1 ? 4 : -4;
  weights[b2.offset + 0] = 2; // tri + 1 = 2 + Σ c_k relu(u − k)
  weights[w2.offset + gate * H2 + 0] = -M;
  weights[b2.offset + 1] = 1;
  weights[w2.offset + gate * H2 + 1] = -M;
  weights[w2.offset + zPlus * H2 + 2] = 1;
  weights[w2.offset + zMinus * H2 + 3] = 1;
  for (let layer = 3; layer < last; layer++) {
    const w = at("weight", layer);
    for (let unit = 0; unit < 4; unit++) weights[w.offset + unit * sizes[layer]! + unit] = 1;
  }
  const out = at("weight", last);
  [amplitude, -amplitude, classifier.beta, -classifier.beta].forEach((value, unit) => (weights[out.offset + unit] = value));
  return weights;
}
