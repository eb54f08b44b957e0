import { describe, expect, it } from "vitest";
import { moonsProtocol } from "../../../shared/protocols/registry";
import { arithmeticSentence, isLongRun, needsGpu, projectionSentence } from "./estimate";

describe("run estimates", () => {
  it("knows which runs are long and which need a GPU", () => {
    expect(isLongRun(moonsProtocol("fig3-deeper"))).toBe(true);
    expect(isLongRun(moonsProtocol("fig3-longer"))).toBe(true);
    expect(isLongRun(moonsProtocol("fig3-none"))).toBe(false);
    expect(needsGpu(moonsProtocol("fig3-deeper"))).toBe(true);
    expect(needsGpu(moonsProtocol("fig3-longer"))).toBe(false);
  });

  it("states the arithmetic and projects a timing onto the whole run", () => {
    expect(arithmeticSentence(moonsProtocol("fig3-deeper"))).toBe("≈1.4 GFLOP per step, 14 TFLOP for the 10,000 steps.");
    const sentence = projectionSentence(moonsProtocol("fig3-deeper"), { protocolId: "fig3-deeper", backend: "wasm", timedSteps: 20, msPerStep: 450 });
    expect(sentence).toBe("On wasm here: 450 ms per step (20 steps timed), so about 1 h 15 min for 10,000 steps, plus a little for the live plots.");
    expect(
      projectionSentence(moonsProtocol("fig1-margin-pos"), { protocolId: "fig1-margin-pos", backend: "wasm", timedSteps: 200, msPerStep: 3.1 }),
    ).toContain("3.10 ms per step (200 steps timed), so about 3.1 s for 1,000 steps");
  });
});
