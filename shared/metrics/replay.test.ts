import { describe, expect, it } from "vitest";
import { familyOf } from "../protocols/families";
import { findProtocol } from "../protocols/registry";
import reference from "../nn/fixtures/pytorch_reference.json";

describe("replayMoonsLosses", () => {
  // The fixture is the authors' PyTorch loop (float64) run from GS Lab's seeded start: agreement to
  // ~1e-12 shows the replay implements the same objective, momentum, weight decay and SD penalty.
  it.each(reference.cases.map((c) => [c.protocol, c.seed, c] as const))("%s seed %i equals PyTorch's SGD in float64", (id, seed, c) => {
    const protocol = findProtocol(id)!;
    const family = familyOf(protocol);
    const losses = family.replayLosses(protocol, family.dataset(protocol, seed), seed, 20);
    c.float64_first20.forEach((expected, step) => expect(losses[step]).toBeCloseTo(expected, 12));
  });

  it("depends on the seed strongly enough to tell runs apart", () => {
    const protocol = findProtocol("fig1-margin-pos")!;
    const family = familyOf(protocol);
    const a = family.replayLosses(protocol, family.dataset(protocol, 3), 3, 5);
    const b = family.replayLosses(protocol, family.dataset(protocol, 5), 5, 5);
    expect(Math.abs(a[0]! - b[0]!)).toBeGreaterThan(1e-3);
  });
});
