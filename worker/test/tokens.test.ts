// Workunit tokens on POST /api/runs: single use (also under concurrent submissions), expiry, unknown and
// malformed tokens, retired protocol versions.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RunRecordSchema } from "../../shared/api";
import { newToken } from "../tokens";
import { artifactKeys } from "../storage";
import { expectError, expectNothingStored, insertWorkunit, objectKeys, requestWorkunit, runRows, storedState, workunitRow } from "./helpers";
import { honestRun, metaWith, postHonest, postRun, protocolById } from "./submissions";

const PROTOCOL = "fig1-margin-neg";
const HOUR = 3600 * 1000;

const runsOfWorkunit = async (workunitId: string) =>
  (await env.DB.prepare("SELECT id, status FROM runs WHERE workunit_id = ?").bind(workunitId).all<{ id: string; status: string }>()).results;

describe("single use", () => {
  it("a reused token: a second POST with another body → 409 token_used and stores nothing", async () => {
    const workunit = await requestWorkunit(PROTOCOL);
    const run = honestRun(PROTOCOL, workunit.seed);
    const contributor = "A forty-character contributor name, ok!!";
    expect(contributor).toHaveLength(40);
    const first = await postHonest(run, workunit.token, { contributor });
    expect(first.status).toBe(201);
    expect(RunRecordSchema.parse(await first.json())).toMatchObject({ status: "accepted", contributor });

    await expectNothingStored(async () => {
      await expectError(await postHonest(run, workunit.token, { contributor: "someone else" }), 409, "token_used");
    });
    expect(await runsOfWorkunit(workunit.workunitId)).toHaveLength(1);
  });

  it("a token used by a rejected run cannot be used again for an honest one → 409 token_used", async () => {
    const workunit = await requestWorkunit(PROTOCOL);
    const run = honestRun(PROTOCOL, workunit.seed);
    const rejected = await postHonest(run, workunit.token, { claimed: {} });
    expect(rejected.status).toBe(422);
    expect(RunRecordSchema.parse(await rejected.json()).reason).toBe("claims_shape");
    await expectNothingStored(async () => {
      await expectError(await postHonest(run, workunit.token), 409, "token_used");
    });
  });

  it("a concurrent double submission with one token → exactly one stored run, the other 409 token_used", async () => {
    const workunit = await requestWorkunit(PROTOCOL);
    const run = honestRun(PROTOCOL, workunit.seed);
    const before = await storedState();
    // Two different bodies (an identical one would be an idempotent retry, answered with the stored run).
    const responses = await Promise.all([postHonest(run, workunit.token), postHonest(run, workunit.token, { contributor: "twin" })]);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    const winner = responses.find((r) => r.status === 201)!;
    const loser = responses.find((r) => r.status === 409)!;
    await expectError(loser, 409, "token_used");
    const record = RunRecordSchema.parse(await winner.json());

    const stored = await runsOfWorkunit(workunit.workunitId);
    expect(stored).toEqual([{ id: record.id, status: "accepted" }]);
    // Only the winner's four artifacts were added to R2 (the loser's, if written, were deleted).
    const keys = artifactKeys(record.id);
    const added = (await objectKeys()).filter((k) => !before.objects.includes(k));
    expect(added).toEqual([keys.checkpoints, keys.evidence, keys.grid, keys.weights]);
    expect((await runRows()).length).toBe(before.runs.length + 1);
  });

  it("three concurrent submissions with one token (a rejected one among them) → exactly one stored run", async () => {
    const workunit = await requestWorkunit(PROTOCOL);
    const run = honestRun(PROTOCOL, workunit.seed);
    const before = await storedState();
    const responses = await Promise.all([
      postHonest(run, workunit.token, { claimed: {} }),
      postHonest(run, workunit.token),
      postHonest(run, workunit.token, { claimed: {}, contributor: "third" }),
    ]);
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    expect(statuses.filter((s) => s === 201 || s === 422)).toHaveLength(1);
    for (const r of responses.filter((r) => r.status === 409)) await expectError(r, 409, "token_used");
    const stored = await runsOfWorkunit(workunit.workunitId);
    expect(stored).toHaveLength(1);
    const added = (await objectKeys()).filter((k) => !before.objects.includes(k));
    expect(added.every((k) => k.startsWith(`runs/${stored[0]!.id}/`))).toBe(true);
    // Accepted: weights, evidence, grid and checkpoints; rejected: nothing.
    expect(added).toHaveLength(stored[0]!.status === "accepted" ? 4 : 0);
  });
});

describe("expiry and unknown tokens", () => {
  it("an expired token → 410 token_expired, nothing stored, the workunit not consumed", async () => {
    const p = protocolById(PROTOCOL);
    const { id, token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 2, expiresAt: Date.now() - 1000 });
    const run = honestRun(p, 2);
    await expectNothingStored(async () => {
      await expectError(await postHonest(run, token), 410, "token_expired");
    });
    expect((await workunitRow(id))!.consumed_at).toBeNull();
  });

  it("a token that is both used and expired → 409 token_used", async () => {
    const p = protocolById(PROTOCOL);
    const now = Date.now();
    const { token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 2, expiresAt: now - HOUR, consumedAt: now - 2 * HOUR });
    await expectNothingStored(async () => {
      await expectError(await postHonest(honestRun(p, 2), token), 409, "token_used");
    });
  });

  it("an unknown (well-formed, never issued) token → 403 token_invalid, nothing stored", async () => {
    await expectNothingStored(async () => {
      await expectError(await postHonest(honestRun(PROTOCOL, 0), newToken()), 403, "token_invalid");
    });
  });

  it.each([
    ["too short", "abc"],
    ["44 characters", "a".repeat(44)],
    ["42 characters", "a".repeat(42)],
    ["base64 '+' and '/'", `${"a".repeat(41)}+/`],
    ["empty", ""],
  ])("a malformed token (%s) → 400 malformed, nothing stored", async (_, token) => {
    await expectNothingStored(async () => {
      await expectError(await postHonest(honestRun(PROTOCOL, 0), token), 400, "malformed");
    });
  });

  it("a missing token → 400 malformed, nothing stored", async () => {
    const { token: _token, ...meta } = metaWith(honestRun(PROTOCOL, 0), newToken());
    await expectNothingStored(async () => {
      await expectError(await postRun(meta, honestRun(PROTOCOL, 0).weights), 400, "malformed");
    });
  });

  it("a workunit of a retired protocol version → 410 unknown_protocol, nothing stored", async () => {
    const p = protocolById(PROTOCOL);
    const { id, token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version + 1, seed: 0, expiresAt: Date.now() + HOUR });
    await expectNothingStored(async () => {
      await expectError(await postHonest(honestRun(p, 0), token, { protocolVersion: p.version + 1 }), 410, "unknown_protocol");
    });
    expect((await workunitRow(id))!.consumed_at).toBeNull();
  });

  it("a workunit of a protocol no longer in the registry → 410 unknown_protocol, nothing stored", async () => {
    const { token } = await insertWorkunit({ protocolId: "fig0-retired", protocolVersion: 1, seed: 0, expiresAt: Date.now() + HOUR });
    await expectNothingStored(async () => {
      await expectError(await postHonest(honestRun(PROTOCOL, 0), token, { protocolId: "fig0-retired", protocolVersion: 1 }), 410, "unknown_protocol");
    });
  });
});
