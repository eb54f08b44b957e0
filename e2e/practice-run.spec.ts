// A rerun link (protocol + seed in the URL, no workunit) offers a practice run: it trains and shows
// everything but cannot be submitted; a long run warns before the tab closes and can be cancelled.
import { expect, test, type Page } from "@playwright/test";

test("a rerun link trains a practice run that cannot be submitted", async ({ page }) => {
  await page.goto("/lab?protocol=fig1-margin-pos&backend=wasm&seed=5");
  await expect(page.getByTestId("protocol-select")).toHaveValue("fig1-margin-pos");
  await expect(page.getByTestId("backend-select")).toHaveValue("wasm");
  // The link says why its seed cannot count, before anything runs.
  await expect(page.getByTestId("practice-why")).toContainText("only seeds the server picks count");
  await page.getByTestId("practice-button").click();
  // Keyboard focus follows the run: to its heading when it starts, to the result when it ends.
  await expect(page.locator("#run-heading")).toBeFocused();
  await expect(page.getByTestId("run-seed")).toHaveText("5");
  await expect(page.getByTestId("backend-in-use")).toHaveText("wasm");
  await expect(page.getByTestId("practice-note")).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId("practice-note")).toContainText("cannot be submitted");
  await expect(page.locator("#result-heading")).toBeFocused();
  await expect(page.getByTestId("submit-button")).toHaveCount(0);
  await expect(page.getByTestId("run-metrics").locator("tbody tr")).toHaveCount(5);
  await expect(page.getByTestId("heatmap")).toHaveAttribute("data-step", "1000");
});

/** Whether the page's beforeunload handlers would ask before the tab is closed. */
const warnsBeforeUnload = (page: Page): Promise<boolean> =>
  page.evaluate(() => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });

test("training warns before the tab is closed, and can be cancelled", async ({ page }) => {
  // The 100,000-step run: on the fused kernel a 10,000-step run can finish (≈ 0.7 s) before the Cancel click lands.
  await page.goto("/lab?protocol=fig3-longer&backend=wasm&seed=1");
  expect(await warnsBeforeUnload(page)).toBe(false);
  await page.getByTestId("practice-button").click();
  await expect(page.getByTestId("progress")).not.toHaveAttribute("value", "0", { timeout: 60_000 });
  expect(await warnsBeforeUnload(page)).toBe(true);
  await page.getByTestId("cancel-button").click();
  await expect(page.getByTestId("cancelled")).toBeVisible();
  // No ETA left counting down after Cancel.
  await expect(page.getByTestId("progress-clock")).toContainText("cancelled after");
  await expect(page.getByTestId("cancel-button")).toHaveCount(0);
  expect(await warnsBeforeUnload(page)).toBe(false);
});
