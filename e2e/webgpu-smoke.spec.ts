// WebGPU smoke test: three steps on the WebGPU backend (SwiftShader's fallback adapter on a CPU-only
// machine, about 150× slower than wasm, hence so few) give finite losses equal to the server's replay.
import { expect, test } from "@playwright/test";

test("the benchmark trains on WebGPU and matches the server-side replay", async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto("/bench?backend=webgpu&steps=3");
  const status = page.getByTestId("bench-status");
  await expect(status).toHaveAttribute("data-status", /done|error/, { timeout: 220_000 });
  expect(await status.getAttribute("data-status"), await status.innerText()).toBe("done");

  await expect(page.getByTestId("bench-backend")).toHaveText("webgpu");
  await expect(page.getByTestId("bench-engine")).toHaveAttribute("data-value", "fused-webgpu");
  await expect(page.getByTestId("bench-steps")).toHaveText("3");
  await expect(page.getByTestId("bench-finite")).toHaveText("yes");
  await expect(page.getByTestId("bench-replay-match")).toHaveText("yes");
  const maxDiff = Number(await page.getByTestId("bench-max-diff").getAttribute("data-value"));
  expect(maxDiff).toBeLessThan(1e-4);
  const result = JSON.parse((await page.getByTestId("bench-json").textContent()) ?? "{}") as { losses: number[]; adapter: string | null };
  expect(result.losses).toHaveLength(3);
  expect(result.losses.every(Number.isFinite)).toBe(true);
  console.log(`[webgpu] adapter: ${result.adapter}; max |tfjs - replay| = ${maxDiff.toExponential(2)}`);
});
