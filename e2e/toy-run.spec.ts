// The toy model of Fig. 6 through the workunit flow: fig6-primal-sd computed at once in the browser (no
// backend), its trajectories drawn, checked locally, submitted with seed 0 and verified by the server's
// float64 recomputation; the verified end points then appear on the Fig. 6 page.
import { expect, test } from "@playwright/test";

test("a toy run (fig6-primal-sd) is computed, submitted and verified", async ({ page }) => {
  await page.goto("/lab?protocol=fig6-primal-sd");
  await expect(page.getByTestId("protocol-details")).toContainText("(0.1/C)·Σŷ² (Spectral Decoupling)");
  const started = Date.now();
  await page.getByTestId("train-button").click();
  await expect(page).toHaveURL(/seed=0/);
  await expect(page.getByTestId("toy-plot")).toHaveAttribute("data-series", "6", { timeout: 30_000 });
  await expect(page.getByTestId("run-seed")).toHaveText("0");
  await expect(page.getByTestId("backend-in-use")).toHaveText("cpu");
  await expect(page.getByTestId("local-verdict")).toHaveAttribute("data-status", "accepted");
  console.log(`[toy] computed and checked ${Date.now() - started} ms after the click`);
  // SD ends at the same point for every s1.
  // The run's own column comes first (then the board's mean).
  const endPoint = (s1: number) => page.getByTestId("run-metrics").locator(`tr[data-s1="${s1}"] td[data-metric="z2s${s1}"]`).first();
  await expect(endPoint(2)).toHaveText("1.708");
  await expect(endPoint(8)).toHaveText("1.708");

  await page.getByTestId("submit-button").click();
  const outcome = page.getByTestId("verification-outcome");
  await expect(outcome).toHaveAttribute("data-status", "accepted", { timeout: 30_000 });
  await expect(outcome).toContainText("recomputed every trajectory");

  await page.goto("/figures/fig6");
  const verified = page.getByTestId("fig6-sd-table").locator('tr[data-s1="8"] td[data-metric="z1s8"]').nth(1);
  await expect(verified).toHaveText("6.373");
});
