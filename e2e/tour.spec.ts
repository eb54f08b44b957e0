// The newcomer's tour: every page of the app, at a phone's width (390 px) and a laptop's (1280 px), with real
// verified runs so boards, run, compare and contributor pages have content. On each page: nothing scrolls
// sideways, nothing is logged as an error, no request fails but the 404s the tour asks for, and every
// interactive control can be reached with the Tab key. Add new routes to ROUTES.
import { expect, test, type Page } from "@playwright/test";
import { randomContributorKey, submitHonestRun } from "./honest-run";

/** A route of the app; {run}, {run2} and {contributor} stand for verified runs' ids and the first run's contributor. */
interface TourRoute {
  readonly path: string;
  /** API paths this page is expected to answer 404 for (a page about something that does not exist). */
  readonly expected404?: RegExp;
}

const MISSING_RUN = "run_00000000-0000-4000-8000-000000000000";

const ROUTES: readonly TourRoute[] = [
  { path: "/" },
  { path: "/lab" },
  { path: "/lab?protocol=fig2-sd&backend=wasm" },
  { path: "/lab?protocol=cmnist-erm" },
  { path: "/playground" },
  { path: "/leaderboard" },
  { path: "/leaderboard?backend=wasm&sort=metric:curvature&q=moons" },
  { path: "/leaderboard/fig1-margin-pos" },
  { path: "/leaderboard/fig1-margin-pos?sort=metric:curvature&order=asc" },
  { path: "/leaderboard/fig6-primal-sd" },
  { path: "/leaderboard/cmnist-erm" },
  { path: "/runs/{run}" },
  { path: `/runs/${MISSING_RUN}`, expected404: new RegExp(`/api/runs/${MISSING_RUN}`) },
  { path: "/compare?runs={run},{run2}" },
  { path: "/contributors/{contributor}" },
  { path: "/replay" },
  { path: "/bench" },
  { path: "/benchmarks" },
  { path: "/figures/fig2" },
  { path: "/figures/fig3" },
  { path: "/figures/table1" },
  { path: "/figures/fig4" },
  { path: "/figures/fig6" },
  { path: "/no-such-page" },
  // Served by the Worker itself, not the single-page app.
  { path: "/api/docs" },
];

const WIDTHS = [390, 1280] as const;

/** Visible, enabled controls a keyboard user must be able to reach (one per radio group), tagged with data-tour. */
async function tagControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const seenRadioGroups = new Set<string>();
    const tags: string[] = [];
    document.querySelectorAll<HTMLElement>(selector).forEach((element, k) => {
      if ((element as HTMLButtonElement).disabled || element.closest("[inert], [aria-hidden=true]")) return;
      if (element.getAttribute("tabindex") === "-1") return;
      const style = getComputedStyle(element);
      if (element.getClientRects().length === 0 || style.visibility === "hidden") return;
      if (element instanceof HTMLInputElement && element.type === "radio") {
        if (seenRadioGroups.has(element.name)) return;
        seenRadioGroups.add(element.name);
        document.querySelectorAll<HTMLInputElement>(`input[type=radio][name="${CSS.escape(element.name)}"]`).forEach((r) => (r.dataset.tour = `radio-${element.name}`));
        tags.push(`radio-${element.name}`);
        return;
      }
      element.dataset.tour = `c${k}`;
      tags.push(`c${k}`);
    });
    return tags;
  });
}

/** Presses Tab through the page: how many controls it has, and those Tab never reached (described for the failure message). */
async function keyboardReach(page: Page): Promise<{ controls: number; unreachable: string[] }> {
  const tags = await tagControls(page);
  const reached = new Set<string>();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let press = 0; press < tags.length + 15 && reached.size < tags.length; press++) {
    await page.keyboard.press("Tab");
    const tag = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.tour ?? null);
    if (tag) reached.add(tag);
  }
  const missing = tags.filter((t) => !reached.has(t));
  const unreachable = await page.evaluate(
    (list) => list.map((t) => { const e = document.querySelector<HTMLElement>(`[data-tour="${t}"]`); return e ? `${e.tagName.toLowerCase()} "${(e.textContent ?? e.getAttribute("aria-label") ?? "").trim().slice(0, 40)}"` : t; }),
    missing,
  );
  return { controls: tags.length, unreachable };
}

for (const width of WIDTHS) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: width < 600 ? 844 : 900 } });

    test(`every page fits, logs no error, loads without failed requests and can be used by keyboard (${width} px)`, async ({ page, request }) => {
      test.setTimeout(600_000);
      const key = randomContributorKey();
      const honest = { backend: "wasm" as const, trainMs: 5000, contributor: "A contributor with a longish name", contributorKey: key };
      const userAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
      const run = await submitHonestRun(request, { protocolId: "fig1-margin-pos", userAgent, ...honest });
      const run2 = await submitHonestRun(request, { protocolId: "fig1-margin-neg", userAgent, ...honest });

      const problems: string[] = [];
      let current: TourRoute = ROUTES[0]!;
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        // Chromium logs every 4xx as "Failed to load resource"; the response handler below judges those.
        if (/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
        problems.push(`${current.path}: console error: ${message.text().slice(0, 200)}`);
      });
      page.on("pageerror", (error) => problems.push(`${current.path}: uncaught: ${error.message.slice(0, 200)}`));
      page.on("response", (response) => {
        const url = new URL(response.url());
        if (response.status() < 400) return;
        if (response.status() === 404 && current.expected404?.test(url.pathname)) return;
        problems.push(`${current.path}: ${response.status()} for ${url.pathname}${url.search}`);
      });
      page.on("requestfailed", (failed) => {
        const reason = failed.failure()?.errorText ?? "";
        // Leaving a page cancels its pending requests: that is not a failure.
        if (reason.includes("ERR_ABORTED")) return;
        problems.push(`${current.path}: request failed (${reason}) ${failed.url()}`);
      });

      const widths: Record<string, number> = {};
      const controls: Record<string, number> = {};
      for (const route of ROUTES) {
        current = route;
        const path = route.path.replace("{run}", run.id).replace("{run2}", run2.id).replace("{contributor}", run.contributorId!);
        await page.goto(path, { waitUntil: "domcontentloaded" });
        await expect(page.locator("body > *").first(), path).toBeVisible();
        // Wait for the page's data: no "Loading …" left.
        await expect(page.locator("main [role=status]", { hasText: /^Loading/ }), path).toHaveCount(0, { timeout: 30_000 });
        await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
        widths[route.path] = await page.evaluate(() => document.documentElement.scrollWidth);
        const { controls: count, unreachable } = await keyboardReach(page);
        controls[route.path] = count;
        // Every page has at least the header's links: a page with fewer controls was not looked at.
        if (count < 5) problems.push(`${route.path}: only ${count} controls found`);
        if (unreachable.length > 0) problems.push(`${route.path}: not reachable by Tab: ${unreachable.slice(0, 5).join(", ")}${unreachable.length > 5 ? ` and ${unreachable.length - 5} more` : ""}`);
      }
      console.log(`[tour ${width}px] widths ${JSON.stringify(widths)}; controls reached by Tab ${JSON.stringify(controls)}`);
      expect(Object.entries(widths).filter(([, w]) => w > width), "pages wider than the viewport").toEqual([]);
      expect(problems).toEqual([]);

      // The navigation wraps: its last link is wholly inside the viewport.
      await page.goto("/leaderboard", { waitUntil: "domcontentloaded" });
      const last = page.getByRole("navigation", { name: "Main" }).getByRole("link").last();
      const box = (await last.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    });
  });
}
