import { describe, expect, it } from "vitest";
import { mlpParams } from "../nn/mlp";
import { moonsProtocol } from "../protocols/registry";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import { softplus } from "./loss";
import { evaluateMoons } from "./two-moons";

const protocol = moonsProtocol("fig1-margin-pos");
const data = twoMoonsFamily.dataset(protocol, 0);
const params = mlpParams(protocol.model);

/** Weights of a net whose output is a + b·x1 + c·x2 (one hidden ReLU unit per sign, biased to stay on). */
function affineNet(a: number, b: number, c: number): Float32Array {
  const w = new Float32Array(params.reduce((n, p) => n + p.size, 0));
  const [W1, b1, W2, b2] = params;
  // unit 0 = relu(b·x1 + c·x2 + 10) , output = unit0 - 10 + a
  w[W1!.offset + 0] = b;
  w[W1!.offset + 500] = c;
  w[b1!.offset] = 10;
  w[W2!.offset] = 1;
  w[b2!.offset] = a - 10;
  return w;
}

describe("evaluateMoons", () => {
  it("scores a straight boundary x1 = 0 as zero curvature with the data's own margins", () => {
    const { metrics, grid } = evaluateMoons(protocol, data, affineNet(0, -1, 0));
    expect(metrics.curvature).toBeLessThan(1e-6);
    expect(metrics.trainAccuracy).toBe(1); // Δ = +0.1: class 1 sits at x1 < 0, class 0 at x1 > 0
    expect(metrics.minMargin).toBeGreaterThan(0.09); // every point is at least Δ = 0.1 (up to noise folding) away
    let nearest = Infinity;
    for (let i = 0; i < data.n; i++) nearest = Math.min(nearest, Math.abs(data.x[2 * i]!));
    expect(metrics.minMargin).toBeCloseTo(nearest, 6);
    expect(grid.length).toBe(100 * 100);
  });

  it("reports no margins, curvature 2 and chance accuracy for a constant network", () => {
    const { metrics } = evaluateMoons(protocol, data, affineNet(1, 0, 0));
    expect(metrics.meanMargin).toBeNull();
    expect(metrics.minMargin).toBeNull();
    expect(metrics.curvature).toBe(2);
    expect(metrics.trainAccuracy).toBe(0.5);
    expect(metrics.finalLoss).toBeCloseTo((softplus(-1) + softplus(1)) / 2, 6);
  });

  it("counts misclassified points with negative margins", () => {
    const { metrics } = evaluateMoons(protocol, data, affineNet(0, 1, 0)); // the same line, sides swapped
    expect(metrics.trainAccuracy).toBe(0);
    expect(metrics.minMargin).toBeLessThan(0);
    expect(metrics.meanMargin).toBeLessThan(0);
  });
});
