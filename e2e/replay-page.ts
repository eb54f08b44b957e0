// The Replay page from a test's side: choose one protocol, ask for a segment, wait for the server's judgement.
import { expect, type Page } from "@playwright/test";

/** Replays one drawn segment of `protocolId` on /replay (wasm); resolves with whether it agreed, the segment's label and the deviation shown. */
export async function replayOneSegment(page: Page, protocolId: string, timeout = 240_000): Promise<{ agrees: boolean; label: string; deviation: string }> {
  await page.goto("/replay?backend=wasm", { waitUntil: "domcontentloaded" });
  const boxes = page.locator('[data-testid^="replay-protocol-"]');
  await expect(boxes.first()).toBeVisible();
  for (const box of await boxes.all()) await box.setChecked((await box.getAttribute("data-testid")) === `replay-protocol-${protocolId}`);
  await page.getByTestId("replay-start").click();
  const outcome = page.getByTestId("replay-outcome");
  await expect(outcome).toBeVisible({ timeout });
  return {
    agrees: (await outcome.getAttribute("data-agrees")) === "true",
    label: (await page.getByTestId("replay-segment").textContent()) ?? "",
    deviation: (await page.getByTestId("replay-deviation").textContent()) ?? "",
  };
}
