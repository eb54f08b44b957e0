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
