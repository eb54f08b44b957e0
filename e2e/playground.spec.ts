// The playground: a few exact steps, play, pause, "Save & share", and the shared link, which shows the
// saved boundary, the server's metrics and that explorations never count on the leaderboard.
import { expect, test } from "@playwright/test";

test("the playground steps, plays, pauses, saves and opens the shared link", async ({ page }) => {
  await page.goto("/playground?margin=0.1&reg=sd&lambda=0.003&lr=0.01&seed=0");
  const status = page.getByTestId("playground-status");
  await expect(status).toHaveAttribute("data-status", "paused", { timeout: 60_000 });
  await expect(status).toHaveAttribute("data-step", "0");
  await expect(page.getByTestId("playground-heatmap")).toHaveAttribute("data-has-grid", "true");
  await expect(page.getByTestId("save-button")).toBeDisabled();

  await page.getByTestId("step-button").click();
  await expect(status).toHaveAttribute("data-step", "10");
  await expect(status).toHaveAttribute("data-status", "paused");

  await page.getByTestId("play-button").click();
  await expect(status).toHaveAttribute("data-status", "playing");
  await expect.poll(async () => Number(await status.getAttribute("data-step")), { timeout: 60_000 }).toBeGreaterThan(60);
  await page.getByTestId("play-button").click();
  await expect(status).toHaveAttribute("data-status", "paused");
  const steps = Number(await status.getAttribute("data-step"));
  // Paused means paused: the step count stays put.
  await page.waitForTimeout(500);
  await expect(status).toHaveAttribute("data-step", String(steps));
  await expect(page.getByTestId("playground-features")).toHaveAttribute("data-series", "2");

  await page.getByTestId("exploration-title").fill("SD <curves> & the gap");
  await page.getByTestId("save-button").click();
  const link = page.getByTestId("exploration-link");
  await expect(link).toBeVisible({ timeout: 30_000 });
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/playground\?exploration=ex_[0-9a-f-]{36}$/);

  await page.goto(href!);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("SD <curves> & the gap");
  await expect(page.getByTestId("exploration-note")).toContainText("never counts toward any protocol's leaderboard");
  await expect(page.getByTestId("exploration-steps")).toHaveText(steps.toLocaleString("en-US"));
  await expect(page.getByTestId("exploration-heatmap")).toHaveAttribute("data-has-grid", "true");
  await expect(page.getByTestId("exploration-metrics").locator("tbody tr")).toHaveCount(5);
  await expect(page.getByTestId("exploration-metrics").locator('tr[data-metric="trainAccuracy"] td')).toHaveText("1.000");
  await page.getByTestId("train-these-settings").click();
  await expect(page).toHaveURL(/\/playground\?margin=0.1&reg=sd&lambda=0.003&lr=0.01&seed=0$/);
});
