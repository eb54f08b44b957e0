// The API docs page in headless Chromium: readable at 390 px without sideways scrolling, and its download links
// give the CSV and JSON exports as attachments whose columns are the documented ones (shared/export-api.ts).
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { ExportDocumentSchema, exportColumns, metricKeysOf } from "../shared/export-api";
import { PROTOCOLS } from "../shared/protocols/registry";

const documented = exportColumns(metricKeysOf(PROTOCOLS)).map((c) => c.name);

test("the API docs page fits a phone, and its CSV and JSON downloads carry the documented columns", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/api/docs");
  await expect(page.getByRole("heading", { name: "GS Lab API" })).toBeVisible();
  await expect(page.locator("h3", { hasText: "/api/export/runs.csv" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  expect(csv.suggestedFilename()).toMatch(/^gslab-runs-all-\d{4}-\d{2}-\d{2}\.csv$/);
  const header = readFileSync((await csv.path())!, "utf8").split("\r\n")[0]!.split(",");
  expect(header).toEqual(documented);

  const [json] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-json").click()]);
  expect(json.suggestedFilename()).toMatch(/^gslab-runs-all-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = ExportDocumentSchema.parse(JSON.parse(readFileSync((await json.path())!, "utf8")));
  expect(exported.columns.map((c) => c.name)).toEqual(documented);
  expect(exported.citation.bibtex).toContain("Gradient Starvation");
  for (const run of exported.runs) expect(Object.keys(run)).toEqual(documented);
});
