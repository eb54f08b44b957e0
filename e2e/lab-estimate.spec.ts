// Before Start, a Colored-MNIST protocol says how long it will take: a rough figure in time from its arithmetic,
// "needs a GPU" past 15 minutes on a CPU, words that fit the run's length, and a timing of a few real steps of the
// run's trainer on this machine's backend ("Time it on this machine"), which keeps keyboard focus while it runs.
import { expect, test } from "@playwright/test";

test("a paper Colored-MNIST protocol says how long it takes and what a GPU changes, before Start", async ({ page }) => {
  await page.goto("/lab?protocol=cmnist-sd&backend=wasm");
  const estimate = page.getByTestId("run-estimate");
  await expect(estimate).toContainText(/How long\? ≈ 1 h \d+ min on a typical CPU \(wasm\), ≈ \d+ min on a GPU/);
  await expect(estimate).not.toContainText("e+");
  await expect(page.getByTestId("gpu-note")).toContainText("Needs a GPU");
  await expect(page.getByTestId("long-run-note")).toContainText(/^A long run: 2,001 full-batch Adam steps over 50,000 images/);
  await expect(page.getByTestId("estimate-button")).toHaveText("Time it on this machine");
});

test("a reduced run is introduced as short, and timing it on wasm projects real steps onto the run", async ({ page }) => {
  await page.goto("/lab?protocol=cmnist-sd-reduced&backend=wasm");
  await expect(page.getByTestId("long-run-note")).toContainText(/^A (short run|run of a few minutes):/);
  await expect(page.getByTestId("gpu-note")).toHaveCount(0);
  const button = page.getByTestId("estimate-button");
  await button.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("run-estimate")).toHaveAttribute("data-status", "running");
  await expect(button).toBeFocused();
  const result = page.getByTestId("estimate-result");
  await expect(result).toContainText(/^On wasm here: .* per step \(\d+ steps? timed\), so ≈ .* for 200 steps/, { timeout: 90_000 });
  expect(Number(await result.getAttribute("data-ms-per-step"))).toBeGreaterThan(0);
  await expect(button).toHaveText("Time it again");
  await expect(button).toBeFocused();
});
