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
  await expect(page.getByTestId("exploration-metrics").locator('tr[data-metric="trainAccuracy"] td')).toHaveText("100.0 %");
  // The explorations saved from this browser are listed on the playground.
  await page.goBack();
  await expect(page.getByTestId("saved-exploration").first()).toContainText("SD <curves> & the gap");
  await page.goForward();
  await page.getByTestId("train-these-settings").click();
  await expect(page).toHaveURL(/\/playground\?margin=0.1&reg=sd&lambda=0.003&lr=0.01&seed=0$/);
});

test("the playground shows an out-of-range value's error, and Back returns to the previous session where it was", async ({ page }) => {
  await page.goto("/playground?margin=0.1&reg=sd&lambda=0.003&lr=0.01&seed=0");
  const status = page.getByTestId("playground-status");
  await expect(status).toHaveAttribute("data-status", "paused", { timeout: 60_000 });
  await page.getByTestId("step-button").click();
  await expect(status).toHaveAttribute("data-step", "10");

  // Above the maximum: the field keeps what was typed and says why it is not used; nothing restarts.
  await page.getByTestId("lr-input").fill("1");
  await page.getByTestId("lr-input").press("Enter");
  await expect(page.getByTestId("lr-input")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("lr-hint")).toHaveText("The learning rate must be at most 0.5. Still using 0.01.");
  await expect(page.getByTestId("lr-input")).toHaveValue("1");
  await expect(page).toHaveURL(/lr=0\.01&/);
  await expect(status).toHaveAttribute("data-step", "10");

  // A valid change starts a new session, offers Undo, and Back returns to the old one at its step.
  await page.getByTestId("lr-input").fill("0.05");
  await page.getByTestId("lr-input").press("Enter");
  await expect(page).toHaveURL(/lr=0\.05&/);
  await expect(status).toHaveAttribute("data-step", "0");
  await expect(page.getByTestId("undo-note")).toContainText("paused at step 10");
  await page.goBack();
  await expect(page).toHaveURL(/lr=0\.01&/);
  await expect(status).toHaveAttribute("data-step", "10");
  await expect(page.getByTestId("lr-input")).toHaveValue("0.01");

  // Reset asks before it throws trained steps away.
  page.once("dialog", (dialog) => void dialog.dismiss());
  await page.getByTestId("reset-button").click();
  await expect(status).toHaveAttribute("data-step", "10");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByTestId("reset-button").click();
  await expect(status).toHaveAttribute("data-step", "0");

  // With no regulariser, λ is off and says why.
  await page.getByTestId("regularizer-select").selectOption("none");
  await expect(page.getByTestId("lambda-input")).toBeDisabled();
  await expect(page.getByTestId("lambda-hint")).toContainText("No regulariser is on");
});
