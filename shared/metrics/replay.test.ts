import { describe, expect, it } from "vitest";
import { moonsProtocol } from "../protocols/registry";
import { twoMoonsFamily as family } from "../protocols/two-moons-family";
import reference from "../nn/fixtures/pytorch_reference.json";
import { moonsLoss, moonsLossGradient, signedTargets } from "./loss";
import { backwardTrain, forwardTrain } from "./mlp-math";
import { twoLayerBatchNormGradient } from "./replay";

describe("replayMoonsLosses", () => {
  // The fixture is the authors' PyTorch loops (float64) run from GS Lab's seeded start: agreement to
  // ~1e-12 shows the replay implements the same objective, SGD (momentum, weight decay), Adam, SD penalty,
  // dropout (GS Lab's masks), BatchNorm in training mode and the deeper net.
  it.each(reference.cases.map((c) => [c.protocol, c.seed, c] as const))("%s seed %i equals PyTorch's training loop in float64", (id, seed, c) => {
    const protocol = moonsProtocol(id);
    const losses = family.replayLosses(protocol, family.dataset(protocol, seed), seed, 20);
    c.float64_first20.forEach((expected, step) => expect(Math.abs(losses[step]! - expected)).toBeLessThan(1e-11 * Math.max(1, expected)));
  });

  it("depends on the seed strongly enough to tell runs apart", () => {
    const protocol = moonsProtocol("fig1-margin-pos");
    const a = family.replayLosses(protocol, family.dataset(protocol, 3), 3, 5);
    const b = family.replayLosses(protocol, family.dataset(protocol, 5), 5, 5);
    expect(Math.abs(a[0]! - b[0]!)).toBeGreaterThan(1e-3);
  });
});

describe("the fused two-layer BatchNorm step", () => {
  it("gives the general passes' loss and gradient (fig3-batchnorm, from a checkpoint-like state)", () => {
    const protocol = moonsProtocol("fig3-batchnorm");
    const data = family.dataset(protocol, 2);
    const targets = signedTargets(data.y);
    // Away from the initial weights, so that BatchNorm's scale and shift are not their defaults.
    const theta = Float64Array.from(family.initialWeights(protocol, 2), (v, k) => v * (1 + 0.3 * Math.sin(k)) + 0.01 * Math.cos(3 * k));
    const fused = twoLayerBatchNormGradient(protocol.model, data.x, targets, 0.003)(theta);
    const trace = forwardTrain(protocol.model, theta, data.x, null);
    const general = backwardTrain(protocol.model, theta, trace, moonsLossGradient(trace.outputs, targets, 0.003), null);
    expect(fused.loss).toBeCloseTo(moonsLoss(trace.outputs, targets, 0.003), 12);
    const scale = Math.max(...general.map(Math.abs));
    expect(Math.max(...general.map((g, k) => Math.abs(g - fused.grad[k]!))) / scale).toBeLessThan(1e-12);
  });
});
