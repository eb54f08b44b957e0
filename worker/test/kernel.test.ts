import { describe, expect, it } from "vitest";
import "../app";
import { moonsKernelInstalled, moonsKernelRelaxed } from "../../shared/kernels/moons-kernel";
import { referenceReplaySegment, replaySegment } from "../../shared/metrics/replay";
import { moonsProtocol } from "../../shared/protocols/registry";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import { relativeGap } from "../../shared/testing/relative-gap";

describe("the fused kernel inside workerd", () => {
  it("is installed by the Worker's own modules (a static wasm import of the relaxed-SIMD build) and replays as the TypeScript reference does", () => {
    expect(moonsKernelInstalled()).toBe(true);
    expect(moonsKernelRelaxed()).toBe(true);
    for (const id of ["fig3-dropout", "fig1-margin-pos"]) {
      const protocol = moonsProtocol(id);
      const data = twoMoonsFamily.dataset(protocol, 6);
      const start = { step: 0, weights: twoMoonsFamily.initialWeights(protocol, 6), optimizerState: null };
      const fused = replaySegment(protocol, data, 6, start, 50);
      const reference = referenceReplaySegment(protocol, data, 6, start, 50);
      expect(relativeGap(fused.losses, reference.losses)).toBeLessThan(1e-12);
      expect(relativeGap(fused.weights, reference.weights)).toBeLessThan(1e-12);
    }
  });
});
