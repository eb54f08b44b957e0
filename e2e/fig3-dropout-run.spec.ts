// A Fig. 3 ablation end to end: fig3-dropout (dropout p = 0.7 on fc1, masks from the seed) trained for its
// 10,000 steps on wasm from the Lab, checked locally, submitted and verified by the server (which replays
// the first steps with the same dropout masks). About two minutes of training in headless Chromium on a
// 2-core machine, hence the long timeout.
import { expect, test } from "@playwright/test";

test("a Fig. 3 dropout run trains on wasm from the Lab and is verified", async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto("/lab?protocol=fig3-dropout&backend=wasm");
  await expect(page.getByTestId("protocol-select")).toHaveValue("fig3-dropout");
  await expect(page.getByTestId("protocol-details")).toContainText("dropout p = 0.7 on fc1's output before the ReLU");
  await expect(page.getByTestId("protocol-details")).toContainText("10,000 full-batch steps");
  await expect(page.getByTestId("run-estimate")).toContainText("MFLOP per step");

  const started = Date.now();
  await page.getByTestId("train-button").click();
  await expect(page).toHaveURL(/seed=\d+/);
  await expect(page.getByTestId("backend-in-use")).toHaveText("wasm");
  await expect(page.getByTestId("heatmap")).toHaveAttribute("data-has-grid", "true", { timeout: 60_000 });

  const submit = page.getByTestId("submit-button");
  await expect(submit).toBeVisible({ timeout: 560_000 });
  const trainedIn = Date.now() - started;
  await expect(page.getByTestId("progress")).toHaveAttribute("value", "10000");
  console.log(
    `[fig3-dropout] ${await page.getByTestId("progress-text").innerText()} (${(trainedIn / 1000).toFixed(0)} s from the click to a checked run)`,
  );
  await expect(page.getByTestId("local-verdict")).toHaveAttribute("data-status", "accepted");

  await submit.click();
  const outcome = page.getByTestId("verification-outcome");
  await expect(outcome).toHaveAttribute("data-status", "accepted", { timeout: 60_000 });
  await page.getByTestId("run-link").click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "accepted");
  await expect(page.getByTestId("claimed-vs-recomputed").getByTestId("metric-match")).toHaveText(Array(5).fill("✓ match"));

  // The run is drawn in its panel of the Fig. 3 grid.
  await page.goto("/figures/fig3");
  await expect(page.locator('[data-testid="fig3-panel"][data-protocol="fig3-dropout"]')).toHaveAttribute("data-seeds", "1");
});
