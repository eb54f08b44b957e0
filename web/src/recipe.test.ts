import { describe, expect, it } from "vitest";
import { findProtocol, moonsProtocol } from "../../shared/protocols/registry";
import type { ToyProtocol } from "../../shared/protocols/types";
import { cmnistErm, cmnistIrm, cmnistOracle, cmnistSd, reducedCmnistProtocol } from "../../shared/protocols/colored-mnist";
import {
  cmnistFlopsPerStep,
  describeCmnistData,
  describeCmnistNetwork,
  describeCmnistObjective,
  describeData,
  describeNetwork,
  describeOptimizer,
  describeSd,
  describeSteps,
  describeToySolver,
  flopsPerStep,
  formatCoefficient,
  formatFlops,
} from "./recipe";

describe("recipes in words", () => {
  it("writes coefficients as the paper does", () => {
    expect(formatCoefficient(0.01)).toBe("0.01");
    expect(formatCoefficient(2e-4)).toBe("2e-4");
    expect(formatCoefficient(1e-8)).toBe("1e-8");
    expect(formatCoefficient(3e-3)).toBe("0.003");
    expect(formatCoefficient(0)).toBe("0");
  });

  it("names every optimiser setting", () => {
    expect(describeOptimizer(moonsProtocol("fig2-margin-pos").training.optimizer)).toBe("SGD, learning rate 0.01, momentum 0.9, weight decay 2e-4");
    expect(describeOptimizer(moonsProtocol("fig3-none").training.optimizer)).toBe("SGD, learning rate 0.01, momentum 0.9, no weight decay");
    expect(describeOptimizer(moonsProtocol("fig3-adam-small-lr").training.optimizer)).toBe("Adam, learning rate 1e-4, β = (0.9, 0.999), ε = 1e-8");
  });

  it("describes the Fig. 3 networks and data", () => {
    expect(describeNetwork(moonsProtocol("fig3-batchnorm").model)).toMatch(/^2–500–1 ReLU MLP, BatchNorm1d after fc1/);
    expect(describeNetwork(moonsProtocol("fig3-dropout").model)).toMatch(/dropout p = 0.7 on fc1's output before the ReLU/);
    expect(describeNetwork(moonsProtocol("fig3-deeper").model)).toBe("2–500–500–500–500–1 ReLU MLP");
    expect(describeData(moonsProtocol("fig3-rotated"))).toBe("300 two-moons points, noise 0.1, margin Δ = +0.1, rotated 45°");
    expect(describeData(moonsProtocol("fig1-margin-neg"))).toBe("300 two-moons points, noise 0.1, margin Δ = −0.1");
    expect(describeSd(0.003)).toBe("loss += 0.003·mean(ŷ²)");
    expect(describeSteps(moonsProtocol("fig3-longer"))).toBe("100,000 full-batch steps");
  });

  it("describes the toy solvers with the script's coefficients", () => {
    const toy = (id: string) => findProtocol(id) as ToyProtocol;
    expect(describeToySolver(toy("fig6-primal-wd"))).toContain("(0.5/C)·‖θ‖²");
    expect(describeToySolver(toy("fig6-primal-sd"))).toContain("(0.1/C)·Σŷ²");
    expect(describeToySolver(toy("fig6-dual"))).toContain("learning rate 3e-6");
    expect(describeSteps(toy("fig6-dual"))).toBe("5,000 steps for each of the 6 values of s1");
  });

  it("counts ≈1.4 GFLOP per step for the 5-layer net and ≈2.7 MFLOP for the paper's", () => {
    expect(formatFlops(flopsPerStep(moonsProtocol("fig3-deeper")))).toBe("1.4 GFLOP");
    expect(formatFlops(flopsPerStep(moonsProtocol("fig1-margin-pos")))).toBe("2.7 MFLOP");
  });

  it("describes Colored MNIST: ~62 GFLOP per full ERM step, the objective and the data a reduced run uses", () => {
    expect(formatFlops(cmnistFlopsPerStep(cmnistErm))).toBe("62 GFLOP");
    expect(describeCmnistNetwork(cmnistIrm)).toBe("392–390–390–1 ReLU MLP");
    expect(describeCmnistNetwork(cmnistOracle)).toBe("196–300–300–1 ReLU MLP");
    expect(describeCmnistObjective(cmnistSd)).toBe("BCE + 2e-5·mean(ŷ²) for 450 steps, then 2e-5·(BCE + mean(ŷ²))");
    expect(describeCmnistObjective(cmnistIrm)).toMatch(/IRMv1 penalty, weight 1 for 190 steps, then 91,257\.19 with the loss divided by it/);
    expect(describeCmnistData(cmnistErm)).toContain("2 × 25,000 images");
    expect(describeCmnistData(reducedCmnistProtocol(cmnistErm))).toContain("first 1,000 images of each training environment");
    expect(describeCmnistData(cmnistOracle)).toContain("grayscale");
  });
});
