// The fused two-moons kernel in the browser: on wasm the training worker loads it and the benchmark's steps come
// from it, matching the server's float64 replay; the GPU backends keep tfjs ops (webgpu-smoke.spec.ts).
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
  for (const protocol of ["fig3-dropout", "fig3-adam-large-lr", "fig2-margin-pos-sd", "fig3-weight-decay"]) {
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
