// The live decision-boundary picture: the network's output on the paper's 100×100 grid over [-2, 2]²,
// computed in plain TypeScript from the current weights (no extra GPU work while training).
import { gridAxis, gridPoints } from "../../../shared/metrics/boundary";
import { mlpForward } from "../../../shared/metrics/mlp-math";
import type { MlpSpec } from "../../../shared/nn/mlp";

let points: Float64Array | null = null;

/** Output at grid index i*100 + j = f(x1 = axis[i], x2 = axis[j]), as float32 (cheap to transfer). */
export function liveGrid(spec: MlpSpec, weights: Float32Array): Float32Array {
  points ??= gridPoints(gridAxis());
  return Float32Array.from(mlpForward(spec, weights, points));
}
