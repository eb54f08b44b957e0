// Training one run in the Lab the way a contributor does — pick the protocol (and backend), train, check the
// local verdict, submit, wait for the server's — shared by the specs that need verified runs to exist.
import { expect, type Page } from "@playwright/test";

const RUN_HREF = /^\/runs\/(run_[0-9a-f-]{36})$/;

/** Trains and submits `protocolId` on `backend` (none for the toy model), and returns the verified run's id. */
export async function trainAndSubmit(page: Page, protocolId: string, backend: "wasm" | null = "wasm"): Promise<string> {
  await page.goto(backend ? `/lab?protocol=${protocolId}&backend=${backend}` : `/lab?protocol=${protocolId}`, { waitUntil: "domcontentloaded" });
  await page.getByTestId("train-button").click();
  const submit = page.getByTestId("submit-button");
  await expect(submit).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId("local-verdict")).toHaveAttribute("data-status", "accepted");
  await submit.click();
  await expect(page.getByTestId("verification-outcome")).toHaveAttribute("data-status", "accepted", { timeout: 60_000 });
  const href = (await page.getByTestId("run-link").getAttribute("href")) ?? "";
  expect(href).toMatch(RUN_HREF);
  return RUN_HREF.exec(href)![1]!;
}
