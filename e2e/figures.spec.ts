// The figure pages render from whatever the leaderboard holds: Fig. 6's two panels computed live with its
// end-point tables, Fig. 3's ten panels under the claim's banner, Fig. 2's component picker in the URL and
// the kernel's spectrum computed in a worker; and the seed-batched benchmark reports its ratio.
import { expect, test } from "@playwright/test";

test("the Fig. 6 page draws both panels and the end points", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("figure-link-fig6").click();
  await expect(page).toHaveURL(/\/figures\/fig6$/);
  // Left: dual + CE (6 curves each); right: CE + SD.
  await expect(page.getByTestId("fig6-left")).toHaveAttribute("data-series", "12");
  await expect(page.getByTestId("fig6-right")).toHaveAttribute("data-series", "12");
  for (const panel of ["fig6-left", "fig6-right"]) {
    const box = await page.getByTestId(panel).boundingBox();
    expect(box!.width).toBeGreaterThan(200);
  }
  const ce = page.getByTestId("fig6-ce-table");
  await expect(ce.locator("tbody tr")).toHaveCount(4);
  // GS Lab's s1 = 8 end point (no verified run yet); then the blog's, and GS Lab's at the blog's schedule next to it.
  await expect(ce.locator('tr[data-s1="8"] td[data-metric="z2s8"]')).toHaveText(["0.903", "—"]);
  await expect(page.getByTestId("fig6-ce-blog-table").locator('tr[data-s1="8"] td[data-metric="z2s8"]')).toHaveText(["0.819", "0.820"]);
  await expect(page.getByTestId("fig6-sd-blog-table").locator('tr[data-s1="2"] td[data-metric="z1s2"]').first()).toHaveText("6.354–6.373");
});

test("the Fig. 3 page shows the ten variants and the claim's banner", async ({ page }) => {
  await page.goto("/figures/fig3");
  await expect(page.getByTestId("fig3-panel")).toHaveCount(10);
  await expect(page.getByTestId("fig3-banner")).toHaveAttribute("data-status", /holds|fails|pending/);
  await expect(page.getByTestId("fig3-banner")).toContainText("only Spectral Decoupling curves the boundary");
});

test("the Fig. 2 page keeps its components in the URL and computes the kernel's spectrum", async ({ page }) => {
  await page.goto("/figures/fig2");
  await expect(page.getByTestId("fig2-boundary")).toHaveCount(3);
  await page.getByTestId("component-select-1").selectOption("3");
  await expect(page).toHaveURL(/\/figures\/fig2\?k=1,3$/);
  await expect(page.getByTestId("fig2-spectrum")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
});

test("the benchmark compares seeds one at a time with seeds batched", async ({ page }) => {
  await page.goto("/bench?backend=wasm&steps=5&seeds=3&mode=compare");
  const status = page.getByTestId("bench-status");
  await expect(status).toHaveAttribute("data-status", /done|error/, { timeout: 60_000 });
  expect(await status.getAttribute("data-status"), await status.innerText()).toBe("done");
  for (const id of ["bench-sequential-rps", "bench-batched-rps", "bench-batch-ratio"]) {
    expect(Number(await page.getByTestId(id).getAttribute("data-value"))).toBeGreaterThan(0);
  }
  expect(Number(await page.getByTestId("bench-loss-diff").getAttribute("data-value"))).toBeLessThan(1e-5);
});

test("the replay-tolerance benchmark replays a segment on wasm and against the server's float64 replay", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/bench?mode=replay&backend=wasm&seeds=0&segments=1");
  await expect(page.getByTestId("bench-status")).toHaveAttribute("data-status", "done", { timeout: 100_000 });
  const rows = page.getByTestId("bench-replay-row");
  await expect(rows).toHaveCount(2); // wasm → wasm (its own run again) and wasm → float64
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute("data-rejected", "0");
    expect(Number(await row.getAttribute("data-max"))).toBeLessThan(1e-3);
  }
  const raw = JSON.parse((await page.getByTestId("bench-replay-json").textContent())!) as { measurements: Array<{ replayedOn: string }> };
  expect(raw.measurements.map((m) => m.replayedOn).sort()).toEqual(["float64", "wasm"]);
});
