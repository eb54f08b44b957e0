import { describe, expect, it } from "vitest";
import { gridAxis } from "../../../shared/metrics/boundary";
import { bandColor } from "./colormap";
import { fieldPixels, frameOf, sampleGrid, toCanvas } from "./heatmap-draw";

describe("the figure's geometry", () => {
  it("maps [-2, 2]² onto the plot frame with x2 upwards", () => {
    const frame = frameOf(400, 1);
    expect(toCanvas(frame, -2, 2)).toEqual([frame.left, frame.top]);
    expect(toCanvas(frame, 2, -2)).toEqual([frame.left + frame.width, frame.top + frame.height]);
  });

  it("interpolates the grid (index i*100 + j = f(axis[i], axis[j])) and colours pixel centres", () => {
    const axis = gridAxis();
    const f = (x1: number, x2: number): number => x1 + 2 * x2;
    const grid = Float32Array.from({ length: 10_000 }, (_, k) => f(axis[Math.floor(k / 100)]!, axis[k % 100]!));
    expect(sampleGrid(grid, 0.3, -1.1)).toBeCloseTo(f(0.3, -1.1), 5);
    expect(sampleGrid(grid, 2, 2)).toBeCloseTo(f(2, 2), 5);
    // A 4×4 image: pixel (0, 0) is centred on (x1, x2) = (-1.5, 1.5), pixel (3, 3) on (1.5, -1.5).
    const pixels = fieldPixels(grid, 4, 4, 6);
    expect([...pixels.slice(0, 3)]).toEqual([...bandColor(f(-1.5, 1.5), 6)]);
    const last = 4 * 15;
    expect([...pixels.slice(last, last + 3)]).toEqual([...bandColor(f(1.5, -1.5), 6)]);
    expect(pixels[last + 3]).toBe(255);
  });
});
