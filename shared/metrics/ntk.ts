// The NTK features of the paper's Fig. 2 (authors' Figure_2/moon_fig_2.py) for the 2-H-1 ReLU network, in
// plain float64: J (Jacobian of the logits at init), K = J·Jᵀ, its eigenvectors U, and |z| = |yhatᵀU|.
import type { MoonsData } from "../data/moons";
import { mlpParams, type MlpSpec } from "../nn/mlp";
import { symmetricEigen } from "./symmetric-eigen";

type Weights = Float32Array | Float64Array;

export interface NtkFeatures {
  /**
   * Eigenvalues of K, descending: torch.svd(K)'s S, since K is symmetric positive semi-definite (at the
   * float64 noise floor, about 1e-16·S[0], an eigenvalue may come out slightly negative where S has its |·|).
   */
  readonly eigenvalues: Float64Array;
  /**
   * n×n row-major, column k (entries `U[i*n + k]`) = unit eigenvector of `eigenvalues[k]`, as the columns of
   * torch.svd(K)'s U. Sign convention: the entry of largest magnitude of each column is positive.
   */
  readonly U: Float64Array;
}

/** The 2-H-1 network whose flat weight vector (mlpParams order: W1 [2,H], b1 [H], W2 [H,1], b2 [1]) has this length. */
function twoLayerSpec(weights: Weights): MlpSpec {
  const hidden = (weights.length - 1) / 4;
  if (!Number.isInteger(hidden) || hidden < 1) {
    throw new RangeError(`expected the weights of a 2-H-1 network (4H + 1 values), got ${weights.length}`);
  }
  return { layerSizes: [2, hidden, 1] };
}

/** Offsets of the four tensors of a 2-H-1 network in the flat weight vector. */
function tensorOffsets(spec: MlpSpec): { w1: number; b1: number; w2: number; b2: number } {
  const offsetOf = (name: string): number => mlpParams(spec).find((param) => param.name === name)!.offset;
  return { w1: offsetOf("W1"), b1: offsetOf("b1"), w2: offsetOf("W2"), b2: offsetOf("b2") };
}

/**
 * J[p, c] = ∂yhat_p / ∂θ_c at `weights`, n × P row-major (P = 4H + 1), columns in mlpParams order so that
 * they line up with the flat weights. Closed form for yhat = W2ᵀ relu(W1ᵀx + b1) + b2:
 * ∂/∂W1[i][j] = W2[j]·[h_j > 0]·x_i, ∂/∂b1[j] = W2[j]·[h_j > 0], ∂/∂W2[j] = relu(h_j), ∂/∂b2 = 1.
 */
export function ntkJacobian(weights: Weights, data: MoonsData): Float64Array {
  const spec = twoLayerSpec(weights);
  const hidden = spec.layerSizes[1]!;
  const offsets = tensorOffsets(spec);
  const paramCount = weights.length;
  if (data.x.length !== 2 * data.n) throw new RangeError(`expected ${data.n} two-dimensional points, got ${data.x.length} coordinates`);
  const jacobian = new Float64Array(data.n * paramCount);
  for (let p = 0; p < data.n; p++) {
    const row = p * paramCount;
    const x0 = data.x[2 * p]!;
    const x1 = data.x[2 * p + 1]!;
    for (let j = 0; j < hidden; j++) {
      // h_j summed in mlpForward's order, so the ReLU pattern is the one the network itself uses.
      const preActivation = weights[offsets.b1 + j]! + x0 * weights[offsets.w1 + j]! + x1 * weights[offsets.w1 + hidden + j]!;
      const active = preActivation > 0;
      const gate = active ? weights[offsets.w2 + j]! : 0;
      jacobian[row + offsets.w1 + j] = gate * x0;
      jacobian[row + offsets.w1 + hidden + j] = gate * x1;
      jacobian[row + offsets.b1 + j] = gate;
      jacobian[row + offsets.w2 + j] = active ? preActivation : 0;
    }
    jacobian[row + offsets.b2] = 1;
  }
  return jacobian;
}

/** K = J·Jᵀ (n×n, row-major, exactly symmetric) for an n×P Jacobian. */
export function ntkKernel(jacobian: Float64Array, pointCount: number): Float64Array {
  const paramCount = jacobian.length / pointCount;
  if (!Number.isInteger(pointCount) || pointCount < 1 || !Number.isInteger(paramCount)) throw new RangeError("jacobian length is not a multiple of pointCount");
  const kernel = new Float64Array(pointCount * pointCount);
  const store = (p: number, q: number, value: number): void => {
    kernel[p * pointCount + q] = value;
    kernel[q * pointCount + p] = value;
  };
  for (let p = 0; p < pointCount; p++) {
    let q = p;
    for (; q + 3 < pointCount; q += 4) {
      const [s0, s1, s2, s3] = rowTimesFourRows(jacobian, paramCount, p, q);
      store(p, q, s0);
      store(p, q + 1, s1);
      store(p, q + 2, s2);
      store(p, q + 3, s3);
    }
    for (; q < pointCount; q++) store(p, q, rowDotRow(jacobian, paramCount, p, q));
  }
  return kernel;
}

/** Dot products of row p with rows q .. q+3 of a row-major matrix: reads row p once for four (≈2× faster). */
function rowTimesFourRows(matrix: Float64Array, width: number, p: number, q: number): [number, number, number, number] {
  const a = p * width;
  const b0 = q * width;
  const b1 = b0 + width;
  const b2 = b1 + width;
  const b3 = b2 + width;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < width; k++) {
    const x = matrix[a + k]!;
    s0 += x * matrix[b0 + k]!;
    s1 += x * matrix[b1 + k]!;
    s2 += x * matrix[b2 + k]!;
    s3 += x * matrix[b3 + k]!;
  }
  return [s0, s1, s2, s3];
}

/** Dot product of rows p and q, summed left to right like each sum above. */
function rowDotRow(matrix: Float64Array, width: number, p: number, q: number): number {
  let sum = 0;
  for (let k = 0; k < width; k++) sum += matrix[p * width + k]! * matrix[q * width + k]!;
  return sum;
}

/** Eigendecomposition of the NTK at `weights` (the run's initial weights) on the training points. */
export function ntkFeatures(weights: Weights, data: MoonsData): NtkFeatures {
  const { values, vectors } = symmetricEigen(ntkKernel(ntkJacobian(weights, data), data.n), data.n);
  return { eigenvalues: values, U: vectors };
}

/**
 * |z_k| = |(yhatᵀU)_k| = |Σ_i outputs[i]·U[i, k]| for k = 0 .. count-1. k is 0-based as in the authors'
 * code: the paper's Fig. 2 plots k = 1 and k = 6 (Z[:, 1] and Z[:, 6]). `outputs` are the network's logits
 * on the n training points (yhat, not y⊙yhat, as in the code).
 */
export function absFeatures(outputs: Float64Array, U: Float64Array, count: number): Float64Array {
  const n = outputs.length;
  if (U.length !== n * n) throw new RangeError(`U must be ${n}×${n} for ${n} outputs, got ${U.length} values`);
  if (!Number.isInteger(count) || count < 0 || count > n) throw new RangeError(`count must be an integer in 0..${n}, got ${count}`);
  const features = new Float64Array(count);
  for (let i = 0; i < n; i++) {
    const output = outputs[i]!;
    for (let k = 0; k < count; k++) features[k] = features[k]! + output * U[i * n + k]!;
  }
  return features.map(Math.abs);
}
