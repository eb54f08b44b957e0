import { describe, expect, it } from "vitest";
import { stackRows, stripDomain, stripLayout, STRIP_DEFAULTS } from "./strip-plot-draw";

const point = (seed: number, value: number, excluded = false) => ({ seed, value, excluded });

describe("stripDomain", () => {
  it("covers the points, the mean ± std and the paper's value ± std, padded", () => {
    const domain = stripDomain({ points: [point(0, 1), point(1, 2)], stat: { mean: 1.5, std: 0.5 }, paper: { value: 3, std: 1 } });
    expect(domain.min).toBeCloseTo(1 - 0.08 * 3);
    expect(domain.max).toBeCloseTo(4 + 0.08 * 3);
  });

  it("widens a single value and falls back to [0, 1] with nothing to draw", () => {
    expect(stripDomain({ points: [point(0, 2)], stat: { mean: 2, std: 0 }, paper: null })).toEqual({ min: 1.9, max: 2.1 });
    expect(stripDomain({ points: [point(0, 0)], stat: null, paper: null })).toEqual({ min: -0.5, max: 0.5 });
    expect(stripDomain({ points: [], stat: null, paper: null })).toEqual({ min: 0, max: 1 });
  });
});

describe("stackRows", () => {
  it("keeps apart dots on one line, stacks overlapping ones outwards from the centre", () => {
    expect(stackRows([0, 10, 20], 8, 3)).toEqual([0, 0, 0]);
    expect(stackRows([5, 5, 5, 5], 8, 3)).toEqual([0, 1, -1, 2]);
    // Input order does not matter: dots are placed in value order.
    expect(stackRows([9, 0, 4], 8, 3)).toEqual([0, 0, 1]);
  });

  it("puts dots past the row limit in the outermost row (bounded height)", () => {
    const rows = stackRows(new Array(20).fill(1), 8, 2);
    expect(Math.max(...rows.map(Math.abs))).toBe(2);
    expect(rows.filter((r) => r === -2)).toHaveLength(16);
  });
});

describe("stripLayout", () => {
  it("maps values onto the axis, with ticks inside it, the mean band and the paper's mark", () => {
    const layout = stripLayout({ points: [point(0, 0), point(1, 1), point(2, 0.5, true)], stat: { mean: 0.5, std: 0.25 }, paper: { value: 0.9, std: null } });
    const { inset, width } = STRIP_DEFAULTS;
    const x = (v: number) => inset + ((v - layout.min) / (layout.max - layout.min)) * (width - 2 * inset);
    expect(layout.dots.map((d) => [d.seed, d.x, d.row, d.excluded])).toEqual([
      [0, x(0), 0, false],
      [1, x(1), 0, false],
      [2, x(0.5), 0, true],
    ]);
    expect(layout.mean).toEqual({ x: x(0.5), from: x(0.25), to: x(0.75) });
    expect(layout.paper).toEqual({ x: x(0.9), from: x(0.9), to: x(0.9) });
    expect(layout.ticks.map((t) => t.value)).toEqual([0, 0.5, 1]);
    expect(layout.ticks.every((t) => t.x >= inset && t.x <= width - inset)).toBe(true);
    expect(layout.rows).toBe(0);
  });

  it("skips values that are not finite and reports how many rows the stacks take", () => {
    const layout = stripLayout({ points: [point(0, 1), point(1, 1), point(2, Number.NaN)], stat: null, paper: null });
    expect(layout.dots).toHaveLength(2);
    expect(layout.rows).toBe(1);
    expect(layout.mean).toBeNull();
    expect(layout.paper).toBeNull();
  });
});
