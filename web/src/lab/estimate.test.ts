import { describe, expect, it } from "vitest";
import { CMNIST_REDUCED_PROTOCOLS, cmnistErm, cmnistSd } from "../../../shared/protocols/colored-mnist";
import { moonsProtocol } from "../../../shared/protocols/registry";
import { gpuNote, isLongRun, needsGpu, projectionSentence, roughSentence, runLengthWords, runMsAt, cpuRate, CPU_RATE, FUSED_CPU_RATE } from "./estimate";

const reducedSd = CMNIST_REDUCED_PROTOCOLS.find((p) => p.id === "cmnist-sd-reduced")!;

describe("run estimates", () => {
  it("knows which runs are long and which need a GPU", () => {
    expect(isLongRun(moonsProtocol("fig3-deeper"))).toBe(true);
    expect(isLongRun(moonsProtocol("fig3-longer"))).toBe(true);
    expect(isLongRun(moonsProtocol("fig3-none"))).toBe(false);
    expect(needsGpu(moonsProtocol("fig3-deeper"))).toBe(true);
    expect(needsGpu(moonsProtocol("fig3-longer"))).toBe(false);
  });

  it("says how long in time, from the arithmetic, before anything is timed", () => {
    // 62 GFLOP per ERM step at 30 GFLOP/s: about 2 s a step, as measured on wasm.
    expect(runMsAt(cmnistErm, CPU_RATE) / cmnistErm.training.steps).toBeCloseTo(2079, -1);
    expect(roughSentence(cmnistSd)).toBe("≈ 1 h 10 min on a typical CPU (wasm), ≈ 2 min on a GPU, going by the arithmetic (≈62 GFLOP per step, 2,001 steps).");
    // The 2-H-1 nets train on the fused kernel, with no per-op floor; a small network gains little from a GPU: none is named.
    expect(cpuRate(moonsProtocol("fig1-margin-pos"))).toBe(FUSED_CPU_RATE);
    expect(roughSentence(moonsProtocol("fig1-margin-pos"))).toBe("under a second on a typical CPU (wasm), going by the arithmetic (≈2.7 MFLOP per step, 1,000 steps).");
    // fig3-longer: 100,000 steps of 2.7 MFLOP at ≈ 10,000 steps/s.
    expect(roughSentence(moonsProtocol("fig3-longer"))).toBe("≈ 9 s on a typical CPU (wasm), going by the arithmetic (≈2.7 MFLOP per step, 100,000 steps).");
    // The 5-layer net is tfjs ops, at their rate.
    expect(cpuRate(moonsProtocol("fig3-deeper"))).toBe(CPU_RATE);
    expect(roughSentence(moonsProtocol("fig3-deeper"))).toMatch(/^≈ 8 min on a typical CPU \(wasm\), ≈ 14 s on a GPU/);
  });

  it("projects a timing onto the whole run", () => {
    const sentence = projectionSentence(moonsProtocol("fig3-deeper"), { protocolId: "fig3-deeper", backend: "wasm", timedSteps: 20, msPerStep: 450 });
    expect(sentence).toBe("On wasm here: 450 ms per step (20 steps timed), so ≈ 1 h 15 min for 10,000 steps, plus a little for the live plots.");
    expect(projectionSentence(moonsProtocol("fig1-margin-pos"), { protocolId: "fig1-margin-pos", backend: "wasm", timedSteps: 200, msPerStep: 3.1 })).toContain(
      "3.10 ms per step (200 steps timed), so ≈ 3 s for 1,000 steps",
    );
  });

  it("introduces a run with words that fit its length: a reduced run is not a long one", () => {
    expect(runLengthWords(cmnistSd, null)).toBe("A long run");
    expect(runLengthWords(reducedSd, null)).toBe("A short run");
    expect(runLengthWords(reducedSd, { protocolId: reducedSd.id, backend: "cpu", timedSteps: 5, msPerStep: 2000 })).toBe("A run of a few minutes");
    expect(runLengthWords(moonsProtocol("fig3-deeper"), null)).toBe("A run of a few minutes");
  });

  it("notes what a GPU changes when a CPU takes over 15 minutes", () => {
    expect(gpuNote(cmnistSd, null)).toBe(
      "Needs a GPU: over 15 min on a CPU. Pick WebGPU or WebGL as the backend if this machine has one; otherwise you can still run it here, pausing when you like.",
    );
    expect(gpuNote(reducedSd, null)).toBeNull();
    const timedWasm = { protocolId: cmnistSd.id, backend: "wasm", timedSteps: 2, msPerStep: 2450 };
    expect(gpuNote(cmnistSd, timedWasm)).toMatch(/^Needs a GPU: a GPU would take about 2 min instead\. Pick/);
    // Timed on a GPU backend: fine when fast, suspicious when a CPU's pace.
    expect(gpuNote(cmnistSd, { ...timedWasm, backend: "webgpu", msPerStep: 40 })).toBeNull();
    expect(gpuNote(cmnistSd, { ...timedWasm, backend: "webgpu", msPerStep: 3000 })).toMatch(/^Even on webgpu this takes ≈ 1 h 40 min here/);
    // A fast CPU timing can clear a run the reference rate would flag.
    expect(gpuNote(cmnistErm, { protocolId: cmnistErm.id, backend: "wasm", timedSteps: 3, msPerStep: 500 })).toBeNull();
  });
});
