// The two-moons evaluation, computed identically by the browser (its claims) and the Worker (its check):
// accuracy and loss on the training set, the output grid of the figure, curvature and margins.
import type { MoonsData } from "../data/moons";
import type { MetricDefinition, MoonsProtocol } from "../protocols/types";
import { boundaryCurvature, GRID_SIZE, gridAxis, gridCrossingCount, gridPoints, signedMargins, zeroContour, type DecisionFunction } from "./boundary";
import { moonsLoss, signedTargets } from "./loss";
import { mlpForward } from "./mlp-math";

export type MoonsMetricKey = "trainAccuracy" | "finalLoss" | "curvature" | "meanMargin" | "minMargin";
export type MoonsMetrics = Record<MoonsMetricKey, number | null>;

// Client and server run this same float64 code on the same float32 weights, so honest claims match to
// the last bit; the tolerances only absorb a different JavaScript engine's Math.log1p/Math.exp.
const EXACT = { abs: 1e-9, rel: 1e-9 } as const;

export const TWO_MOONS_METRICS: readonly MetricDefinition[] = [
  {
    key: "trainAccuracy",
    label: "Train accuracy",
    description: "Fraction of the 300 training points on their own class's side of the boundary (f(x)·t > 0).",
    tolerance: EXACT,
    nullable: false,
    digits: 3,
  },
  {
    key: "finalLoss",
    label: "Final loss",
    description: "The training objective (softplus cross-entropy + SD penalty, without weight decay) at the final weights.",
    tolerance: EXACT,
    nullable: false,
    digits: 4,
  },
  {
    key: "curvature",
    label: "Curvature",
    description:
      "Mean |x1| of the boundary's zero crossing nearest to x1 = 0 along the lines x2 ∈ {−1.5, −0.75, 0, 0.75, 1.5} (2 where a line has none), in the data's own frame (rotated inputs are rotated back). 0 = a straight boundary along the x2 axis.",
    tolerance: EXACT,
    nullable: false,
    digits: 3,
  },
  {
    key: "meanMargin",
    label: "Mean margin",
    description:
      "Mean signed distance from the training points to the boundary inside [−2, 2]² (negative for misclassified points); empty when the boundary misses the box.",
    tolerance: EXACT,
    nullable: true,
    digits: 3,
  },
  {
    key: "minMargin",
    label: "Min margin",
    description: "Smallest signed distance from a training point to the boundary (negative when a point is misclassified).",
    tolerance: EXACT,
    nullable: true,
    digits: 3,
  },
];

export interface MoonsEvaluation {
  readonly metrics: MoonsMetrics;
  /** Network output on the 100×100 figure grid, index i*100 + j = f(axis[i], axis[j]). */
  readonly grid: Float32Array;
  /** Boundary segments [x1a, x2a, x1b, x2b, ...] refined on the network. */
  readonly boundary: Float64Array;
}

export function evaluateMoons(protocol: MoonsProtocol, data: MoonsData, weights: Float32Array): MoonsEvaluation {
  return evaluateMoonsWith(protocol, data, (points) => mlpForward(protocol.model, weights, points));
}

/**
 * The most grid edges (of the 19,800 of the 100×100 grid) an honest boundary of a two-moons net may cross. A
 * trained network's boundary is a few curves around the moons; weights whose boundary crosses most edges can
 * only be crafted, and would make the bisection refinement (30 network evaluations per crossing) the costliest
 * part of a verification. Honest maxima measured with `npx tsx scripts/boundary-crossings.ts` (README, "Trust
 * measurements"); the bound leaves several times that.
 */
export const MAX_BOUNDARY_CROSSINGS = 1500;

/** What the bounded evaluation found instead of metrics: a boundary no trained network of the family has. */
export interface ImplausibleBoundary {
  readonly crossings: number;
}

/**
 * evaluateMoons with its work bounded (the verifier's): the figure grid is evaluated, its crossings counted, and
 * the costly refinement and margins are computed only when they are at most `maxCrossings`.
 */
export function evaluateMoonsBounded(protocol: MoonsProtocol, data: MoonsData, weights: Float32Array, maxCrossings = MAX_BOUNDARY_CROSSINGS): MoonsEvaluation | ImplausibleBoundary {
  const f: DecisionFunction = (points) => mlpForward(protocol.model, weights, points);
  const gridValues = f(gridPoints(gridAxis()));
  const crossings = gridCrossingCount(gridValues, GRID_SIZE);
  if (crossings > maxCrossings) return { crossings };
  return evaluateMoonsWith(protocol, data, f, gridValues);
}

/**
 * The decision function seen in the data's own frame: for a protocol whose inputs were rotated by r
 * degrees (x ↦ x·R), g(p) = f(p·R), so that a boundary straight in the data's frame scores 0 curvature.
 */
function inDataFrame(f: DecisionFunction, rotationDegrees: number): DecisionFunction {
  if (rotationDegrees === 0) return f;
  const theta = (rotationDegrees * Math.PI) / 180;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return (points) => f(points.map((_, k) => (k % 2 === 0 ? points[k]! * c + points[k + 1]! * s : -points[k - 1]! * s + points[k]! * c)));
}

/**
 * The evaluation with any implementation of the network's decision function: the exact float64 one above
 * (client claims, server checks), or a faster one where only the numbers matter (e.g. tfjs on a GPU in the
 * reproduction runner for the 5-layer net).
 */
export function evaluateMoonsWith(protocol: MoonsProtocol, data: MoonsData, f: DecisionFunction, precomputedGrid?: Float64Array): MoonsEvaluation {
  const outputs = f(data.x);
  const targets = signedTargets(data.y);
  let correct = 0;
  for (let i = 0; i < data.n; i++) if (outputs[i]! * targets[i]! > 0) correct++;
  const axis = gridAxis();
  const gridValues = precomputedGrid ?? f(gridPoints(axis));
  const boundary = zeroContour(gridValues, axis, f);
  const margins = signedMargins(data.x, targets, outputs, boundary);
  return {
    metrics: {
      trainAccuracy: correct / data.n,
      finalLoss: moonsLoss(outputs, targets, protocol.training.sdCoef),
      curvature: boundaryCurvature(inDataFrame(f, protocol.data.rotationDegrees)),
      meanMargin: margins.length ? margins.reduce((a, b) => a + b, 0) / margins.length : null,
      minMargin: margins.length ? Math.min(...margins) : null,
    },
    grid: Float32Array.from(gridValues),
    boundary,
  };
}
