// Idempotent submission (a retried POST of the same body gets the stored run back, nothing is stored twice)
// and the admin's moderation API (hide a run or a contributor from the leaderboard, every action logged,
// refused without the ADMIN_TOKEN secret).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AdminLogEntrySchema, AdminLogSchema, LeaderboardResponseSchema, RunRecordSchema } from "../../shared/api";
import { api, expectError, postJson, requestWorkunit } from "./helpers";
import { honestRun, honestSubmission, metaWith, postHonest, postRun } from "./submissions";

const PROTOCOL = "fig1-margin-neg";
const ADMIN = { authorization: "Bearer test-admin-token-not-a-secret" };

const admin = (path: string, body: unknown, headers: Record<string, string> = ADMIN) =>
  api(`/api/admin${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

async function entryRuns(protocolId = PROTOCOL): Promise<number> {
  const { protocols } = LeaderboardResponseSchema.parse(await (await api("/api/leaderboard")).json());
  return protocols.find((p) => p.protocolId === protocolId)!.runs;
}

async function acceptedRun(contributor?: string) {
  const workunit = await requestWorkunit(PROTOCOL);
  const run = honestRun(PROTOCOL, workunit.seed);
  const response = await postHonest(run, workunit.token, contributor ? { contributor } : {});
  expect(response.status).toBe(201);
  return RunRecordSchema.parse(await response.json());
}

const rowsOfWorkunit = async (workunitId: string): Promise<number> =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM runs WHERE workunit_id = ?").bind(workunitId).first<{ n: number }>())!.n;

describe("names are stored and compared normalised (shared/names.ts)", () => {
  it("stores a name without its invisible and bidi characters, so hiding the plain name hides every padded spelling", async () => {
    const padded = await acceptedRun("trudy\u200b");
    const reversed = await acceptedRun("\u2066ｔｒｕｄｙ\u2069\u202e");
    expect([padded.contributor, reversed.contributor]).toEqual(["trudy", "trudy"]);
    const before = await entryRuns();
    expect((await admin("/contributors/hide", { contributor: "trudy", note: "one person, two spellings" })).status).toBe(200);
    expect(await entryRuns()).toBe(before - 2);
    expect((await admin("/contributors/unhide", { contributor: "trudy\u200d", note: "cleared" })).status).toBe(200);
    expect(await entryRuns()).toBe(before);
  });
});

describe("a retried submission", () => {
  it("gets the stored run back (same id, Idempotent-Replay) and stores nothing twice; another body for the token is 409", async () => {
    const workunit = await requestWorkunit(PROTOCOL);
    const run = honestRun(PROTOCOL, workunit.seed);
    const { meta, weights, checkpoints } = await honestSubmission(run, workunit.token);
    const first = await postRun(meta, weights, checkpoints);
    expect(first.status).toBe(201);
    const record = RunRecordSchema.parse(await first.json());

    const retry = await postRun(meta, weights, checkpoints);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replay")).toBe("true");
    expect(RunRecordSchema.parse(await retry.json())).toEqual(record);
    expect(await rowsOfWorkunit(workunit.workunitId)).toBe(1);

    // The same token with different weights or checkpoints is a replayed token, not a retry.
    const tampered = Float32Array.from(weights, (w, k) => (k === 0 ? w + 1 : w));
    await expectError(await postRun(meta, tampered, checkpoints), 409, "token_used");
    await expectError(await postRun(meta, weights, checkpoints!.map((v, k) => (k === 0 ? v + 1 : v))), 409, "token_used");
    await expectError(await postRun({ ...meta, contributor: "someone else" }, weights, checkpoints), 409, "token_used");
    expect(await rowsOfWorkunit(workunit.workunitId)).toBe(1);
  });

  it("of a rejected run gets the rejection back (422), still stored once", async () => {
    const workunit = await requestWorkunit(PROTOCOL);
    const run = honestRun(PROTOCOL, workunit.seed);
    const meta = metaWith(run, workunit.token, { claimed: { ...run.meta.claimed, trainAccuracy: 0.123 } });
    const first = await postRun(meta, run.weights);
    expect(first.status).toBe(422);
    const retry = await postRun(meta, run.weights);
    expect(retry.status).toBe(422);
    expect(retry.headers.get("idempotent-replay")).toBe("true");
    expect(RunRecordSchema.parse(await retry.json()).id).toBe(RunRecordSchema.parse(await first.json()).id);
    expect(await rowsOfWorkunit(workunit.workunitId)).toBe(1);
  });
});

describe("the admin API", () => {
  it("answers 429 once an address has spent the admin budget (30 here), wrong tokens included, before the token is checked", async () => {
    const guesser = { "cf-connecting-ip": "192.0.2.66" };
    for (let k = 0; k < 30; k++) expect((await admin("/log", {}, { ...guesser, authorization: `Bearer guess-${k}` })).status).toBe(403);
    const refused = await admin("/contributors/hide", { contributor: "anyone", note: "x" }, { ...guesser, ...ADMIN });
    await expectError(refused, 429, "rate_limited");
    // Another address still has its budget.
    expect((await api("/api/admin/log", { headers: { ...ADMIN, "cf-connecting-ip": "192.0.2.67" } })).status).toBe(200);
  });

  it("refuses requests without the right bearer token, and logs nothing", async () => {
    const record = await acceptedRun();
    await expectError(await admin(`/runs/${record.id}/hide`, { note: "spam" }, {}), 403, "forbidden");
    await expectError(await admin(`/runs/${record.id}/hide`, { note: "spam" }, { authorization: "Bearer wrong" }), 403, "forbidden");
    await expectError(await postJson(`/api/admin/runs/${record.id}/hide`, { note: "spam" }), 403, "forbidden");
    await expectError(await api("/api/admin/log"), 403, "forbidden");
    const log = AdminLogSchema.parse(await (await api("/api/admin/log", { headers: ADMIN })).json());
    expect(log.entries.filter((e) => e.target === record.id)).toEqual([]);
  });

  it("hides a run from the leaderboard and shows it again, logging both with their notes", async () => {
    const record = await acceptedRun();
    const before = await entryRuns();

    const hidden = await admin(`/runs/${record.id}/hide`, { note: "weights copied from another run" });
    expect(hidden.status).toBe(200);
    expect(AdminLogEntrySchema.parse(await hidden.json())).toMatchObject({ action: "hide-run", target: record.id, note: "weights copied from another run" });
    expect(await entryRuns()).toBe(before - 1);
    const served = RunRecordSchema.parse(await (await api(`/api/runs/${record.id}`)).json());
    expect(served).toMatchObject({ id: record.id, status: "accepted", hidden: true });

    expect((await admin(`/runs/${record.id}/unhide`, { note: "appeal upheld" })).status).toBe(200);
    expect(await entryRuns()).toBe(before);

    const log = AdminLogSchema.parse(await (await api("/api/admin/log", { headers: ADMIN })).json());
    expect(log.entries.filter((e) => e.target === record.id).map((e) => [e.action, e.note])).toEqual([
      ["unhide-run", "appeal upheld"],
      ["hide-run", "weights copied from another run"],
    ]);
  });

  it("hides every run of a contributor name, and checks its input", async () => {
    const name = "mallory-<script>";
    await acceptedRun(name);
    await acceptedRun(name);
    const before = await entryRuns();
    expect((await admin("/contributors/hide", { contributor: name, note: "sock puppets" })).status).toBe(200);
    expect(await entryRuns()).toBe(before - 2);
    expect((await admin("/contributors/unhide", { contributor: name, note: "cleared" })).status).toBe(200);
    expect(await entryRuns()).toBe(before);

    await expectError(await admin("/contributors/hide", { note: "no name" }), 400, "malformed");
    await expectError(await admin("/contributors/hide", { contributor: "\u200b\u2066", note: "only invisible characters" }), 400, "malformed");
    await expectError(await admin("/runs/run_00000000-0000-0000-0000-000000000000/hide", { note: "x" }), 404, "not_found");
    await expectError(await admin("/runs/nonsense/hide", { note: "x" }), 404, "not_found");
    await expectError(await admin("/runs/run_00000000-0000-0000-0000-000000000000/hide", { note: "" }), 400, "malformed");
    await expectError(await admin("/runs/run_00000000-0000-0000-0000-000000000000/hide", { note: "x", extra: 1 }), 400, "malformed");
  });
});
