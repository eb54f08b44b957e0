// The leaderboard and a board as a reader uses them: three honest Fig. 3 baseline runs (two on wasm in Chrome, one on the
// cpu backend in Firefox, one contributor key) are submitted to the API; the leaderboard narrowed to the cpu
// backend through its URL counts only that run and keeps the facet over a reload and through Back; the board's
// runs sort by a column (the URL names the sort, the column's order changes), each metric's per-seed strip shows
// every seed, two ticked runs link to /compare, pages follow the keyset cursor, and the contributor's name links
// to their page by key.
import { expect, test, type Page } from "@playwright/test";
import { randomContributorKey, submitHonestRun } from "./honest-run";

// A protocol no other spec submits runs of (the e2e specs share one server): its board holds this spec's runs alone.
const PROTOCOL_ID = "fig3-none";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

const row = (page: Page) => page.locator(`[data-testid="leaderboard-row"][data-protocol="${PROTOCOL_ID}"]`);
const columnValues = async (page: Page, column: string): Promise<number[]> =>
  (await page.locator(`[data-testid="run-row"] td[data-column="${column}"]`).allInnerTexts()).map(Number);

test("the leaderboard keeps its facet in the URL, and a board sorts its runs", async ({ page, request }) => {
  const contributorKey = randomContributorKey();
  const runs = [];
  for (const [backend, userAgent, trainMs] of [
    ["wasm", CHROME, 4200],
    ["cpu", FIREFOX, 9100],
    ["wasm", CHROME, 3100],
  ] as const) {
    runs.push(await submitHonestRun(request, { protocolId: PROTOCOL_ID, backend, userAgent, trainMs, contributor: "e2e boards <b>", contributorKey }));
  }
  expect(new Set(runs.map((r) => r.seed)).size).toBe(3);

  // The facet through the URL, kept over a reload.
  await page.goto("/leaderboard?backend=cpu", { waitUntil: "domcontentloaded" });
  await expect(row(page)).toHaveAttribute("data-runs", "1");
  await expect(page.getByTestId("facet-select")).toHaveValue("backend=cpu");
  await page.reload({ waitUntil: "domcontentloaded" });
  await expect(page).toHaveURL(/\/leaderboard\?backend=cpu$/);
  await expect(page.getByTestId("facet-select")).toHaveValue("backend=cpu");
  await expect(row(page)).toHaveAttribute("data-runs", "1");

  // Choosing another facet is a new history entry; Back restores the previous one.
  await page.getByTestId("facet-select").selectOption("browser=chrome");
  await expect(page).toHaveURL(/\/leaderboard\?browser=chrome$/);
  await expect(row(page)).toHaveAttribute("data-runs", "2");
  await page.goBack();
  await expect(page).toHaveURL(/\/leaderboard\?backend=cpu$/);
  await expect(page.getByTestId("facet-select")).toHaveValue("backend=cpu");
  await expect(row(page)).toHaveAttribute("data-runs", "1");

  // Search and sort join the facet in the URL.
  await page.getByTestId("leaderboard-search").fill("no regularisation");
  await expect(page).toHaveURL(/q=no\+regularisation/);
  await expect(page.getByTestId("leaderboard-row")).toHaveCount(1);
  await expect(row(page)).toBeVisible();
  await page.getByTestId("leaderboard-sort").selectOption("runs");
  await expect(page).toHaveURL(/\/leaderboard\?backend=cpu&sort=runs&q=no\+regularisation$/);
  await page.goto("/leaderboard", { waitUntil: "domcontentloaded" });
  await expect(row(page)).toHaveAttribute("data-runs", "3");

  // The board: sort by seed, ascending then descending, through the column header.
  await row(page).getByRole("link", { name: /no regularisation/ }).click();
  await expect(page).toHaveURL(new RegExp(`/leaderboard/${PROTOCOL_ID}$`));
  await expect(page.getByTestId("run-row")).toHaveCount(3);
  const seeds = runs.map((r) => r.seed).sort((a, b) => a - b);
  await page.locator('[data-testid="sort-link"][data-sort="seed"]').click();
  await expect(page).toHaveURL(new RegExp(`/leaderboard/${PROTOCOL_ID}\\?sort=seed&order=asc$`));
  await expect.poll(() => columnValues(page, "seed")).toEqual(seeds);
  await page.locator('[data-testid="sort-link"][data-sort="seed"]').click();
  await expect(page).toHaveURL(/sort=seed$/);
  await expect.poll(() => columnValues(page, "seed")).toEqual([...seeds].reverse());
  await page.reload({ waitUntil: "domcontentloaded" });
  await expect.poll(() => columnValues(page, "seed")).toEqual([...seeds].reverse());

  // By a metric: the curvature column descends.
  await page.locator('[data-testid="sort-link"][data-sort="metric:curvature"]').click();
  await expect(page).toHaveURL(/sort=metric:curvature$/);
  const curvatures = runs.map((r) => Number(r.recomputed!.curvature!.toFixed(3))).sort((a, b) => b - a);
  await expect.poll(() => columnValues(page, "metric:curvature")).toEqual(curvatures);

  // The per-seed distribution: a strip per metric, every seed a dot; two ticked runs link to the comparison.
  await expect(page.locator('[data-testid="seed-strip"][data-metric="curvature"]')).toHaveAttribute("data-points", "3");
  const picks = page.getByTestId("compare-pick");
  await picks.nth(0).check();
  await picks.nth(2).check();
  const ids = await page.getByTestId("run-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-run")!));
  await expect(page.getByTestId("compare-selected")).toHaveAttribute("href", `/compare?runs=${ids[0]},${ids[2]}`);

  // Keyset pages: two runs a page, by seed; the next page holds the third; the previous-page link returns to the first.
  await page.getByTestId("page-size").selectOption("10");
  await expect(page).toHaveURL(/limit=10/);
  await page.goto(`/leaderboard/${PROTOCOL_ID}?sort=seed&order=asc&limit=2`, { waitUntil: "domcontentloaded" });
  await expect.poll(() => columnValues(page, "seed")).toEqual(seeds.slice(0, 2));
  await page.getByTestId("next-page").click();
  await expect(page).toHaveURL(/limit=2&cursor=[A-Za-z0-9_-]+$/);
  await expect.poll(() => columnValues(page, "seed")).toEqual(seeds.slice(2));
  await expect(page.getByTestId("next-page")).toHaveCount(0);
  await page.getByTestId("newer-page").click();
  await expect(page).toHaveURL(new RegExp(`/leaderboard/${PROTOCOL_ID}\\?sort=seed&order=asc&limit=2$`));
  await expect.poll(() => columnValues(page, "seed")).toEqual(seeds.slice(0, 2));

  // The contributor, by key: their name shown as text, their three runs listed.
  const contributorId = runs[0]!.contributorId!;
  await page.getByTestId("contributor-link").first().click();
  await expect(page).toHaveURL(`/contributors/${contributorId}`);
  await expect(page.getByTestId("contributor-names")).toHaveText("e2e boards <b>");
  await expect(page.getByTestId("run-row")).toHaveCount(3);
});
