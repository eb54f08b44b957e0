import { describe, expect, it } from "vitest";
import { PEAK_FLOPS, timingProblem, WINDOW_SLACK_MS } from "./benchmark-bounds";

describe("timingProblem", () => {
  const work = (ms: number) => [{ what: "matmul product", flop: 2e9, ms }];

  it("accepts a time the backend can reach inside the observed window", () => {
    expect(timingProblem("wasm", work(100), 5_000)).toBeNull();
    expect(timingProblem("webgpu", work(0.01), 5_000)).toBeNull();
  });

  it("refuses more FLOP/s than the backend's ceiling", () => {
    // 2 GFLOP in 0.5 ms is 4 TFLOP/s: possible on a GPU, not on wasm.
    expect(timingProblem("webgpu", work(0.5), 5_000)).toBeNull();
    expect(timingProblem("wasm", work(0.5), 5_000)).toMatch(/4\.00 TFLOP\/s, more than any machine's wasm backend/);
    expect(timingProblem("cpu", work(2e9 / PEAK_FLOPS.cpu / 2 * 1000), 60_000)).toMatch(/cpu backend/);
  });

  it("refuses timings that add up to more than the time that passed", () => {
    expect(timingProblem("wasm", [...work(3_000), ...work(3_000)], 6_000 - WINDOW_SLACK_MS + 1000)).toBeNull();
    expect(timingProblem("wasm", [...work(3_000), ...work(3_000)], 4_000)).toMatch(/add up to 6000 ms, but only 4000 ms passed/);
  });

  it("refuses a time that is not positive", () => {
    expect(timingProblem("wasm", work(0), 5_000)).toMatch(/positive/);
  });

  it("keeps every CPU ceiling below 10 TFLOP/s and every GPU ceiling at 2 PFLOP/s", () => {
    expect(PEAK_FLOPS.wasm).toBeLessThan(1e13);
    expect(PEAK_FLOPS.cpu).toBeLessThan(PEAK_FLOPS.wasm);
    expect(PEAK_FLOPS.webgpu).toBe(2e15);
  });
});
