// A submission whose claims do not match its weights is stored as rejected, and its run page says why:
// the reason, the server's message, and the claimed vs recomputed values side by side. The tampered
// submission is built here with the shared code (an honest whole chain and history, one claim inflated).
import { expect, test, type APIRequestContext } from "@playwright/test";
import type { LeaderboardEntry, RunMeta, RunRecord, Workunit } from "../shared/api";
import { encodeFloat32 } from "../shared/nn/float32-codec";
import { historySteps } from "../shared/protocols/evidence";
import { moonsProtocol } from "../shared/protocols/registry";
import { twoMoonsFamily } from "../shared/protocols/two-moons-family";
import { buildChain } from "../shared/testing/honest-chain";

const PROTOCOL_ID = "fig1-margin-neg";

test("a tampered claim is rejected and the run page shows the reason", async ({ page, request }) => {
  // Other specs (e2e/earned-replayer.ts) submit honest runs of this protocol to the same server: compare with before.
  const runsBefore = await countedRuns(request);
  const protocol = moonsProtocol(PROTOCOL_ID);
  const family = twoMoonsFamily;
  const workunitResponse = await request.post("/api/workunits", { data: { protocolId: PROTOCOL_ID } });
  expect(workunitResponse.status()).toBe(201);
  const workunit = (await workunitResponse.json()) as Workunit;

  // An honest chain (the server's own float64 recipe, every segment: the server replays them all before it
  // looks at the claims), its true history, and a curvature claim that the weights do not give.
  const data = family.dataset(protocol, workunit.seed);
  const initialWeights = family.initialWeights(protocol, workunit.seed);
  const chain = buildChain({ protocol, seed: workunit.seed, data, initialWeights, real: "all", fallbackFinal: initialWeights });
  const weights = chain.finalWeights;
  const firstLosses = Array.from(chain.losses.subarray(0, protocol.evidence.replaySteps));
  const honest = family.evaluate(protocol, data, weights).metrics;
  const steps = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  const lossHistory = steps.map((step, k) => (k === steps.length - 1 ? honest.finalLoss! : chain.losses[step]!));
  const meta: RunMeta = {
    token: workunit.token,
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed: workunit.seed,
    contributor: "e2e <tamper> & co",
    claimed: { ...honest, curvature: (honest.curvature ?? 0) + 0.5 },
    firstLosses,
    lossHistory,
    environment: { backend: "wasm", tfjsVersion: "4.22.0", client: "web", userAgent: "GS Lab e2e" },
    timings: { trainMs: 1000, steps: protocol.training.steps },
  };
  const submitted = await request.post("/api/runs", {
    multipart: {
      meta: JSON.stringify(meta),
      weights: { name: "weights.f32", mimeType: "application/octet-stream", buffer: Buffer.from(encodeFloat32(weights)) },
      checkpoints: { name: "checkpoints.f32", mimeType: "application/octet-stream", buffer: Buffer.from(encodeFloat32(chain.checkpoints)) },
    },
  });
  expect(submitted.status()).toBe(422);
  const record = (await submitted.json()) as RunRecord;
  expect(record).toMatchObject({ status: "rejected", reason: "claims_mismatch" });

  // The assertions below wait for the content; not waiting for every subresource's "load" keeps a slow
  // asset on a loaded machine (seen once: a 3-minute stall) from failing a test about the verdict.
  await page.goto(`/runs/${record.id}`, { waitUntil: "domcontentloaded" });
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "rejected");
  await expect(page.getByTestId("run-status")).toContainText("Rejected");
  await expect(page.getByTestId("run-reason")).toHaveText("claims_mismatch");
  await expect(page.getByTestId("run-status")).toContainText("Curvature");
  // The contributor's name is shown as text, never interpreted as markup.
  await expect(page.getByText("e2e <tamper> & co")).toBeVisible();
  const curvature = page.getByTestId("claimed-vs-recomputed").locator('tr[data-metric="curvature"]');
  await expect(curvature.getByTestId("metric-match")).toContainText("✗");

  // Rejected runs do not count: the board's count is what it was before.
  expect(await countedRuns(request)).toBe(runsBefore);
  await page.goto("/leaderboard", { waitUntil: "domcontentloaded" });
  await expect(page.locator(`[data-testid="leaderboard-row"][data-protocol="${PROTOCOL_ID}"]`)).toHaveAttribute("data-runs", String(runsBefore));
});

/** The runs the leaderboard counts for the protocol. */
async function countedRuns(request: APIRequestContext): Promise<number> {
  const response = await request.get("/api/leaderboard");
  expect(response.status()).toBe(200);
  const { protocols } = (await response.json()) as { protocols: LeaderboardEntry[] };
  return protocols.find((p) => p.protocolId === PROTOCOL_ID)!.runs;
}
