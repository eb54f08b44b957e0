import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { fusedOutputs, installMoonsKernel, moonsKernelRelaxed } from "../../shared/kernels/moons-kernel";
import { referenceReplaySegment, replaySegment } from "../../shared/metrics/replay";
import { moonsProtocol } from "../../shared/protocols/registry";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import { relativeGap } from "../../shared/testing/relative-gap";
import "./moons-kernel-node";

const build = (name: string) => new WebAssembly.Module(readFileSync(new URL(`../../shared/kernels/build/${name}`, import.meta.url)));

describe("the fused kernel's two builds in Node", () => {
  const relaxed = build("moons-relaxed.wasm");
  afterAll(() => installMoonsKernel(relaxed));

  it("installs the relaxed-SIMD build (the Worker's) on the Node versions the project supports", () => {
    expect(moonsKernelRelaxed()).toBe(true);
  });

  it("replays as the TypeScript reference does with either build (the baseline one is what browsers run)", () => {
    const protocol = moonsProtocol("fig1-margin-pos");
    const data = twoMoonsFamily.dataset(protocol, 2);
    const start = { step: 0, weights: twoMoonsFamily.initialWeights(protocol, 2), optimizerState: null };
    const reference = referenceReplaySegment(protocol, data, 2, start, 60);
    const ends = [
      [build("moons.wasm"), false],
      [relaxed, true],
    ].map(([module, isRelaxed]) => {
      installMoonsKernel(module as WebAssembly.Module);
      expect(moonsKernelRelaxed()).toBe(isRelaxed);
      return replaySegment(protocol, data, 2, start, 60);
    });
    for (const end of ends) {
      expect(relativeGap(reference.losses, end.losses)).toBeLessThan(1e-12);
      expect(relativeGap(reference.weights, end.weights)).toBeLessThan(1e-12);
    }
  });

  it("evaluates the metrics' forward pass bitwise alike in both builds (browser claims, the Worker's check)", () => {
    const protocol = moonsProtocol("fig3-dropout");
    const weights = twoMoonsFamily.initialWeights(protocol, 4);
    const grid = Float64Array.from({ length: 20_000 }, (_, k) => ((k * 7919) % 20_000) / 5_000 - 2);
    const outputs = [build("moons.wasm"), relaxed].map((module) => {
      installMoonsKernel(module);
      return Array.from(fusedOutputs(protocol.model, weights, grid));
    });
    expect(outputs[1]).toEqual(outputs[0]);
  });
});
