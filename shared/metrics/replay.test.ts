import { describe, expect, it } from "vitest";
import { moonsProtocol } from "../protocols/registry";
import { twoMoonsFamily as family } from "../protocols/two-moons-family";
import reference from "../nn/fixtures/pytorch_reference.json";

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
