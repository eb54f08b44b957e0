// No page scrolls sideways on a phone: at 390 × 844 every route of the app is visited (with a real verified run,
// so boards, run and contributor pages have content) and the document must be no wider than the viewport. The
// header's navigation must wrap rather than clip its last link. Add new routes to ROUTES.
import { expect, test } from "@playwright/test";
import { randomContributorKey, submitHonestRun } from "./honest-run";

/** Every route of the app; {run} and {contributor} stand for a verified run's id and its contributor's id. */
const ROUTES = [
  "/",
  "/lab",
  "/lab?protocol=fig2-sd&backend=wasm",
  "/playground",
  "/leaderboard",
  "/leaderboard?backend=wasm&sort=metric:curvature&q=moons",
  "/leaderboard/fig1-margin-pos",
  "/leaderboard/fig1-margin-pos?sort=metric:curvature&order=asc",
  "/leaderboard/fig6-primal-sd",
  "/leaderboard/cmnist-erm",
  "/runs/{run}",
  "/contributors/{contributor}",
  "/replay",
  "/bench",
  "/figures/fig2",
  "/figures/fig3",
  "/figures/table1",
  "/figures/fig4",
  "/figures/fig6",
  "/no-such-page",
  // Served by the Worker itself, not the single-page app.
  "/api/docs",
] as const;

const WIDTH = 390;

test.use({ viewport: { width: WIDTH, height: 844 } });

test("no page scrolls sideways at 390 px", async ({ page, request }) => {
  test.setTimeout(300_000);
  const run = await submitHonestRun(request, {
    protocolId: "fig1-margin-pos",
    backend: "wasm",
    userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    trainMs: 5000,
    contributor: "A contributor with a longish name",
    contributorKey: randomContributorKey(),
  });
  const widths: Record<string, number> = {};
  for (const route of ROUTES) {
    const path = route.replace("{run}", run.id).replace("{contributor}", run.contributorId!);
    await page.goto(path, { waitUntil: "domcontentloaded" });
    await expect(page.locator("body > *").first(), path).toBeVisible();
    // Wait for the page's data: no "Loading …" left.
    await expect(page.locator("main [role=status]", { hasText: /^Loading/ }), path).toHaveCount(0, { timeout: 30_000 });
    widths[route] = await page.evaluate(() => document.documentElement.scrollWidth);
  }
  console.log(`[phone-width] ${JSON.stringify(widths)}`);
  expect(Object.entries(widths).filter(([, width]) => width > WIDTH)).toEqual([]);

  // The navigation wraps: its last link is wholly inside the viewport.
  await page.goto("/leaderboard", { waitUntil: "domcontentloaded" });
  const last = page.getByRole("navigation", { name: "Main" }).getByRole("link").last();
  const box = (await last.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);
});
