// Submissions the verifier rejects: each is answered 422 with its reason, stored as a rejected run (it
// consumes its workunit), served by GET /api/runs/:id and kept off the leaderboard. Submissions whose meta
// cannot even be read are 400 and store nothing.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LeaderboardResponseSchema, ProtocolBoardSchema, RunRecordSchema, type RunMeta, type RunRecord, type Workunit } from "../../shared/api";
import { evaluateMoons } from "../../shared/metrics/two-moons";
import { familyOf } from "../../shared/protocols/families";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import { api, expectError, expectNothingStored, objectKeys, requestWorkunit, runRow, workunitByToken, workunitForSeed, workunitRow } from "./helpers";
import { honestRun, metaWith, postHonest, postRun, type HonestRun, type WeightsBody } from "./submissions";

const PROTOCOL = "fig1-margin-pos";

async function freshRun(protocolId = PROTOCOL): Promise<{ workunit: Workunit; run: HonestRun }> {
  const workunit = await requestWorkunit(protocolId);
  return { workunit, run: honestRun(protocolId, workunit.seed) };
}

/** Asserts a verification rejection: 422, the reason, stored once as rejected, served, not aggregated. */
async function expectRejected(response: Response, reason: string, workunit: Workunit): Promise<RunRecord> {
  const text = await response.text();
  expect({ status: response.status, body: text }).toMatchObject({ status: 422 });
  const record = RunRecordSchema.parse(JSON.parse(text));
  expect(record).toMatchObject({ status: "rejected", reason, protocolId: workunit.protocolId, seed: workunit.seed });
  expect(record.message.length).toBeGreaterThan(0);

  const row = await runRow(record.id);
  expect(row).toMatchObject({ status: "rejected", reason, workunit_id: workunit.workunitId });
  expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM runs WHERE workunit_id = ?").bind(workunit.workunitId).first<{ n: number }>())!.n).toBe(1);
  expect((await workunitRow(workunit.workunitId))!.consumed_at).not.toBeNull();

  // Nothing of a rejected body is kept in R2 (weights, evidence, checkpoints): only its row.
  expect((await objectKeys()).filter((k) => k.startsWith(`runs/${record.id}/`))).toEqual([]);

  // And nothing of it is served as a verified run's.
  expect((await api(`/api/runs/${record.id}/weights`)).status).toBe(404);
  const served = await api(`/api/runs/${record.id}`);
  expect(served.status).toBe(200);
  expect(RunRecordSchema.parse(await served.json())).toEqual(record);

  const board = ProtocolBoardSchema.parse(await (await api(`/api/leaderboard/${workunit.protocolId}`)).json());
  expect(board.runs.map((r) => r.id)).not.toContain(record.id);
  const accepted = (await env.DB.prepare("SELECT COUNT(*) AS n FROM runs WHERE protocol_id = ? AND status = 'accepted'").bind(workunit.protocolId).first<{ n: number }>())!.n;
  const { protocols } = LeaderboardResponseSchema.parse(await (await api("/api/leaderboard")).json());
  expect(protocols.find((p) => p.protocolId === workunit.protocolId)!.runs).toBe(accepted);
  return record;
}

/** Posts `run` with `workunit`'s token, meta overrides and weights; expects a rejection for `reason`. */
async function rejectedWith(reason: string, change: (run: HonestRun, meta: RunMeta) => { meta?: unknown; weights?: WeightsBody; checkpoints?: WeightsBody | null }): Promise<RunRecord> {
  const { workunit, run } = await freshRun();
  const meta = metaWith(run, workunit.token);
  const changed = change(run, meta);
  // The run's honest chain goes with it unless the change replaces it: the Worker checks the chain first.
  const response = await postRun(changed.meta ?? meta, changed.weights ?? run.weights, changed.checkpoints === undefined ? run.checkpoints : changed.checkpoints);
  return expectRejected(response, reason, workunit);
}

describe("claims_mismatch", () => {
  it("inflated claims → 422 claims_mismatch, stored as rejected with the server's recomputation, not on the leaderboard", async () => {
    const record = await rejectedWith("claims_mismatch", (run, meta) => {
      meta.claimed = { ...meta.claimed, trainAccuracy: 1, finalLoss: run.recomputed.finalLoss! / 2, curvature: run.recomputed.curvature! + 0.5 };
      return {};
    });
    const run = honestRun(PROTOCOL, record.seed);
    expect(record.recomputed).toEqual(run.recomputed);
    expect(record.claimed.finalLoss).toBe(run.recomputed.finalLoss! / 2);
  });

  it("a claim off by 1e-6 (beyond the metrics' 1e-9 tolerance) → claims_mismatch", async () => {
    await rejectedWith("claims_mismatch", (run, meta) => {
      meta.claimed = { ...meta.claimed, finalLoss: run.recomputed.finalLoss! + 1e-6 };
      return {};
    });
  });

  it("a metric claimed null that the weights give a value for → claims_mismatch", async () => {
    const run = honestRun(PROTOCOL, 0);
    const nullable = familyOf(run.protocol).metrics(run.protocol).find((m) => m.nullable && run.recomputed[m.key] !== null);
    expect(nullable, "an honest run with a non-null nullable metric").toBeDefined();
    await rejectedWith("claims_mismatch", (_, meta) => {
      meta.claimed = { ...meta.claimed, [nullable!.key]: null };
      return {};
    });
  });
});

describe("replay_mismatch", () => {
  it("an honest run for seed 3 posted with a seed-5 workunit (and seed 5 in meta) → replay_mismatch", async () => {
    const workunit = await workunitForSeed("fig2-margin-neg", 5);
    const run3 = honestRun("fig2-margin-neg", 3);
    const record = await expectRejected(await postHonest(run3, workunit.token, { seed: 5 }), "replay_mismatch", workunit);
    expect(record.recomputed).toBeNull();
    expect(record.message).toMatch(/seed 5/);
  });

  it("first losses perturbed by 1% → replay_mismatch", async () => {
    await rejectedWith("replay_mismatch", (_, meta) => {
      meta.firstLosses = meta.firstLosses.map((l, k) => (k === 7 ? l * 1.01 : l));
      return {};
    });
  });
});

describe("workunit_mismatch", () => {
  it("meta naming another seed than the workunit → workunit_mismatch", async () => {
    await rejectedWith("workunit_mismatch", (_, meta) => ({ meta: { ...meta, seed: meta.seed + 1 } }));
  });

  it("meta naming another protocol than the workunit → workunit_mismatch", async () => {
    await rejectedWith("workunit_mismatch", (_, meta) => ({ meta: { ...meta, protocolId: "fig1-margin-neg" } }));
  });

  it("meta naming another protocol version than the workunit → workunit_mismatch", async () => {
    await rejectedWith("workunit_mismatch", (_, meta) => ({ meta: { ...meta, protocolVersion: meta.protocolVersion + 1 } }));
  });

  it("an honest run of another protocol posted with this protocol's workunit → workunit_mismatch", async () => {
    const { workunit } = await freshRun();
    const other = honestRun("fig1-margin-neg", workunit.seed);
    await expectRejected(await postHonest(other, workunit.token), "workunit_mismatch", workunit);
  });
});

describe("weights", () => {
  it("NaN in the weights → weights_not_finite", async () => {
    const record = await rejectedWith("weights_not_finite", (run) => ({ weights: run.weights.map((w, k) => (k === 7 ? Number.NaN : w)) }));
    expect(record.message).toMatch(/Weight 7/);
  });

  it("Infinity in the weights → weights_not_finite", async () => {
    await rejectedWith("weights_not_finite", (run) => ({ weights: run.weights.map((w, k) => (k === 0 ? Number.POSITIVE_INFINITY : w)) }));
  });

  it("-Infinity as the last weight → weights_not_finite", async () => {
    await rejectedWith("weights_not_finite", (run) => ({ weights: run.weights.map((w, k, all) => (k === all.length - 1 ? Number.NEGATIVE_INFINITY : w)) }));
  });

  it("one float too few → weights_shape", async () => {
    await rejectedWith("weights_shape", (run) => ({ weights: run.weights.subarray(0, run.weights.length - 1) }));
  });

  it("one float too many → weights_shape", async () => {
    await rejectedWith("weights_shape", (run) => ({ weights: Float32Array.from([...run.weights, 0]) }));
  });

  it("a byte count not divisible by 4 → weights_shape", async () => {
    await rejectedWith("weights_shape", (run) => {
      const bytes = new Uint8Array(run.weights.length * 4 + 2);
      return { weights: bytes };
    });
  });

  it("an empty weights file → weights_shape", async () => {
    await rejectedWith("weights_shape", () => ({ weights: new Uint8Array(0) }));
  });

  it("float64 weights (twice the bytes) → weights_shape", async () => {
    await rejectedWith("weights_shape", (run) => ({ weights: new Uint8Array(Float64Array.from(run.weights).buffer) }));
  });
});

describe("evidence_shape", () => {
  it("a loss history one value short → evidence_shape", async () => {
    await rejectedWith("evidence_shape", (_, meta) => ({ meta: { ...meta, lossHistory: meta.lossHistory.slice(0, -1) } }));
  });

  it("a loss history one value long → evidence_shape", async () => {
    await rejectedWith("evidence_shape", (_, meta) => ({ meta: { ...meta, lossHistory: [...meta.lossHistory, 0.1] } }));
  });

  it("19 first losses instead of 20 → evidence_shape", async () => {
    await rejectedWith("evidence_shape", (_, meta) => ({ meta: { ...meta, firstLosses: meta.firstLosses.slice(0, 19) } }));
  });

  it("21 first losses instead of 20 → evidence_shape", async () => {
    await rejectedWith("evidence_shape", (_, meta) => ({ meta: { ...meta, firstLosses: [...meta.firstLosses, 0.5] } }));
  });

  it("timings.steps other than the protocol's → evidence_shape", async () => {
    await rejectedWith("evidence_shape", (_, meta) => ({ meta: { ...meta, timings: { ...meta.timings, steps: 999 } } }));
  });
});

describe("evidence_mismatch", () => {
  it("lossHistory[0] differing from firstLosses[0] → evidence_mismatch", async () => {
    await rejectedWith("evidence_mismatch", (_, meta) => ({ meta: { ...meta, lossHistory: [meta.lossHistory[0]! + 1e-12, ...meta.lossHistory.slice(1)] } }));
  });

  it("a history whose last value is not the loss of the submitted weights → evidence_mismatch", async () => {
    await rejectedWith("evidence_mismatch", (_, meta) => ({ meta: { ...meta, lossHistory: [...meta.lossHistory.slice(0, -1), meta.lossHistory.at(-1)! / 2] } }));
  });

  // The chain is replayed before the weights' loss is looked at: its last segment does not reach them.
  it("untrained weights (the seed's own initial weights, with honest claims and a consistent history) → trajectory_mismatch", async () => {
    const record = await rejectedWith("trajectory_mismatch", (run, meta) => {
      const weights = twoMoonsFamily.initialWeights(run.protocol, run.seed);
      const claimed = { ...evaluateMoons(run.protocol, run.data, weights).metrics };
      return { meta: { ...meta, claimed, lossHistory: [...meta.lossHistory.slice(0, -1), claimed.finalLoss!] }, weights };
    });
    expect(record.message).toMatch(/steps 900–1000 .* does not reach the submitted final weights/);
  });
});

describe("claims_shape", () => {
  it("a missing claim key → claims_shape", async () => {
    const record = await rejectedWith("claims_shape", (_, meta) => {
      const { curvature: _curvature, ...rest } = meta.claimed;
      return { meta: { ...meta, claimed: rest } };
    });
    expect(record.message).toMatch(/missing curvature/);
  });

  it("an extra claim key → claims_shape", async () => {
    const record = await rejectedWith("claims_shape", (_, meta) => ({ meta: { ...meta, claimed: { ...meta.claimed, testAccuracy: 1 } } }));
    expect(record.message).toMatch(/unknown testAccuracy/);
  });

  it("no claims at all → claims_shape", async () => {
    await rejectedWith("claims_shape", (_, meta) => ({ meta: { ...meta, claimed: {} } }));
  });

  it("null for a non-nullable metric → claims_shape", async () => {
    await rejectedWith("claims_shape", (_, meta) => ({ meta: { ...meta, claimed: { ...meta.claimed, trainAccuracy: null } } }));
  });
});

describe("order of the checks", () => {
  it("a workunit mismatch is reported before bad weights", async () => {
    await rejectedWith("workunit_mismatch", (_, meta) => ({ meta: { ...meta, seed: meta.seed + 1 }, weights: new Uint8Array(3) }));
  });

  it("bad weights are reported before bad evidence and claims", async () => {
    await rejectedWith("weights_shape", (_, meta) => ({ meta: { ...meta, firstLosses: [], claimed: {} }, weights: new Uint8Array(4) }));
  });

  it("bad evidence is reported before bad claims", async () => {
    await rejectedWith("evidence_shape", (_, meta) => ({ meta: { ...meta, lossHistory: [], claimed: {} } }));
  });
});

describe("after the verification rejections above", () => {
  it("a rejected run does not cover its seed: the seed is handed out again", async () => {
    const rejectedSeeds = (await env.DB.prepare("SELECT DISTINCT seed FROM runs WHERE protocol_id = ?").bind(PROTOCOL).all<{ seed: number }>()).results;
    expect(rejectedSeeds.map((r) => r.seed)).toEqual([0]);
    expect((await requestWorkunit(PROTOCOL)).seed).toBe(0);
  });

  it("an honest run after all this is still accepted", async () => {
    const { workunit, run } = await freshRun();
    const response = await postHonest(run, workunit.token);
    expect(response.status).toBe(201);
  });
});

describe("claims JSON cannot carry", () => {
  async function postMetaText(transform: (json: string) => string) {
    const { workunit, run } = await freshRun();
    const text = transform(JSON.stringify(metaWith(run, workunit.token)));
    await expectNothingStored(async () => {
      const response = await postRun(text, run.weights);
      await expectError(response, 400, "malformed");
    });
    // The token was not consumed by the unreadable submission.
    expect((await workunitByToken(workunit.token))!.consumed_at).toBeNull();
  }

  it("a literal NaN in the meta text → 400 malformed, nothing stored", async () => {
    await postMetaText((json) => json.replace(/"trainAccuracy":[^,}]+/, '"trainAccuracy":NaN'));
  });

  it("a number that parses to Infinity (1e999) → 400 malformed, nothing stored", async () => {
    await postMetaText((json) => json.replace(/"finalLoss":[^,}]+/, '"finalLoss":1e999'));
  });

  it("a string where a number is expected → 400 malformed, nothing stored", async () => {
    await postMetaText((json) => json.replace(/"finalLoss":[^,}]+/, '"finalLoss":"0.1"'));
  });

  it("an over-long claim key (> 32 chars) → 400 malformed, nothing stored", async () => {
    await postMetaText((json) => json.replace('"claimed":{', `"claimed":{"${"k".repeat(33)}":1,`));
  });
});
