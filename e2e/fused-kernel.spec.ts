// The fused two-moons kernels in the browser: on wasm the training worker loads the AssemblyScript kernel, on
// WebGPU (SwiftShader here) the WGSL one, and the benchmark's steps come from them, matching the server's float64
// replay; dropout, Adam, SD, weight decay and BatchNorm each.
import { expect, test } from "@playwright/test";

test("the wasm benchmark trains on the fused kernel and matches the server-side replay", async ({ page }) => {
  const failed: string[] = [];
  page.on("requestfailed", (request) => failed.push(request.url()));
  await page.goto("/bench?backend=wasm&steps=400");
  const status = page.getByTestId("bench-status");
  await expect(status).toHaveAttribute("data-status", /done|error/, { timeout: 60_000 });
  expect(await status.getAttribute("data-status"), await status.innerText()).toBe("done");
  await expect(page.getByTestId("bench-backend")).toHaveText("wasm");
  await expect(page.getByTestId("bench-engine")).toHaveAttribute("data-value", "fused");
  await expect(page.getByTestId("bench-finite")).toHaveText("yes");
  await expect(page.getByTestId("bench-replay-match")).toHaveText("yes");
  expect(Number(await page.getByTestId("bench-max-diff").getAttribute("data-value"))).toBeLessThan(1e-5);
  const stepsPerSecond = Number(await page.getByTestId("bench-steps-per-second").getAttribute("data-value"));
  expect(stepsPerSecond).toBeGreaterThan(0);
  expect(failed).toEqual([]);
  console.log(`[fused] ${stepsPerSecond.toFixed(0)} steps/s in headless Chromium`);
});

for (const backend of ["wasm", "webgpu"] as const) {
  for (const protocol of ["fig3-dropout", "fig3-adam-large-lr", "fig2-margin-pos-sd", "fig3-weight-decay", "fig3-batchnorm"]) {
    test(`${protocol}'s first 20 steps on the fused ${backend} kernel match the float64 replay`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.goto(`/bench?backend=${backend}&steps=20&protocol=${protocol}`);
      const status = page.getByTestId("bench-status");
      await expect(status).toHaveAttribute("data-status", /done|error/, { timeout: 100_000 });
      expect(await status.getAttribute("data-status"), await status.innerText()).toBe("done");
      await expect(page.getByTestId("bench-engine")).toHaveAttribute("data-value", backend === "wasm" ? "fused" : "fused-webgpu");
      await expect(page.getByTestId("bench-replay-match")).toHaveText("yes");
      const result = JSON.parse((await page.getByTestId("bench-json").textContent()) ?? "{}") as { protocolId: string; losses: number[]; maxAbsDiff: number };
      expect(result.protocolId).toBe(protocol);
      expect(result.losses).toHaveLength(20);
      expect(result.maxAbsDiff).toBeLessThan(1e-5);
      console.log(`[fused ${backend}] ${protocol}: max |float32 - float64 replay| over 20 steps = ${result.maxAbsDiff.toExponential(2)}`);
    });
  }
}

test("BatchNorm trained on the fused WebGPU kernel ends where the fused wasm kernel does: weights, running statistics, evaluation loss", async ({ page }) => {
  test.setTimeout(120_000);
  const run = async (backend: "wasm" | "webgpu") => {
    await page.goto(`/bench?backend=${backend}&steps=50&protocol=fig3-batchnorm`);
    const status = page.getByTestId("bench-status");
    await expect(status).toHaveAttribute("data-status", /done|error/, { timeout: 100_000 });
    expect(await status.getAttribute("data-status"), await status.innerText()).toBe("done");
    await expect(page.getByTestId("bench-engine")).toHaveAttribute("data-value", backend === "wasm" ? "fused" : "fused-webgpu");
    return JSON.parse((await page.getByTestId("bench-json").textContent()) ?? "{}") as { weights: number[]; evaluationLoss: number };
  };
  const wasm = await run("wasm");
  const webgpu = await run("webgpu");
  // 2-500-1 with BatchNorm: W1 (1,000), b1, gamma, beta, W2 (500 each), b2, then the running mean and variance.
  const H = 500;
  expect(webgpu.weights).toHaveLength(8 * H + 1);
  const gap = (from: number, to: number): number => {
    let worst = 0;
    for (let k = from; k < to; k++) worst = Math.max(worst, Math.abs(webgpu.weights[k]! - wasm.weights[k]!) / Math.max(1e-3, Math.abs(wasm.weights[k]!)));
    return worst;
  };
  const initial = { mean: 0, var: 1 };
  // The running statistics moved off their initial values (0 and 1), alike on both kernels.
  expect(wasm.weights.slice(6 * H + 1, 7 * H + 1).some((m) => Math.abs(m - initial.mean) > 1e-3)).toBe(true);
  expect(wasm.weights.slice(7 * H + 1).some((v) => Math.abs(v - initial.var) > 1e-3)).toBe(true);
  const [trainable, running] = [gap(0, 6 * H + 1), gap(6 * H + 1, 8 * H + 1)];
  const lossGap = Math.abs(webgpu.evaluationLoss - wasm.evaluationLoss) / Math.abs(wasm.evaluationLoss);
  console.log(`[fused webgpu vs wasm] fig3-batchnorm, 50 steps: trainable ${trainable.toExponential(2)}, running statistics ${running.toExponential(2)}, evaluation loss ${lossGap.toExponential(2)} (relative)`);
  expect(trainable).toBeLessThan(1e-4);
  expect(running).toBeLessThan(1e-4);
  expect(lossGap).toBeLessThan(1e-5);
});

test("a trajectory segment replayed on the fused WebGPU kernel, from a checkpoint's weights and optimiser state, agrees with the run and the float64 replay", async ({ page }) => {
  test.setTimeout(200_000);
  await page.goto("/bench?mode=replay&backend=webgpu&seeds=0&segments=1");
  await expect(page.getByTestId("bench-status")).toHaveAttribute("data-status", /done|error/, { timeout: 180_000 });
  expect(await page.getByTestId("bench-status").getAttribute("data-status"), await page.getByTestId("bench-status").innerText()).toBe("done");
  const rows = page.getByTestId("bench-replay-row");
  expect(await rows.count()).toBeGreaterThan(0);
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute("data-rejected", "0");
    expect(Number(await row.getAttribute("data-max"))).toBeLessThan(1e-3);
  }
  const raw = JSON.parse((await page.getByTestId("bench-replay-json").textContent())!) as { measurements: Array<{ replayedOn: string; deviation?: number }> };
  console.log(`[fused webgpu] segment replays: ${raw.measurements.map((m) => m.replayedOn).join(", ")}`);
});
