// The pages are cross-origin isolated (COOP + COEP from web/public/_headers), so the training worker runs tfjs-wasm's
// threaded SIMD build with a thread per core; the benchmark page still trains and matches the server's replay, the
// MNIST pack still downloads intact under COEP, and a cross-origin script without CORP (as Turnstile's) still loads.
import { expect, test } from "@playwright/test";
import { MNIST_PACK_MANIFEST } from "../shared/data/mnist-pack-manifest";

const TURNSTILE_SCRIPT = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";

test("every page is cross-origin isolated, wasm trains on its threaded SIMD build with every core, and the MNIST pack and a credentialless cross-origin script still load", async ({ page, request }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const home = await page.goto("/");
  const expectIsolating = (headers: Record<string, string>): void => {
    expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(headers["cross-origin-embedder-policy"]).toBe("credentialless");
  };
  expectIsolating(home!.headers());
  // A deep link (the single-page fallback), a built script and the workers' scripts carry the headers too.
  expectIsolating((await request.get("/leaderboard")).headers());
  const script = await page.locator('script[type="module"][src]').first().getAttribute("src");
  expectIsolating((await request.get(script!)).headers());
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  console.log(`[isolation] crossOriginIsolated, navigator.hardwareConcurrency = ${cores}`);

  // The benchmark page trains fig1 seed 0 on wasm in the training worker and checks its first losses against the server.
  await page.goto("/bench?backend=wasm&steps=300");
  const results = page.getByTestId("bench-results");
  await expect(results).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId("bench-backend")).toHaveText("wasm");
  await expect(page.getByTestId("bench-adapter")).toHaveText(cores > 1 ? `threaded SIMD build, ${cores} threads (cross-origin isolated)` : "SIMD build, 1 thread");
  await expect(page.getByTestId("bench-replay-match")).toHaveClass(/\bok\b/);
  console.log(`[isolation] fig1 on wasm: ${await page.getByTestId("bench-steps-per-second").innerText()} (${await page.getByTestId("bench-adapter").innerText()})`);

  // The MNIST pack under COEP: fetched by the page, the bytes and SHA-256 the manifest names.
  const pack = await page.evaluate(async (path) => {
    const response = await fetch(path);
    const bytes = await response.arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return { status: response.status, bytes: bytes.byteLength, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("") };
  }, MNIST_PACK_MANIFEST.path);
  expect(pack).toEqual({ status: 200, bytes: MNIST_PACK_MANIFEST.bytes, sha256: MNIST_PACK_MANIFEST.sha256 });

  // Turnstile's script under COEP credentialless: no internet here, so a stand-in answers for challenges.cloudflare.com
  // with no Cross-Origin-Resource-Policy header (require-corp would block it; credentialless lets it run).
  let requested = false;
  await page.route(TURNSTILE_SCRIPT, async (route) => {
    requested = true;
    await route.fulfill({ status: 200, contentType: "text/javascript", body: "window.__turnstileStandIn = true;" });
  });
  const loaded = await page.evaluate(
    (src) =>
      new Promise<boolean>((resolve) => {
        const element = document.createElement("script");
        element.src = src;
        element.onload = () => resolve((window as unknown as { __turnstileStandIn?: boolean }).__turnstileStandIn === true);
        element.onerror = () => resolve(false);
        document.head.append(element);
      }),
    TURNSTILE_SCRIPT,
  );
  expect(loaded).toBe(true);
  expect(requested).toBe(true);
  expect(errors).toEqual([]);
});
