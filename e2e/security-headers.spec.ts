// The HTML pages and static assets carry the security headers of web/public/_headers (CSP, no framing, nosniff,
// Referrer-Policy), and a page still works under that CSP: no script or resource of it is blocked.
import { expect, test } from "@playwright/test";

const expectSecurityHeaders = (headers: Record<string, string>) => {
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toContain("script-src 'self' 'wasm-unsafe-eval' https://challenges.cloudflare.com blob:;");
  expect(headers["content-security-policy"]).toContain("frame-src https://challenges.cloudflare.com;");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
};

test("pages and assets are served with CSP, frame, nosniff and Referrer-Policy headers, and nothing on the page breaks the CSP", async ({ page, request }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const home = await page.goto("/");
  expectSecurityHeaders(home!.headers());
  // A deep link (served by the single-page fallback) and a built script.
  expectSecurityHeaders((await request.get("/leaderboard")).headers());
  const script = await page.locator('script[type="module"][src]').first().getAttribute("src");
  expectSecurityHeaders((await request.get(script!)).headers());
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leaderboard" }).click();
  await expect(page).toHaveURL(/\/leaderboard$/);
  expect(violations).toEqual([]);
});
