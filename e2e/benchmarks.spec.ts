// The benchmark board end to end in headless Chromium: /bench runs nothing before Start; the suite on wasm runs,
// shows its table and is submitted; the server accepts it (float64 replay, recomputed rows, timing bounds); the
// board shows it in its adapter / backend row, filtered through the URL, and its own page opens; no page scrolls sideways at 390 px.
import { expect, test, type Page } from "@playwright/test";

const noSidewaysScroll = async (page: Page): Promise<void> => {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
};

test("a benchmark suite runs only on Start, is accepted and found on the board with its adapter", async ({ page }) => {
  test.setTimeout(240_000);
  const workunitRequests: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/benchmarks")) workunitRequests.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  await page.goto("/bench");
  await expect(page.getByTestId("suite-status")).toHaveAttribute("data-status", "idle");
  // Nothing runs before Start: no training worker, no benchmark workunit, and the single measurements are behind a button.
  await page.waitForTimeout(1500);
  expect(page.workers()).toHaveLength(0);
  expect(workunitRequests).toEqual([]);
  await expect(page.getByTestId("bench-tools")).toBeVisible();
  await expect(page.getByTestId("bench-status")).toHaveCount(0);

  for (const backend of ["webgpu", "webgl", "cpu"]) await page.getByTestId(`suite-backend-${backend}`).uncheck();
  await page.getByTestId("suite-start").click();
  const status = page.getByTestId("suite-status");
  await expect(status).toHaveAttribute("data-status", "running");
  await expect(status).toContainText("Backend 1 of 1: wasm");
  await expect(status).toHaveAttribute("data-status", "done", { timeout: 180_000 });
  expect(workunitRequests).toEqual(["POST /api/benchmarks/workunits"]);
  for (const item of ["moons-1", "moons-10", "cmnist", "matmul"]) {
    const value = Number(await page.getByTestId(`suite-wasm-${item}`).getAttribute("data-value"));
    expect(value, item).toBeGreaterThan(0);
  }
  const suiteRow = page.getByTestId("suite-row-wasm");
  const adapter = (await suiteRow.locator("td").first().innerText()).trim();
  expect(adapter).toMatch(/SIMD build/);
  console.log(`[benchmarks] wasm: ${await suiteRow.innerText()}`);

  await page.getByTestId("suite-submit").click();
  const board = page.getByTestId("suite-board-wasm");
  await expect(board).toContainText("accepted", { timeout: 30_000 });
  await noSidewaysScroll(page);

  await board.getByRole("link").click();
  await expect(page).toHaveURL(/\/benchmarks\/bm_[0-9a-f-]{36}$/);
  const resultUrl = page.url();
  await expect(page.getByTestId("result-backend")).toHaveText("wasm");
  await expect(page.getByTestId("result-adapter")).toContainText(adapter);
  await expect(page.getByTestId("result-agreement")).toContainText("float64 replay");

  // The board, filtered through its URL, has the result in its adapter / backend row; a reload keeps the filter.
  await page.goto("/benchmarks?backend=wasm&browser=chrome");
  await page.reload();
  await expect(page.getByTestId("filter-backend")).toHaveValue("wasm");
  const group = page.locator(`[data-testid="bench-group"][data-backend="wasm"][data-adapter="${adapter}"]`);
  await expect(group).toHaveCount(1);
  await expect(group).toContainText("no GPU");
  await expect(page.locator('[data-testid="agreement-row"][data-backend="wasm"][data-item="moons-1"]')).toHaveCount(1);
  await expect(page.getByTestId("bench-references")).toContainText("authors' PyTorch loop, 1 thread");
  if (process.env.BENCH_SCREENSHOTS) await page.screenshot({ path: `${process.env.BENCH_SCREENSHOTS}/board.png`, fullPage: true });
  await page.getByTestId("bench-result-link").first().click();
  await expect(page).toHaveURL(resultUrl);

  // A filter that excludes it: the row is gone.
  await page.goto("/benchmarks?backend=webgpu");
  await expect(page.getByTestId("bench-group")).toHaveCount(0);

  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/benchmarks", "/bench", new URL(resultUrl).pathname]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await noSidewaysScroll(page);
    if (process.env.BENCH_SCREENSHOTS) await page.screenshot({ path: `${process.env.BENCH_SCREENSHOTS}/${path.split("/").at(-1) || "root"}-390.png`, fullPage: true });
  }
});

test("a running suite can be cancelled, and nothing is submitted", async ({ page }) => {
  test.setTimeout(120_000);
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/benchmarks") posts.push(request.url());
  });
  await page.goto("/bench");
  for (const backend of ["webgpu", "webgl", "wasm"]) await page.getByTestId(`suite-backend-${backend}`).uncheck();
  await page.getByTestId("suite-start").click();
  const status = page.getByTestId("suite-status");
  // The cpu backend's 10-lane item takes seconds here: cancel while it trains.
  await expect(status).toContainText("Backend 1 of 1: cpu", { timeout: 30_000 });
  await page.getByTestId("suite-cancel").click();
  await expect(status).toHaveAttribute("data-status", "cancelled", { timeout: 20_000 });
  await expect(page.getByTestId("suite-submit")).toHaveCount(0);
  expect(posts).toEqual([]);
});

test("two submitted results are compared side by side from the board", async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto("/bench");
  for (const backend of ["webgpu", "webgl", "cpu"]) await page.getByTestId(`suite-backend-${backend}`).uncheck();
  const ids: string[] = [];
  for (let k = 0; k < 2; k++) {
    await page.getByTestId("suite-start").click();
    await expect(page.getByTestId("suite-status")).toHaveAttribute("data-status", "done", { timeout: 180_000 });
    await page.getByTestId("suite-submit").click();
    const link = page.getByTestId("suite-board-wasm").getByRole("link");
    await expect(link).toBeVisible({ timeout: 30_000 });
    ids.push((await link.getAttribute("href"))!.split("/").at(-1)!);
  }
  await page.goto("/benchmarks");
  for (const id of ids) await page.getByRole("checkbox", { name: `compare ${id}` }).check();
  await page.getByTestId("bench-compare-link").click();
  await expect(page).toHaveURL(new RegExp(`/benchmarks/compare\\?a=${ids[0]}&b=${ids[1]}$`));
  for (const item of ["moons-1", "moons-10", "cmnist", "matmul"]) await expect(page.getByTestId(`compare-ratio-${item}`)).toHaveText(/^\d+\.\d\d×$/);
  await page.setViewportSize({ width: 390, height: 844 });
  await noSidewaysScroll(page);
});

test("a software-emulated GPU backend is skipped unless asked for", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/bench");
  // Headless Chromium here has WebGPU only through SwiftShader's fallback adapter.
  for (const backend of ["webgl", "wasm", "cpu"]) await page.getByTestId(`suite-backend-${backend}`).uncheck();
  await page.getByTestId("suite-start").click();
  await expect(page.getByTestId("suite-status")).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  await expect(page.getByTestId("suite-row-webgpu")).toContainText(/skipped: .*software emulation|not run: .*WebGPU/);
  await expect(page.getByTestId("suite-submit")).toHaveCount(0);
});
