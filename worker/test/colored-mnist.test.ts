// Colored MNIST through the Worker: the workunit names the MNIST pack the assets serve (immutable, content
// addressed), and a submission is verified against that pack — accuracies recomputed from the weights — with
// the usual rejections. The "trained" runs are restart r's last layer trained from its initial weights
// (worker/test/forged/kit.ts): they pass the server's own chain check, and the claimed accuracies are those of
// the submitted weights.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LeaderboardResponseSchema, ReplayLeaseSchema, ReplayWorkunitSchema, RunRecordSchema, type RunMeta } from "../../shared/api";
import { checkpointLayout } from "../../shared/metrics/trajectory";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import { cmnistSubmission } from "./forged/kit";
import { MNIST_PACK_MANIFEST } from "../../shared/data/mnist-pack-manifest";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { findProtocol } from "../../shared/protocols/registry";
import type { CmnistProtocol } from "../../shared/protocols/colored-mnist";
import { api, requestWorkunit } from "./helpers";
import { addressOf, earnStanding } from "./standing";
import { BASE, postRun, TEST_ENVIRONMENT } from "./submissions";

const PROTOCOL = "cmnist-erm-reduced";
const protocol = findProtocol(PROTOCOL) as CmnistProtocol;

/** The static assets (web/dist), as the Worker's ASSETS binding serves them; SELF reaches the Worker only. */
const asset = (path: string): Promise<Response> => env.ASSETS.fetch(new Request(`${BASE}${path}`));

/**
 * An honest-looking submission of restart `seed` (worker/test/forged/kit.ts: the last layer trained from the
 * initial weights, with its own history and checkpoints): claims are its exact float64 accuracies.
 */
async function honestMeta(token: string, seed: number): Promise<{ meta: RunMeta; weights: Float32Array; checkpoints: Float32Array }> {
  const { meta, weights, checkpoints } = await cmnistSubmission(PROTOCOL, seed, token);
  return { meta: meta as RunMeta, weights, checkpoints: checkpoints! };
}

describe("Colored MNIST", () => {
  it("has the MNIST pack among its static assets, with the manifest's bytes", async () => {
    const response = await asset(MNIST_PACK_MANIFEST.path);
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.byteLength).toBe(MNIST_PACK_MANIFEST.bytes);
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
    expect(digest).toBe(MNIST_PACK_MANIFEST.sha256);
  });

  it("hands out workunits that name the pack and its SHA-256", async () => {
    const workunit = await requestWorkunit(PROTOCOL);
    expect(workunit).toMatchObject({ protocolId: PROTOCOL, datasetUrl: MNIST_PACK_MANIFEST.path, datasetDigest: MNIST_PACK_MANIFEST.sha256 });
  });

  it("accepts an honest submission, recomputing both accuracies from the weights, and aggregates it", async () => {
    const workunit = await requestWorkunit(PROTOCOL);
    const { meta, weights, checkpoints } = await honestMeta(workunit.token, workunit.seed);
    const response = await postRun(meta, weights, checkpoints);
    const record = RunRecordSchema.parse(await response.json());
    expect({ status: response.status, message: record.message }).toMatchObject({ status: 201 });
    expect(record.status).toBe("accepted");
    // Its three trajectory segments (checkpoints before steps 49 and 98 of 100) go to peers; until they answer,
    // the weights and checkpoints are not served.
    expect(record.peerReplay).toMatchObject({ status: "pending", segmentCount: 3 });
    expect(record.peerReplay!.segments.map((s) => s.segment)).toEqual([0, 1, 2]);
    expect((await api(`/api/runs/${record.id}/weights`)).status).toBe(409);
    // Three replayers with earned standing (worker/test/standing.ts), each asking from an address block of its
    // own. The segments go one at a time, in order: the start of segment k + 1 is the run's end of segment k,
    // so nobody is given it while segment k waits for its answer.
    const replayers = ["A", "B", "C"].map((c, k) => ({ key: c.repeat(43), address: addressOf(k + 1) }));
    for (const r of replayers) await earnStanding(r.key, { block: r.address });
    const ask = async (r: (typeof replayers)[number]) =>
      ReplayLeaseSchema.parse(await (await api("/api/replays", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": r.address }, body: JSON.stringify({ contributorKey: r.key, protocolIds: [PROTOCOL] }) })).json());
    for (const [k, replayer] of replayers.entries()) {
      const replay = ReplayWorkunitSchema.parse((await ask(replayer)).replay);
      expect(replay.segment).toBe(k);
      if (k + 1 < replayers.length) expect((await ask(replayers[k + 1]!)).replay).toBeNull();
      expect(replay).toMatchObject({ protocolId: PROTOCOL, seed: workunit.seed, datasetUrl: MNIST_PACK_MANIFEST.path, datasetDigest: MNIST_PACK_MANIFEST.sha256 });
      // An honest peer here sends the run's own end of the segment: its checkpoint, or the final weights (plus any state).
      const layout = checkpointLayout(protocol)!;
      const state = new Float32Array(layout.size);
      if (replay.segment === 2) state.set(weights, 0);
      else state.set(checkpoints.subarray(replay.segment * layout.size, (replay.segment + 1) * layout.size));
      const form = new FormData();
      form.set("meta", JSON.stringify({ token: replay.token, environment: TEST_ENVIRONMENT, timings: { trainMs: 10, steps: replay.to - replay.from } }));
      form.set("state", new Blob([encodeFloat32(state)]), "state.f32");
      const answer = await api(`/api/replays/${replay.replayId}`, { method: "POST", body: form });
      expect(await answer.json()).toMatchObject({ agrees: true, deviation: 0 });
    }
    expect(RunRecordSchema.parse(await (await api(`/api/runs/${record.id}`)).json()).peerReplay!.status).toBe("replayed");
    // The reduced protocol's training pool (2 × 1,000) and the test env (10,000) are small enough to check whole.
    expect(record.recomputed).toMatchObject({ trainImagesChecked: 2000, testImagesChecked: 10000 });
    expect(record.recomputed!.trainAccuracy).toBeCloseTo(meta.claimed.trainAccuracy!, 12);
    expect(record.recomputed!.testAccuracy).toBeCloseTo(meta.claimed.testAccuracy!, 12);
    const served = await api(`/api/runs/${record.id}/weights`);
    expect(new Float32Array(await served.arrayBuffer())).toEqual(weights);

    const { protocols } = LeaderboardResponseSchema.parse(await (await api("/api/leaderboard")).json());
    const entry = protocols.find((p) => p.protocolId === PROTOCOL)!;
    expect(entry).toMatchObject({ runs: 1, seeds: 1 });
    expect(entry.metrics.testAccuracy!.mean).toBeCloseTo(meta.claimed.testAccuracy!, 12);
  });

  it("rejects inflated accuracies, the wrong network, evidence it does not take and a wrong step count", async () => {
    const cases: { name: string; change: (meta: RunMeta, weights: Float32Array) => [RunMeta, Float32Array]; reason: string }[] = [
      { name: "test accuracy +10 points", change: (m, w) => [{ ...m, claimed: { ...m.claimed, testAccuracy: m.claimed.testAccuracy! + 0.1 } }, w], reason: "claims_mismatch" },
      { name: "train accuracy claimed as 0.95", change: (m, w) => [{ ...m, claimed: { ...m.claimed, trainAccuracy: 0.95 } }, w], reason: "claims_mismatch" },
      { name: "an accuracy above 1", change: (m, w) => [{ ...m, claimed: { ...m.claimed, testAccuracy: 1.5 } }, w], reason: "claims_shape" },
      { name: "IRM's wider network", change: (m) => [m, cmnistInitialWeights(cmnistMlpSpec({ inputs: "colour", hidden: 390 }), m.seed)], reason: "weights_shape" },
      { name: "first losses", change: (m, w) => [{ ...m, firstLosses: [0.7] }, w], reason: "evidence_shape" },
      { name: "a short loss history", change: (m, w) => [{ ...m, lossHistory: m.lossHistory.slice(1) }, w], reason: "evidence_shape" },
      { name: "another step count", change: (m, w) => [{ ...m, timings: { ...m.timings, steps: 7 } }, w], reason: "evidence_shape" },
    ];
    for (const { name, change, reason } of cases) {
      const workunit = await requestWorkunit(PROTOCOL);
      const honest = await honestMeta(workunit.token, workunit.seed);
      const [meta, weights] = change(honest.meta, honest.weights);
      const response = await postRun(meta, weights, honest.checkpoints);
      const record = RunRecordSchema.parse(await response.json());
      expect({ name, status: response.status, reason: record.reason }).toEqual({ name, status: 422, reason });
    }
  });
});
