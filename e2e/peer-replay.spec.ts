// A replay workunit in a real browser: a Fig. 3 100,000-step run is submitted whose segments were never
// trained past their first 20 steps (a stand-in chain tied to a consistent loss history, which passes the
// server's own checks: it leaves every segment to peers). The /replay page leases one of its drawn segments, trains it for real on wasm from the
// run's checkpoint, and the server finds the browser's end far from the run's: a disagreement, shown on the
// page and on the run's trajectory strip, with the segment waiting for a tiebreak. One browser gets one
// segment of a run, never a second. The replaying browser's key earned its standing first (three Fig. 1 runs
// trained and verified); a fresh key is refused with how standing is earned.
import { expect, test } from "@playwright/test";
import type { RunMeta, RunRecord, Workunit } from "../shared/api";
import { encodeFloat32 } from "../shared/nn/float32-codec";
import { moonsProtocol } from "../shared/protocols/registry";
import { placeholderRun } from "../shared/testing/placeholder-run";
import { earnedReplayer } from "./earned-replayer";
import { replayOneSegment } from "./replay-page";

const PROTOCOL_ID = "fig3-longer";
const SUBMITTER_KEY = "S".repeat(43);

test("a browser replays a drawn segment of someone's run and the server judges it", async ({ browser, request }) => {
  test.setTimeout(600_000);
  // Replays are given only to earned keys: this browser's key first has three server-verified Fig. 1 runs.
  const replayer = await earnedReplayer(browser, 10);
  const protocol = moonsProtocol(PROTOCOL_ID);
  const workunitResponse = await request.post("/api/workunits", { data: { protocolId: PROTOCOL_ID } });
  expect(workunitResponse.status()).toBe(201);
  const workunit = (await workunitResponse.json()) as Workunit;
  const run = placeholderRun(protocol, workunit.seed, { backend: "wasm", tfjsVersion: "4.22.0", client: "cli", userAgent: "GS Lab e2e" });
  const { seed } = workunit;
  const meta: RunMeta = { ...run.meta, token: workunit.token, contributor: "e2e placeholder chain", contributorKey: SUBMITTER_KEY };
  const submitted = await request.post("/api/runs", {
    multipart: {
      meta: JSON.stringify(meta),
      weights: { name: "weights.f32", mimeType: "application/octet-stream", buffer: Buffer.from(encodeFloat32(run.weights)) },
      checkpoints: { name: "checkpoints.f32", mimeType: "application/octet-stream", buffer: Buffer.from(encodeFloat32(run.checkpoints)) },
    },
  });
  expect(submitted.status()).toBe(201);
  const record = (await submitted.json()) as RunRecord;
  expect(record.peerReplay).toMatchObject({ status: "pending", segmentCount: 40 });
  const drawn = record.peerReplay!.segments.map((s) => s.segment);
  // A fresh key gets no lease, and is told how standing is earned.
  const fresh = await request.post("/api/replays", { data: { contributorKey: "Z".repeat(43), protocolIds: [PROTOCOL_ID] } });
  expect(fresh.status()).toBe(403);
  expect(((await fresh.json()) as { error: { message: string } }).error.message).toMatch(/earned standing/);

  // The browser (its own contributor key, which earned standing for real beforehand, and an address block of
  // its own) leases a segment and trains it on wasm.
  const page = await replayer.context.newPage();
  await page.goto("/replay?backend=wasm", { waitUntil: "domcontentloaded" });
  await expect(page.getByTestId(`replay-protocol-${PROTOCOL_ID}`)).toBeChecked();
  await expect(page.getByTestId("replay-protocol-fig3-deeper")).not.toBeChecked();
  const replay = await replayOneSegment(page, PROTOCOL_ID);
  expect(replay.label).toContain(`seed ${seed}`);
  // The run never trained between its checkpoints: an honest replay lands elsewhere.
  expect(replay.agrees).toBe(false);
  await expect(page.getByTestId("replay-outcome")).toContainText("Another contributor will replay the same segment");
  const segment = Number(/segment (\d+)\)/.exec(replay.label)?.[1]) - 1;
  expect(drawn).toContain(segment);

  // One segment of a run per replayer: nothing else is waiting for this browser.
  await page.getByTestId("replay-start").click();
  await expect(page.getByTestId("replay-none")).toBeVisible();

  // The run page: the disagreement is on its segment, which waits for a tiebreak; the checkpoints stay withheld.
  await page.goto(`/runs/${record.id}`, { waitUntil: "domcontentloaded" });
  const strip = page.getByTestId("peer-replay-strip");
  await expect(strip).toHaveAttribute("data-status", "pending");
  await expect(strip.getByTestId("trajectory-cell")).toHaveCount(40);
  await expect(strip.locator('[data-outcome="pending"]')).toHaveCount(drawn.length);
  await expect(strip.getByTestId("trajectory-cell").nth(segment)).toHaveAttribute("title", /disagreed \(.+, wasm, #/);
  expect((await request.get(`/api/runs/${record.id}/checkpoints`)).status()).toBe(409);
});
