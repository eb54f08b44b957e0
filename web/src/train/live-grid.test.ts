import { describe, expect, it } from "vitest";
import { gridAxis } from "../../../shared/metrics/boundary";
import { liveGrid } from "./live-grid";

describe("liveGrid", () => {
  it("evaluates the network on the figure grid in i*100 + j order", () => {
    // A 2-1-1 net computing relu(x1) + 0 = x1 for x1 > 0: W1 = [[1], [0]], b1 = [0], W2 = [[1]], b2 = [0].
    const grid = liveGrid({ layerSizes: [2, 1, 1] }, Float32Array.from([1, 0, 0, 1, 0]));
    const axis = gridAxis();
    expect(grid).toHaveLength(100 * 100);
    expect(grid[99 * 100 + 3]).toBeCloseTo(axis[99]!, 6);
    expect(grid[0 * 100 + 50]).toBe(0);
  });
});
