// The two-feature toy model of the paper's Fig. 6 in plain float64, the authors' three solvers with
// hand-derived gradients: the web client draws its trajectories and the verifier recomputes them.
//
// Setting (authors' Figure_6/toy_fig_6.py): Φ = U·diag(s1, s2)·V, U the rotation by asin(δ), V the right
// singular vectors of np.random.seed(1235); randn(2, 2); labels y = [+1, +1]; z = Uᵀ(y ⊙ ŷ), recorded
// before each step's update. With margins m = y ⊙ ŷ the three objectives and their gradients are:
//
//   dual       α ∈ (0, 1]², ŷ = Φ·C(yΦ)ᵀα, so m = C·Kα with K = (yΦ)(yΦ)ᵀ;
//              L(α) = (C/2)αᵀKα − H(α) = ½ αᵀm + Σ [α log α + (1 − α) log(1 − α)],
//              ∂L/∂α = m + log α − log(1 − α);
//              after each SGD step the authors' clamp α ← relu(−relu(1 − α) + 1 − 1e-50) + 1e-50.
//   primal-wd  θ ∈ R², ŷ = Φθ; L(θ) = Σ softplus(−m) + c·θᵀθ,    ∂L/∂θ = Φᵀ(−y ⊙ σ(−m)) + 2c·θ.
//   primal-sd  θ ∈ R², ŷ = Φθ; L(θ) = Σ softplus(−m) + c·Σ ŷ²,   ∂L/∂θ = Φᵀ(−y ⊙ σ(−m) + 2c·ŷ).
//
// The clamp, evaluated in float64 as written (float64 has 1e-50, float32 rounds it to 0): α ≥ 1e-50
// always, so log α stays finite, and α > 1 becomes exactly 1, where the entropy gradient is +∞ (the next
// step sends α to 1e-50). In Fig. 6 neither edge is reached: α stays within [5.5e-5, 0.012] and the clamp
// only rounds α to float64's grid near 1 (1 − (1 − α)), which is why it is evaluated literally here.
//
// V drops out of every trajectory: θ' = Vθ is an orthogonal change of variables of both primal problems
// (ŷ = U·diag(s1, s2)·θ', θᵀθ = θ'ᵀθ'), and K = U·diag(s1², s2²)·Uᵀ for y = [+1, +1]. So the sign
// convention of the SVD below does not matter; dynamics.test.ts checks it against numpy's V.
import { sigmoid, softplus } from "../metrics/loss";
import type { ToyProtocol } from "../protocols/types";
import { RandomState } from "../rng/random-state";

/** A 2×2 matrix in row-major order: [m00, m01, m10, m11]. */
export type Matrix2 = readonly [number, number, number, number];
type Vector2 = readonly [number, number];

export type ToySpec = ToyProtocol["toy"];

/** The authors' `np.random.seed(1235)` before `X = np.random.randn(2, 2)`. */
export const AUTHORS_SEED = 1235;
const LABELS: Vector2 = [1, 1];
const CLAMP_FLOOR = 1e-50;

/** numpy's `np.random.seed(seed); np.random.randn(2, 2)`, bit for bit (C order). */
export function numpyRandn2x2(seed: number): Matrix2 {
  const rng = new RandomState(seed);
  return [rng.standardNormal(), rng.standardNormal(), rng.standardNormal(), rng.standardNormal()];
}

/**
 * The right singular vectors of X as the rows of a matrix (numpy's `Vh`), by the largest singular value
 * first. Sign convention: V is a rotation [[cos t, sin t], [−sin t, cos t]] with t = ½·atan2(2q, p − r)
 * for XᵀX = [[p, q], [q, r]], so the first row has a non-negative first component. (LAPACK may return
 * either sign per row; for seed 1235 numpy's first row is the negative of this one.)
 */
export function rightSingularVectors(x: Matrix2): Matrix2 {
  const [a, b, c, d] = x;
  const angle = 0.5 * Math.atan2(2 * (a * b + c * d), a * a + c * c - (b * b + d * d));
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return [cos, sin, -sin, cos];
}

/** The V of the authors' figure: right singular vectors of randn(2, 2) drawn with seed 1235. */
export const FIG6_V = rightSingularVectors(numpyRandn2x2(AUTHORS_SEED));

const multiply = (p: Matrix2, q: Matrix2): Matrix2 => [
  p[0] * q[0] + p[1] * q[2],
  p[0] * q[1] + p[1] * q[3],
  p[2] * q[0] + p[3] * q[2],
  p[2] * q[1] + p[3] * q[3],
];
const apply = (m: Matrix2, v: Vector2): Vector2 => [m[0] * v[0] + m[1] * v[1], m[2] * v[0] + m[3] * v[1]];
const applyTransposed = (m: Matrix2, v: Vector2): Vector2 => [m[0] * v[0] + m[2] * v[1], m[1] * v[0] + m[3] * v[1]];
const times = (u: Vector2, v: Vector2): Vector2 => [u[0] * v[0], u[1] * v[1]];

/** U = [[√(1 − δ²), −δ], [δ, √(1 − δ²)]]. */
export function rotationU(delta: number): Matrix2 {
  const cos = Math.sqrt(1 - delta * delta);
  return [cos, -delta, delta, cos];
}

/** One solver's state: the network output ŷ at its parameters, the objective, and one SGD step. */
interface ToySolver {
  output(): Vector2;
  loss(output: Vector2): number;
  step(output: Vector2): void;
}

/** The authors' clamp of α to [0, 1], `relu(-relu(-alpha + 1) + 1 - 1e-50) + 1e-50`, in float64. */
export function clampAlpha(alpha: number): number {
  return Math.max(0, -Math.max(0, -alpha + 1) + 1 - CLAMP_FLOOR) + CLAMP_FLOOR;
}

const xLogX = (x: number): number => x * Math.log(x);

function dualSolver(toy: ToySpec, phi: Matrix2): ToySolver {
  const alpha: [number, number] = [toy.coefficient, toy.coefficient];
  const margins = (output: Vector2) => times(LABELS, output);
  return {
    output: () => {
      const weightedFeatures = applyTransposed(phi, times(LABELS, alpha));
      return apply(phi, [toy.C * weightedFeatures[0], toy.C * weightedFeatures[1]]);
    },
    loss: (output) => {
      const m = margins(output);
      const negativeEntropy = (a: number) => xLogX(a) + xLogX(1 - a);
      return 0.5 * (alpha[0] * m[0] + alpha[1] * m[1]) + negativeEntropy(alpha[0]) + negativeEntropy(alpha[1]);
    },
    step: (output) => {
      const m = margins(output);
      for (const i of [0, 1] as const) {
        const gradient = m[i] + Math.log(alpha[i]) - Math.log1p(-alpha[i]);
        alpha[i] = clampAlpha(alpha[i] - toy.lr * gradient);
      }
    },
  };
}

function primalSolver(toy: ToySpec, phi: Matrix2): ToySolver {
  const theta: [number, number] = [0, 0];
  const penalisesOutput = toy.solver === "primal-sd";
  const c = toy.coefficient;
  return {
    output: () => apply(phi, theta),
    loss: (output) => {
      const m = times(LABELS, output);
      const penalty = penalisesOutput ? c * (output[0] ** 2 + output[1] ** 2) : c * (theta[0] ** 2 + theta[1] ** 2);
      return softplus(-m[0]) + softplus(-m[1]) + penalty;
    },
    step: (output) => {
      const m = times(LABELS, output);
      const outputGradient = (i: 0 | 1) => -LABELS[i] * sigmoid(-m[i]) + (penalisesOutput ? 2 * c * output[i] : 0);
      const gradient = applyTransposed(phi, [outputGradient(0), outputGradient(1)]);
      for (const i of [0, 1] as const) {
        theta[i] -= toy.lr * (gradient[i] + (penalisesOutput ? 0 : 2 * c * theta[i]));
      }
    },
  };
}

/** The record indices a trajectory keeps: 0, every, 2·every, ... below `steps`, then the last, steps − 1. */
export function toyRecordSteps(steps: number, every: number): number[] {
  const sampled = Array.from({ length: Math.floor((steps - 1) / every) + 1 }, (_, k) => k * every);
  return sampled.at(-1) === steps - 1 ? sampled : [...sampled, steps - 1];
}

export interface ToyTrajectory {
  /** The record index of each sampled z: z at index t is taken before step t's update. */
  readonly recordSteps: readonly number[];
  /** z = Uᵀ(y ⊙ ŷ) at those records (signed); the last entry is the end point. */
  readonly z1: Float64Array;
  readonly z2: Float64Array;
  /** The objective at the last record (before the last update), where z's end point is taken. */
  readonly finalLoss: number;
}

/** The z trajectory of one solver for one s1, sampled every `every` records and at the last one. */
export function toyTrajectory(toy: ToySpec, s1: number, every: number, v: Matrix2 = FIG6_V): ToyTrajectory {
  const u = rotationU(toy.delta);
  const phi = multiply(multiply(u, [s1, 0, 0, toy.s2]), v);
  const solver = toy.solver === "dual" ? dualSolver(toy, phi) : primalSolver(toy, phi);
  const recordSteps = toyRecordSteps(toy.steps, every);
  const z1 = new Float64Array(recordSteps.length);
  const z2 = new Float64Array(recordSteps.length);
  let finalLoss = NaN;
  let next = 0;
  for (let t = 0; t < toy.steps; t++) {
    const output = solver.output();
    if (t === recordSteps[next]) {
      [z1[next], z2[next]] = applyTransposed(u, times(LABELS, output));
      next++;
    }
    if (t === toy.steps - 1) finalLoss = solver.loss(output);
    solver.step(output);
  }
  return { recordSteps, z1, z2, finalLoss };
}
