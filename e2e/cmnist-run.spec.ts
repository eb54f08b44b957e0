// A newcomer's Colored-MNIST run in headless Chromium: the reduced (shortened, labelled) ERM protocol on wasm —
// the MNIST pack downloaded with its terms shown, training paused (a checkpoint is kept), the page reloaded
// mid-run, the run resumed from its checkpoint (the pack now from the browser's cache), finished, checked
// locally, submitted and verified by the Worker (pending: counted nowhere yet), its trajectory segments replayed by three other browsers (keys
// with earned standing, other address blocks) on the Replay page, then found on the Table 1 page and probed for Fig. 4.
import { expect, test } from "@playwright/test";
import { earnedReplayer } from "./earned-replayer";
import { replayOneSegment } from "./replay-page";

const PROTOCOL = "cmnist-erm-reduced";

test("a newcomer runs reduced Colored-MNIST ERM, pauses, reloads, resumes from the checkpoint, submits and sees it verified", async ({ page, browser }) => {
  test.setTimeout(600_000);
  await page.goto(`/lab?protocol=${PROTOCOL}&backend=wasm`);
  await expect(page.getByTestId("protocol-details")).toContainText("NOT the paper's protocol");
  await expect(page.getByTestId("dataset-terms")).toContainText("Creative Commons Attribution-Share Alike 3.0");

  await page.getByTestId("train-button").click();
  await expect(page).toHaveURL(/seed=\d+/);
  const download = page.getByTestId("download-status");
  await expect(download).toHaveAttribute("data-from-cache", "false", { timeout: 60_000 });
  await expect(download).toContainText("downloaded");
  await expect(page.getByTestId("backend-in-use")).toHaveText("wasm");
  await expect(page.getByTestId("memory-use")).toBeVisible({ timeout: 60_000 });

  // Pause once a few steps are done: the page keeps a checkpoint of exactly where the run is.
  const progress = page.getByTestId("progress");
  await expect.poll(async () => Number(await progress.getAttribute("value")), { timeout: 90_000 }).toBeGreaterThanOrEqual(5);
  await page.getByTestId("pause-button").click();
  await expect(page.getByTestId("pause-button")).toHaveText("Resume");
  const checkpoint = page.getByTestId("checkpoint-status");
  await expect(checkpoint).toContainText(/Paused/);
  await expect(checkpoint).toContainText(/step \d+/, { timeout: 30_000 });
  const pausedAt = Number(await progress.getAttribute("value"));
  console.log(`[cmnist] paused at step ${pausedAt}: ${await checkpoint.innerText()}`);

  // A reload loses the worker but not the run: the Lab offers to resume it from its checkpoint.
  page.once("dialog", (dialog) => void dialog.accept());
  await page.reload({ waitUntil: "domcontentloaded" });
  const saved = page.getByTestId("saved-run");
  await expect(saved).toHaveCount(1, { timeout: 30_000 });
  await expect(saved.getByTestId("resume-saved-button")).toContainText(PROTOCOL);
  await saved.getByTestId("resume-saved-button").click();
  await expect(page.getByTestId("checkpoint-status")).toContainText(/Resumed from step \d+/, { timeout: 60_000 });
  await expect(page.getByTestId("download-status")).toHaveAttribute("data-from-cache", "true", { timeout: 60_000 });

  const submit = page.getByTestId("submit-button");
  await expect(submit).toBeVisible({ timeout: 170_000 });
  await expect(progress).toHaveAttribute("value", "100");
  console.log(`[cmnist] ${await page.getByTestId("progress-text").innerText()}`);
  await expect(page.getByTestId("local-verdict")).toHaveAttribute("data-status", "accepted");

  await submit.click();
  const outcome = page.getByTestId("verification-outcome");
  await expect(outcome).toHaveAttribute("data-status", "accepted", { timeout: 60_000 });
  const runHref = await page.getByTestId("run-link").getAttribute("href");
  expect(runHref).toMatch(/^\/runs\/run_[0-9a-f-]{36}$/);
  // Submitted: nothing is left to resume.
  await expect(page.getByTestId("saved-run")).toHaveCount(0);

  await page.goto(runHref!, { waitUntil: "domcontentloaded" });
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "accepted");
  await expect(page.getByTestId("run-status")).toContainText("all 2,000 training images and all 10,000 test images");
  // Its run page names the withheld files and says why, offering no link to them.
  const weightsFile = page.locator('[data-testid="run-download"][data-kind="weights"]');
  await expect(weightsFile).toHaveAttribute("data-available", "false");
  await expect(weightsFile.getByTestId("run-download-reason")).toContainText("Withheld until other contributors have replayed");
  await expect(weightsFile.getByRole("link")).toHaveCount(0);

  // Pending (its segments wait for peers): listed on its page, counted nowhere — Table 1 has no run of it yet.
  await page.goto("/figures/table1", { waitUntil: "domcontentloaded" });
  const row = page.locator(`[data-testid="table1-reduced-row"][data-protocol="${PROTOCOL}"]`);
  await expect(row).toHaveAttribute("data-has-runs", "false");

  // Its three trajectory segments go to other contributors: three other browsers, each with its own contributor
  // key that earned standing for real (e2e/earned-replayer.ts) and its own address block, replay one each on the
  // Replay page, in order (segment k + 1 starts where segment k must end), from the run's checkpoints, and
  // agree; until then its weights are withheld.
  const runId = runHref!.split("/").pop()!;
  expect((await page.request.get(`/api/runs/${runId}/weights`)).status()).toBe(409);
  for (let peer = 0; peer < 3; peer++) {
    const { context } = await earnedReplayer(browser, peer);
    const replay = await replayOneSegment(await context.newPage(), PROTOCOL);
    expect(replay.label).toContain(`segment ${peer + 1})`);
    console.log(`[cmnist] peer ${peer + 1}: ${replay.label}: ${replay.agrees ? "agrees" : "disagrees"}, deviation ${replay.deviation}`);
    expect(replay.agrees).toBe(true);
    await context.close();
  }
  await page.goto(runHref!, { waitUntil: "domcontentloaded" });
  await expect(page.getByTestId("peer-replay-strip")).toHaveAttribute("data-status", "replayed");
  // Replayed by peers: now it counts.
  await page.goto("/figures/table1", { waitUntil: "domcontentloaded" });
  await expect(page.locator(`[data-testid="table1-reduced-row"][data-protocol="${PROTOCOL}"]`)).toHaveAttribute("data-has-runs", "true");

  // Fig. 4 for this very run (named in the URL, so the view can be shared): its probes computed in the browser.
  await page.goto(`/figures/fig4?runs=${PROTOCOL}:${runId}`, { waitUntil: "domcontentloaded" });
  const panel = page.locator(`[data-testid="fig4-panel"][data-protocol="${PROTOCOL}"]`);
  await expect(panel).toHaveAttribute("data-run", runId);
  const accuracy = panel.locator('[data-testid="fig4-grid"][data-quantity="accuracy"]');
  await expect(accuracy).toHaveAttribute("data-ready", "true", { timeout: 90_000 });
  await expect(accuracy.getByTestId("fig4-cell")).toHaveCount(4);
  console.log(`[cmnist] Fig. 4 of ${runId}: ${(await accuracy.getByTestId("fig4-cell").allInnerTexts()).map((t) => t.split("\n")[0]).join(" / ")}`);

  // The run page computes the same probes on request, now that the weights are served.
  const probed = await accuracy.getByTestId("fig4-cell").evaluateAll((cells) => cells.map((c) => c.getAttribute("data-value")));
  await page.goto(runHref!, { waitUntil: "domcontentloaded" });
  await expect(weightsFile).toHaveAttribute("data-available", "true");
  await page.getByTestId("run-probes-button").click();
  const own = page.getByTestId("run-probes").locator('[data-testid="fig4-grid"][data-quantity="accuracy"]');
  await expect(own).toHaveAttribute("data-ready", "true", { timeout: 90_000 });
  expect(await own.getByTestId("fig4-cell").evaluateAll((cells) => cells.map((c) => c.getAttribute("data-value")))).toEqual(probed);
});
