import { describe, expect, it } from "vitest";
import { fig6PrimalSd, fig6PrimalWeightDecay } from "../../../shared/protocols/toy";
import { toyRunEvidence } from "../../../shared/toy/family";
import { BLOG_CE_END_POINTS, BLOG_SD_RANGE, blogSchedule, colorOfS1, computeCurves, curvesFromSeries, endPoint } from "./toy-curves";

describe("Fig. 6 curves", () => {
  it("gives every s1 its own colour, neighbours far apart (s1 = 5 and 6 were red and brown)", () => {
    const colours = fig6PrimalSd.toy.s1Values.map(colorOfS1);
    expect(new Set(colours).size).toBe(6);
    const rgb = (hex: string): number[] => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
    const distance = (a: string, b: string): number => Math.hypot(...rgb(a).map((v, k) => v - rgb(b)[k]!));
    for (let k = 1; k < colours.length; k++) expect(distance(colours[k - 1]!, colours[k]!)).toBeGreaterThan(100);
    // The old pair, for the record: too close.
    expect(distance("#C53932", "#85584E")).toBeLessThan(100);
  });

  it("ends where a submitted run's series end", () => {
    const computed = computeCurves(fig6PrimalSd);
    const submitted = curvesFromSeries(fig6PrimalSd, toyRunEvidence(fig6PrimalSd).series);
    expect(submitted.map((c) => c.s1)).toEqual([2, 3, 4, 5, 6, 8]);
    computed.forEach((curve, k) => {
      const [a1, a2] = endPoint(curve);
      const [b1, b2] = endPoint(submitted[k]!);
      expect(Math.abs(a1 - b1)).toBeLessThan(1e-12);
      expect(Math.abs(a2 - b2)).toBeLessThan(1e-12);
    });
  });

  it("under SD ends inside the blog's range for every s1", () => {
    for (const curve of computeCurves(fig6PrimalSd)) {
      const [z1, z2] = endPoint(curve);
      expect(z1).toBeGreaterThan(BLOG_SD_RANGE.z1[0] - 0.01);
      expect(z2).toBeLessThan(BLOG_SD_RANGE.z2[1] + 0.01);
    }
  });

  it("matches the blog's CE end points only with the blog's schedule", () => {
    const script = computeCurves(fig6PrimalWeightDecay);
    const blog = computeCurves(blogSchedule(fig6PrimalWeightDecay));
    const s8 = (curves: ReturnType<typeof computeCurves>) => endPoint(curves.find((c) => c.s1 === 8)!);
    const [blogZ1, blogZ2] = BLOG_CE_END_POINTS.get(8)!;
    expect(Math.abs(s8(blog)[0] - blogZ1)).toBeLessThan(0.002);
    expect(Math.abs(s8(blog)[1] - blogZ2)).toBeLessThan(0.002);
    expect(Math.abs(s8(script)[1] - blogZ2)).toBeGreaterThan(0.05);
  });
});
