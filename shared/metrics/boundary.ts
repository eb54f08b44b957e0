// Decision-boundary geometry in plain float64 TypeScript: the evaluation grid, the zero contour (marching
// squares, refined by bisection on the network itself), boundary curvature and point-to-boundary margins.
// These definitions are GS Lab's way of turning the paper's qualitative two-moons figures into numbers.

/** A network's decision function on a batch of 2-D points (n×2 row-major) → one value per point. */
export type DecisionFunction = (points: Float64Array) => Float64Array;

/** The paper's heat-map grid: 100×100 points over [-2, 2]² (the authors' `torch.linspace(-2, 2, 100)`). */
export const GRID_SIZE = 100;
export const GRID_HALF_WIDTH = 2;
/** Horizontal lines x2 = c along which curvature is measured. */
export const CURVATURE_LINES: readonly number[] = [-1.5, -0.75, 0, 0.75, 1.5];
/** Samples per curvature line when scanning for the zero crossing (spacing 0.01). */
const CURVATURE_SCAN_SAMPLES = 401;
/** Rounds of bisection per crossing: the work per crossing is fixed (30 batched evaluations of the network). */
const BISECTION_ROUNDS = 30;

/**
 * Grid edges (between horizontally or vertically adjacent points of a size×size grid) whose ends the network
 * puts on different sides: the boundary's length in grid units, and the number of crossings zeroContour would
 * refine by bisection. One pass over the grid values, no network evaluation.
 */
export function gridCrossingCount(values: ArrayLike<number>, size: number): number {
  let count = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const here = values[i * size + j]! > 0;
      if (i + 1 < size && here !== values[(i + 1) * size + j]! > 0) count++;
      if (j + 1 < size && here !== values[i * size + j + 1]! > 0) count++;
    }
  }
  return count;
}

/** numpy-style linspace(min, max, size) including both ends. */
export function linspace(min: number, max: number, size: number): Float64Array {
  const axis = new Float64Array(size);
  const step = (max - min) / (size - 1);
  for (let i = 0; i < size; i++) axis[i] = i * step + min;
  axis[size - 1] = max;
  return axis;
}

export const gridAxis = (): Float64Array => linspace(-GRID_HALF_WIDTH, GRID_HALF_WIDTH, GRID_SIZE);

/** Grid points in the authors' meshgrid('ij') order: index i*size + j holds (axis[i], axis[j]). */
export function gridPoints(axis: Float64Array): Float64Array {
  const size = axis.length;
  const points = new Float64Array(size * size * 2);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      points[2 * (i * size + j)] = axis[i]!;
      points[2 * (i * size + j) + 1] = axis[j]!;
    }
  }
  return points;
}

/**
 * Finds, for each pair of points (a_k, b_k) where f changes sign, a point where it does, by bisection on f
 * (all pairs advance together so each round is one batched evaluation).
 */
function bisectAll(f: DecisionFunction, a: Float64Array, b: Float64Array, rounds: number): Float64Array {
  const count = a.length / 2;
  const lo = Float64Array.from(a);
  const hi = Float64Array.from(b);
  const loPositive = f(lo).map((v) => (v > 0 ? 1 : 0));
  const mid = new Float64Array(count * 2);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < 2 * count; k++) mid[k] = (lo[k]! + hi[k]!) / 2;
    const values = f(mid);
    for (let k = 0; k < count; k++) {
      const side = values[k]! > 0 ? 1 : 0;
      const target = side === loPositive[k] ? lo : hi;
      target[2 * k] = mid[2 * k]!;
      target[2 * k + 1] = mid[2 * k + 1]!;
    }
  }
  for (let k = 0; k < 2 * count; k++) mid[k] = (lo[k]! + hi[k]!) / 2;
  return mid;
}

/**
 * The zero contour of grid values as line segments [x1a, x2a, x1b, x2b, ...], by marching squares with
 * saddle cells resolved by the cell-centre average. Edge crossings are interpolated linearly, or, when
 * `refine` is given, located by bisection on the decision function itself.
 */
export function zeroContour(values: ArrayLike<number>, axis: Float64Array, refine?: DecisionFunction): Float64Array {
  const size = axis.length;
  const positive = (i: number, j: number): boolean => values[i * size + j]! > 0;
  // Crossing edges, keyed by (cell corner, direction): direction 0 = along x1 (i→i+1), 1 = along x2.
  const edgeIndex = new Map<number, number>();
  const ends: number[] = [];
  const addEdge = (i: number, j: number, dir: 0 | 1): void => {
    const key = (i * size + j) * 2 + dir;
    if (edgeIndex.has(key)) return;
    const [i2, j2] = dir === 0 ? [i + 1, j] : [i, j + 1];
    edgeIndex.set(key, ends.length / 4);
    ends.push(i, j, i2, j2);
  };
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      if (i + 1 < size && positive(i, j) !== positive(i + 1, j)) addEdge(i, j, 0);
      if (j + 1 < size && positive(i, j) !== positive(i, j + 1)) addEdge(i, j, 1);
    }
  }
  const crossings = locateCrossings(values, axis, ends, refine);
  const point = (i: number, j: number, dir: 0 | 1): [number, number] => {
    const k = edgeIndex.get((i * size + j) * 2 + dir)!;
    return [crossings[2 * k]!, crossings[2 * k + 1]!];
  };
  const segments: number[] = [];
  for (let i = 0; i + 1 < size; i++) {
    for (let j = 0; j + 1 < size; j++) {
      // Cell edges in order: bottom (x2 = axis[j]), right (x1 = axis[i+1]), top, left.
      const edges: Array<[number, number, 0 | 1]> = [];
      if (positive(i, j) !== positive(i + 1, j)) edges.push([i, j, 0]);
      if (positive(i + 1, j) !== positive(i + 1, j + 1)) edges.push([i + 1, j, 1]);
      if (positive(i, j + 1) !== positive(i + 1, j + 1)) edges.push([i, j + 1, 0]);
      if (positive(i, j) !== positive(i, j + 1)) edges.push([i, j, 1]);
      if (edges.length === 2) {
        segments.push(...point(...edges[0]!), ...point(...edges[1]!));
      } else if (edges.length === 4) {
        const centre = (values[i * size + j]! + values[(i + 1) * size + j]! + values[i * size + j + 1]! + values[(i + 1) * size + j + 1]!) / 4;
        // Pair each crossing with a neighbour so that the centre's side is kept connected.
        const pairs = (centre > 0) === positive(i, j) ? [[0, 1], [2, 3]] : [[0, 3], [1, 2]];
        for (const [a, b] of pairs) segments.push(...point(...edges[a!]!), ...point(...edges[b!]!));
      }
    }
  }
  return Float64Array.from(segments);
}

/** Crossing points of the edges given as grid-index quadruples [i, j, i2, j2, ...]. */
function locateCrossings(values: ArrayLike<number>, axis: Float64Array, ends: number[], refine?: DecisionFunction): Float64Array {
  const size = axis.length;
  const count = ends.length / 4;
  const a = new Float64Array(count * 2);
  const b = new Float64Array(count * 2);
  const t = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const [i, j, i2, j2] = [ends[4 * k]!, ends[4 * k + 1]!, ends[4 * k + 2]!, ends[4 * k + 3]!];
    a.set([axis[i]!, axis[j]!], 2 * k);
    b.set([axis[i2]!, axis[j2]!], 2 * k);
    const va = values[i * size + j]!;
    t[k] = va / (va - values[i2 * size + j2]!);
  }
  if (refine) return bisectAll(refine, a, b, BISECTION_ROUNDS);
  return a.map((start, k) => start + t[k >> 1]! * (b[k]! - start));
}

/**
 * Boundary curvature: mean over the lines x2 = c (CURVATURE_LINES) of |x1*|, where x1* is the zero crossing
 * of f(·, c) nearest to x1 = 0 inside [-2, 2]. A line without a crossing counts as 2 (the box's half width).
 * A straight boundary along the x2 axis scores 0; a boundary that bends around the moons scores higher.
 */
export function boundaryCurvature(f: DecisionFunction): number {
  const scan = linspace(-GRID_HALF_WIDTH, GRID_HALF_WIDTH, CURVATURE_SCAN_SAMPLES);
  const lines = CURVATURE_LINES;
  const points = new Float64Array(lines.length * scan.length * 2);
  lines.forEach((c, l) => scan.forEach((x1, s) => points.set([x1, c], 2 * (l * scan.length + s))));
  const values = f(points);
  const lo: number[] = [];
  const hi: number[] = [];
  let missing = 0;
  lines.forEach((c, l) => {
    let best = -1;
    for (let s = 0; s + 1 < scan.length; s++) {
      const v0 = values[l * scan.length + s]!;
      const v1 = values[l * scan.length + s + 1]!;
      if ((v0 > 0) === (v1 > 0)) continue;
      const distance = Math.abs((scan[s]! + scan[s + 1]!) / 2);
      if (best < 0 || distance < Math.abs((scan[best]! + scan[best + 1]!) / 2)) best = s;
    }
    if (best < 0) missing++;
    else lo.push(scan[best]!, c), hi.push(scan[best + 1]!, c);
  });
  const crossings = lo.length ? bisectAll(f, Float64Array.from(lo), Float64Array.from(hi), BISECTION_ROUNDS) : new Float64Array();
  let total = missing * GRID_HALF_WIDTH;
  for (let k = 0; k < crossings.length / 2; k++) total += Math.abs(crossings[2 * k]!);
  return total / lines.length;
}

/** Euclidean distance from (px, py) to the segment (ax, ay)–(bx, by). */
function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / lengthSq)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * Signed distance from each training point to the boundary segments: positive when the point is on its own
 * class's side (f·t > 0), negative when misclassified. Empty when the boundary does not cross the grid.
 */
export function signedMargins(points: Float64Array, targets: Float64Array, outputs: Float64Array, segments: Float64Array): Float64Array {
  const n = targets.length;
  const margins = new Float64Array(n);
  if (segments.length === 0) return new Float64Array(0);
  for (let p = 0; p < n; p++) {
    const px = points[2 * p]!;
    const py = points[2 * p + 1]!;
    let nearest = Infinity;
    for (let s = 0; s < segments.length; s += 4) {
      const d = distanceToSegment(px, py, segments[s]!, segments[s + 1]!, segments[s + 2]!, segments[s + 3]!);
      if (d < nearest) nearest = d;
    }
    margins[p] = outputs[p]! * targets[p]! > 0 ? nearest : -nearest;
  }
  return margins;
}
