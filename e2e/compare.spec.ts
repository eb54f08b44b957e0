// Run pages and the run comparison in a real browser: two Fig. 1 runs (Δ = +0.1 and −0.1) trained on wasm in
// the Lab and a toy run, all verified by the server; a run page draws its loss history and boundary and offers
// its files with their exact sizes; /compare?runs=a,b shows the recipe diff, both loss histories on one chart,
// the metrics side by side and both boundaries; unknown, malformed and mixed-family runs are reported while the
// rest is still compared; and neither page scrolls sideways at 390 px.
import { expect, test, type Page } from "@playwright/test";
import { trainAndSubmit } from "./lab-run";

/** Whether anything in the page's main column reaches past the viewport (tables scroll inside their own boxes). */
async function mainOverflows(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const main = document.querySelector("main")!;
    return main.scrollWidth > main.clientWidth || main.getBoundingClientRect().right > window.innerWidth;
  });
}

test("a run page charts and offers its files, and /compare sets two runs side by side", async ({ page }) => {
  test.setTimeout(420_000);
  const positive = await trainAndSubmit(page, "fig1-margin-pos");
  const negative = await trainAndSubmit(page, "fig1-margin-neg");
  const toy = await trainAndSubmit(page, "fig6-primal-sd", null);

  // ---- the run page ----
  await page.goto(`/runs/${positive}`);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "accepted");
  await expect(page.getByTestId("protocol-details")).toContainText("1,000 full-batch steps");
  await expect(page.getByTestId("run-loss")).toHaveAttribute("data-points", "101");
  await expect(page.getByTestId("run-loss-plot")).toHaveAttribute("data-series", "1");
  await expect(page.getByTestId("run-boundary")).toHaveAttribute("data-has-grid", "true");

  const downloads = page.getByTestId("run-download");
  await expect(downloads).toHaveCount(3);
  const weights = page.locator('[data-testid="run-download"][data-kind="weights"]');
  await expect(weights).toHaveAttribute("data-available", "true");
  await expect(weights).toContainText("2,001 float32 values, 8.0 kB");
  const weightsLink = weights.getByRole("link");
  await expect(weightsLink).toHaveAttribute("download", `${positive}-weights.f32`);
  const weightsBody = await page.request.get((await weightsLink.getAttribute("href"))!);
  expect(weightsBody.status()).toBe(200);
  expect((await weightsBody.body()).byteLength).toBe(Number(await weights.getAttribute("data-bytes")));
  expect((await weightsBody.body()).byteLength).toBe(2001 * 4);
  // The browser really saves it under its name.
  const [download] = await Promise.all([page.waitForEvent("download"), weightsLink.click()]);
  expect(download.suggestedFilename()).toBe(`${positive}-weights.f32`);

  const checkpoints = page.locator('[data-testid="run-download"][data-kind="checkpoints"]');
  const checkpointsBody = await page.request.get((await checkpoints.getByRole("link").getAttribute("href"))!);
  expect((await checkpointsBody.body()).byteLength).toBe(Number(await checkpoints.getAttribute("data-bytes")));
  const evidence = page.locator('[data-testid="run-download"][data-kind="evidence"]');
  await expect(evidence).toContainText("101 losses");
  const evidenceBody = (await (await page.request.get((await evidence.getByRole("link").getAttribute("href"))!)).json()) as { lossHistory: number[] };
  expect(evidenceBody.lossHistory).toHaveLength(101);

  // ---- compare with… ----
  await page.getByTestId("compare-with").click();
  await expect(page).toHaveURL(`/compare?runs=${positive}`);
  await expect(page.getByTestId("compare-need-more")).toBeVisible();
  await page.getByTestId("compare-add-input").fill(`http://127.0.0.1/runs/${negative}`);
  await page.getByTestId("compare-add-input").press("Enter");
  await expect(page).toHaveURL(`/compare?runs=${positive},${negative}`);

  // The recipe diff shows only the differing rows: the protocol and the margin (and the seeds, where the server drew two).
  const differing = page.locator('[data-testid="recipe-row"]');
  await expect(page.locator('[data-testid="recipe-row"][data-key="data.margin"]')).toHaveAttribute("data-differs", "true");
  await expect(page.locator('[data-testid="recipe-row"][data-key="data.margin"] td')).toHaveText(["0.1", "-0.1"]);
  const shownKeys = await differing.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")));
  expect(shownKeys.filter((k) => k !== "seed")).toEqual(["protocol", "data.margin"]);
  await expect(page.locator('[data-testid="recipe-row"][data-differs="false"]')).toHaveCount(0);
  await page.getByTestId("recipe-show-all").check();
  await expect(page.locator('[data-testid="recipe-row"][data-key="training.steps"]')).toHaveAttribute("data-differs", "false");

  // Both loss histories on one chart, one legend entry each; metrics side by side; both boundaries.
  await expect(page.getByTestId("compare-loss-plot")).toHaveAttribute("data-series", "2");
  await expect(page.getByTestId("compare-loss").locator(".legend li")).toHaveCount(2);
  const metrics = page.getByTestId("compare-metrics");
  await expect(metrics.locator("tbody tr")).toHaveCount(5);
  await expect(metrics.locator('tr[data-metric="minMargin"]')).toHaveAttribute("data-direction", "higher");
  await expect(metrics.locator('tr[data-metric="minMargin"] td[data-best="true"]')).toHaveCount(1);
  await expect(metrics.locator('tr[data-metric="curvature"] td[data-best="true"]')).toHaveCount(0);
  await expect(page.getByTestId("compare-boundary")).toHaveCount(2);
  for (const boundary of await page.getByTestId("compare-boundary").all()) await expect(boundary).toHaveAttribute("data-has-grid", "true");

  // ---- unknown, malformed and mixed-family runs ----
  const unknown = "run_00000000-0000-4000-8000-000000000000";
  await page.goto(`/compare?runs=${positive},${negative},${toy},${unknown},not-a-run`);
  await expect(page.locator(`[data-testid="compare-run"][data-run="${unknown}"]`)).toHaveAttribute("data-ok", "false");
  await expect(page.locator(`[data-testid="compare-run"][data-run="${unknown}"]`)).toContainText("Not found");
  await expect(page.getByTestId("compare-malformed")).toContainText("not-a-run");
  await expect(page.getByTestId("compare-families")).toContainText("toy-dynamics");
  await expect(page.getByTestId("compare-toy-plot")).toBeVisible();
  await expect(page.getByTestId("compare-loss-plot")).toHaveAttribute("data-series", "2");
  await expect(page.getByTestId("compare-loss-missing")).toContainText("toy run records none");
  await page.locator(`[data-testid="compare-run"][data-run="${toy}"]`).getByTestId("compare-remove").click();
  await expect(page).toHaveURL(`/compare?runs=${positive},${negative},${unknown}`);
  await expect(page.getByTestId("compare-families")).toHaveCount(0);

  // ---- phone width ----
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/compare?runs=${positive},${negative},${toy}`);
  await expect(page.getByTestId("compare-boundary")).toHaveCount(2);
  expect(await mainOverflows(page)).toBe(false);
  await page.goto(`/runs/${negative}`);
  await expect(page.getByTestId("run-boundary")).toHaveAttribute("data-has-grid", "true");
  expect(await mainOverflows(page)).toBe(false);
});
