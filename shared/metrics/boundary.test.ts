import { describe, expect, it } from "vitest";
import { boundaryCurvature, CURVATURE_LINES, gridAxis, gridPoints, linspace, signedMargins, zeroContour, type DecisionFunction } from "./boundary";

/** Applies a scalar function of (x1, x2) to a batch of points. */
const pointwise = (g: (x1: number, x2: number) => number): DecisionFunction => (points) =>
  Float64Array.from({ length: points.length / 2 }, (_, k) => g(points[2 * k]!, points[2 * k + 1]!));

const segmentsOf = (f: DecisionFunction): Float64Array => {
  const axis = gridAxis();
  return zeroContour(f(gridPoints(axis)), axis, f);
};

describe("grid", () => {
  it("is numpy's linspace(-2, 2, 100) in meshgrid 'ij' order", () => {
    const axis = gridAxis();
    expect(axis.length).toBe(100);
    expect(axis[0]).toBe(-2);
    expect(axis[99]).toBe(2);
    expect(axis[1]).toBe(1 * (4 / 99) - 2);
    const points = gridPoints(axis);
    expect([points[2 * 101], points[2 * 101 + 1]]).toEqual([axis[1], axis[1]]);
    expect([points[2], points[3]]).toEqual([axis[0], axis[1]]); // index 1 = (axis[0], axis[1])
    expect(linspace(0, 1, 3)).toEqual(Float64Array.from([0, 0.5, 1]));
  });
});

describe("boundaryCurvature", () => {
  it("is the offset of a straight boundary parallel to the x2 axis", () => {
    expect(boundaryCurvature(pointwise((x1) => x1 - 0.3))).toBeCloseTo(0.3, 9);
    expect(boundaryCurvature(pointwise((x1) => -(x1 + 0.25)))).toBeCloseTo(0.25, 9);
  });

  it("is 0 for the x2 axis itself", () => {
    expect(boundaryCurvature(pointwise((x1) => x1))).toBeLessThan(1e-9);
  });

  it("averages |x1*| of a curved boundary over the lines, counting lines without a crossing as 2", () => {
    // Unit circle: crossings at ±sqrt(1 - c²) for |c| < 1; the lines x2 = ±1.5 miss it.
    const expected = CURVATURE_LINES.map((c) => (Math.abs(c) < 1 ? Math.sqrt(1 - c * c) : 2)).reduce((a, b) => a + b) / CURVATURE_LINES.length;
    expect(boundaryCurvature(pointwise((x1, x2) => x1 * x1 + x2 * x2 - 1))).toBeCloseTo(expected, 8);
  });

  it("takes the crossing nearest to x1 = 0 when a line crosses several times", () => {
    expect(boundaryCurvature(pointwise((x1) => (x1 - 0.2) * (x1 + 1.5) * (x1 - 1.7)))).toBeCloseTo(0.2, 9);
  });

  it("is 2 when the boundary misses the box", () => {
    expect(boundaryCurvature(pointwise(() => 1))).toBe(2);
  });
});

describe("zeroContour and signedMargins", () => {
  it("finds a straight boundary exactly and measures signed distances to it", () => {
    const f = pointwise((x1, x2) => x1 + 0.5 * x2 - 0.1);
    const segments = segmentsOf(f);
    expect(segments.length).toBeGreaterThan(0);
    for (let k = 0; k < segments.length; k += 2) expect(Math.abs(segments[k]! + 0.5 * segments[k + 1]! - 0.1)).toBeLessThan(1e-9);
    const points = Float64Array.from([1, 0, -1, 0, 0.1, 0]);
    const targets = Float64Array.from([1, 1, -1]);
    const margins = signedMargins(points, targets, f(points), segments);
    const norm = Math.hypot(1, 0.5);
    expect(margins[0]).toBeCloseTo(0.9 / norm, 6); // right side
    expect(margins[1]).toBeCloseTo(-1.1 / norm, 6); // misclassified: negative
    expect(Math.abs(margins[2]!)).toBeLessThan(1e-6); // on the boundary
  });

  it("resolves saddle cells into two separate segments", () => {
    const f = pointwise((x1, x2) => x1 * x2 + 1e-3);
    const segments = segmentsOf(f);
    for (let k = 0; k < segments.length; k += 2) expect(Math.abs(segments[k]! * segments[k + 1]! + 1e-3)).toBeLessThan(1e-6);
  });

  it("has no segments (and no margins) when the function never changes sign", () => {
    const f = pointwise(() => -1);
    const segments = segmentsOf(f);
    expect(segments.length).toBe(0);
    expect(signedMargins(Float64Array.from([0, 0]), Float64Array.from([1]), Float64Array.from([-1]), segments).length).toBe(0);
  });

  it("interpolates linearly without a decision function to refine with", () => {
    const axis = gridAxis();
    const values = pointwise((x1) => x1 - 0.01)(gridPoints(axis));
    const segments = zeroContour(values, axis);
    for (let k = 0; k < segments.length; k += 2) expect(segments[k]).toBeCloseTo(0.01, 12);
  });
});
