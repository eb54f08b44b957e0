// A newcomer's whole path: home → Lab → fig1-margin-pos on wasm → train → submit → accepted → the run is
// counted on the leaderboard and its page shows the claimed metrics equal to the server's recomputation and
// the trajectory segments the server replayed from the uploaded checkpoints.
import { expect, test } from "@playwright/test";

test("a newcomer trains fig1-margin-pos on wasm, submits, and finds the verified run on the leaderboard", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Gradient Starvation");
  await page.getByTestId("go-to-lab").click();
  await expect(page).toHaveURL(/\/lab$/);

  await page.getByTestId("protocol-select").selectOption("fig1-margin-pos");
  await page.getByTestId("backend-select").selectOption("wasm");
  await expect(page).toHaveURL(/protocol=fig1-margin-pos/);
  await expect(page).toHaveURL(/backend=wasm/);
  await expect(page.getByTestId("protocol-details")).toContainText("1,000 full-batch steps");

  await page.getByTestId("train-button").click();
  // The server picks the seed and the page puts it into the URL.
  await expect(page).toHaveURL(/seed=\d+/);
  await expect(page.getByTestId("backend-in-use")).toHaveText("wasm");
  await expect(page.getByTestId("heatmap")).toHaveAttribute("data-has-grid", "true", { timeout: 60_000 });

  const submit = page.getByTestId("submit-button");
  await expect(submit).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId("progress")).toHaveAttribute("value", "1000");
  const progressText = await page.getByTestId("progress-text").innerText();
  console.log(`[newcomer] ${progressText}`);
  await expect(page.getByTestId("local-verdict")).toHaveAttribute("data-status", "accepted");
  await expect(page.getByTestId("run-metrics").locator("tbody tr")).toHaveCount(5);

  await submit.click();
  const outcome = page.getByTestId("verification-outcome");
  await expect(outcome).toHaveAttribute("data-status", "accepted", { timeout: 60_000 });
  await expect(outcome).toContainText("Accepted");
  const runHref = await page.getByTestId("run-link").getAttribute("href");
  expect(runHref).toMatch(/^\/runs\/run_[0-9a-f-]{36}$/);
  const runId = runHref!.split("/").pop()!;

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leaderboard" }).click();
  const row = page.locator('[data-testid="leaderboard-row"][data-protocol="fig1-margin-pos"]');
  await expect(row).toBeVisible();
  expect(Number(await row.getByTestId("entry-runs").innerText())).toBeGreaterThanOrEqual(1);

  await row.getByRole("link", { name: /small gap/ }).first().click();
  await expect(page).toHaveURL(/\/leaderboard\/fig1-margin-pos$/);
  await expect(page.locator(`[data-testid="run-row"][data-run="${runId}"]`)).toBeVisible();
  // Its trajectory checkpoints were uploaded and segments of them replayed by the server.
  await expect(page.locator(`[data-testid="run-row"][data-run="${runId}"]`).getByTestId("run-trust")).toHaveAttribute("data-trust", "replayed");
  await expect(page.getByTestId("board-heatmap")).toHaveAttribute("data-has-grid", "true");

  await page.locator(`[data-testid="run-row"][data-run="${runId}"]`).getByRole("link", { name: "run", exact: true }).click();
  await expect(page).toHaveURL(runHref!);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "accepted");
  const table = page.getByTestId("claimed-vs-recomputed");
  await expect(table.locator("tbody tr")).toHaveCount(5);
  for (const metricRow of await table.locator("tbody tr").all()) {
    const claimed = await metricRow.locator('td[data-column="Claimed"]').innerText();
    const recomputed = await metricRow.locator('td[data-column="Recomputed by the server"]').innerText();
    expect(claimed).toBe(recomputed);
    await expect(metricRow.getByTestId("metric-match")).toContainText("✓");
  }
  await expect(page.getByTestId("run-environment")).toContainText("wasm");

  // The trajectory: 10 segments of 100 steps, every one replayed by the server, whoever submits.
  const cells = page.getByTestId("trajectory-strip").getByTestId("trajectory-cell");
  await expect(cells).toHaveCount(10);
  await expect(page.getByTestId("trajectory-strip").locator('[data-replayed="true"]')).toHaveCount(10);
  await expect(cells.last()).toHaveAttribute("data-replayed", "true");
  console.log(`[newcomer] largest replay deviation: ${await page.getByTestId("trajectory-deviation").innerText()}`);
  const checkpoints = await page.request.get(`/api/runs/${runId}/checkpoints`);
  expect(checkpoints.status()).toBe(200);
  expect((await checkpoints.body()).byteLength).toBe(9 * 4002 * 4);
});
