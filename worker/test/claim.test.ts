// One verification per workunit at a time (worker/routes/runs.ts claimWorkunit): bodies raced on one token are
// verified once, the others refused before any verification; a claim held by a live verification refuses, a
// stale one does not; a crash in verification releases the claim. Verifications are counted by wrapping the
// real verifier (its behaviour unchanged); requests go to the app in this isolate, whose modules vi.mock reaches.
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { RunRecordSchema } from "../../shared/api";
import { CLAIM_STALE_MS } from "../routes/runs";
import { expectError, expectNothingStored, insertWorkunit, requestWorkunit, workunitRow } from "./helpers";
import { BASE, honestRun, honestSubmission, protocolById, submissionForm, type HonestRun, type WeightsBody } from "./submissions";

const verifications = vi.hoisted(() => ({ count: 0, failNext: false }));

vi.mock("../../shared/metrics/verify-run", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../shared/metrics/verify-run")>();
  return {
    ...original,
    verifySubmission: (...args: Parameters<typeof original.verifySubmission>) => {
      verifications.count++;
      if (verifications.failNext) {
        verifications.failNext = false;
        throw new Error("verification crashed (test)");
      }
      return original.verifySubmission(...args);
    },
  };
});

const PROTOCOL = "fig1-margin-neg";

vi.resetModules();
const freshApp = import("../app");

// The app is imported afresh after the mock (the Worker's own module instance was loaded before this file's mocks).
const postRun = async (meta: unknown, weights: WeightsBody, checkpoints: WeightsBody | null = null): Promise<Response> => {
  const { app } = await freshApp;
  return app.request(`${BASE}/api/runs`, { method: "POST", body: submissionForm(meta, weights, checkpoints) }, env);
};

const postHonest = async (run: HonestRun, token: string): Promise<Response> => {
  const { meta, weights, checkpoints } = await honestSubmission(run, token);
  return postRun(meta, weights, checkpoints);
};

const runsOf = async (workunitId: string) =>
  (await env.DB.prepare("SELECT id, status FROM runs WHERE workunit_id = ?").bind(workunitId).all<{ id: string; status: string }>()).results;

const claimedAt = async (workunitId: string) =>
  (await env.DB.prepare("SELECT claimed_at FROM workunits WHERE id = ?").bind(workunitId).first<{ claimed_at: number | null }>())!.claimed_at;

beforeEach(() => {
  verifications.count = 0;
  verifications.failNext = false;
});

describe("raced bodies on one token", () => {
  it("five different bodies at once: one is verified and stored, four are refused 409 without being verified", async () => {
    const workunit = await requestWorkunit(PROTOCOL);
    const run = honestRun(PROTOCOL, workunit.seed);
    const bodies = await Promise.all(Array.from({ length: 5 }, (_, k) => honestSubmission(run, workunit.token, { contributor: `racer ${k}` })));
    verifications.count = 0;
    const responses = await Promise.all(bodies.map((b) => postRun(b.meta, b.weights, b.checkpoints)));
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const refused of responses.filter((r) => r.status === 409)) {
      expect(await expectError(refused, 409, "token_used")).toMatch(/being verified|already been used/);
    }
    expect(verifications.count).toBe(1);
    expect(await runsOf(workunit.workunitId)).toHaveLength(1);
  });

  it("five identical bodies at once (a client retrying): verified once, every answer is the one run or a 409", async () => {
    const workunit = await requestWorkunit(PROTOCOL);
    const { meta, weights, checkpoints } = await honestSubmission(honestRun(PROTOCOL, workunit.seed), workunit.token);
    verifications.count = 0;
    const responses = await Promise.all(Array.from({ length: 5 }, () => postRun(meta, weights, checkpoints)));
    expect(verifications.count).toBe(1);
    const stored = await runsOf(workunit.workunitId);
    expect(stored).toHaveLength(1);
    for (const response of responses) {
      if (response.status === 409) await expectError(response, 409, "token_used");
      else expect({ status: response.status, id: RunRecordSchema.parse(await response.json()).id }).toEqual({ status: 201, id: stored[0]!.id });
    }
    // Once the verdict is stored, the same body again is the idempotent replay, still without a verification.
    const retry = await postRun(meta, weights, checkpoints);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replay")).toBe("true");
    expect(verifications.count).toBe(1);
  });
});

describe("the claim", () => {
  it("held by a live verification: a body is refused 409 at once, nothing verified, stored or consumed", async () => {
    const p = protocolById(PROTOCOL);
    const { id, token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: Date.now() + 3600_000 });
    await env.DB.prepare("UPDATE workunits SET claimed_at = ? WHERE id = ?").bind(Date.now() - 1000, id).run();
    await expectNothingStored(async () => {
      const refused = await postHonest(honestRun(p, 0), token);
      expect(refused.headers.get("retry-after")).not.toBeNull();
      expect(await expectError(refused, 409, "token_used")).toMatch(/being verified/);
    });
    expect(verifications.count).toBe(0);
    expect((await workunitRow(id))!.consumed_at).toBeNull();
  });

  it(`left by a request that died (older than ${CLAIM_STALE_MS / 60_000} minutes): the next body is verified`, async () => {
    const p = protocolById(PROTOCOL);
    const { id, token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: Date.now() + 3600_000 });
    await env.DB.prepare("UPDATE workunits SET claimed_at = ? WHERE id = ?").bind(Date.now() - CLAIM_STALE_MS - 1000, id).run();
    const response = await postHonest(honestRun(p, 0), token);
    expect(response.status).toBe(201);
    expect(verifications.count).toBe(1);
    expect((await workunitRow(id))!.consumed_at).not.toBeNull();
  });

  it("is released when verification crashes: nothing stored, and the token can be submitted again", async () => {
    const p = protocolById(PROTOCOL);
    const { id, token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: Date.now() + 3600_000 });
    const submission = await honestSubmission(honestRun(p, 0), token);
    verifications.failNext = true;
    await expectNothingStored(async () => {
      const crashed = await postRun(submission.meta, submission.weights, submission.checkpoints);
      expect(crashed.status).toBe(500);
      await crashed.body?.cancel();
    });
    expect(await claimedAt(id)).toBeNull();
    const retry = await postRun(submission.meta, submission.weights, submission.checkpoints);
    expect(retry.status).toBe(201);
    expect(verifications.count).toBe(2);
  });

  it("is not taken by a body refused before verification (a wrong token state, a malformed body)", async () => {
    const p = protocolById(PROTOCOL);
    const { id, token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: Date.now() + 3600_000 });
    await expectError(await postRun({ token, nonsense: true }, new Float32Array(4)), 400, "malformed");
    expect(await claimedAt(id)).toBeNull();
    expect(verifications.count).toBe(0);
  });
});
