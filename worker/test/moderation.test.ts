// Idempotent submission (a retried POST of the same body gets the stored run back, nothing is stored twice)
// and the admin's moderation API (hide a run, a contributor name or a contributor identity from the
// leaderboard, every action logged, refused without the ADMIN_TOKEN secret, rate-limited per address).
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { AdminLogEntrySchema, AdminLogSchema, LeaderboardResponseSchema, ProtocolBoardSchema, RunRecordSchema } from "../../shared/api";
import { api, expectError, postJson, requestWorkunit } from "./helpers";
import { honestRun, honestSubmission, metaWith, postHonest, postRun } from "./submissions";
import { addressOf, earnStanding } from "./standing";
import { earnedAmong } from "../aggregates/standing";
import { afterDirectWrite } from "./direct-writes";
import { contributorIdentity, earnedStanding } from "../contributors";
import { database } from "../db/client";

const PROTOCOL = "fig1-margin-neg";
const ADMIN_TOKEN = { authorization: "Bearer test-admin-token-not-a-secret" };
// The admin API allows an address 30 requests a minute here (worker/vitest.config.ts): each test acts from an
// address of its own, so the suite never spends one address's budget.
let testAddress = 0;
beforeEach(() => {
  testAddress += 1;
});
const adminHeaders = (): Record<string, string> => ({ ...ADMIN_TOKEN, "cf-connecting-ip": `198.51.100.${testAddress}` });

const admin = (path: string, body: unknown, headers: Record<string, string> = adminHeaders()) =>
  api(`/api/admin${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

async function entryRuns(protocolId = PROTOCOL): Promise<number> {
  const { protocols } = LeaderboardResponseSchema.parse(await (await api("/api/leaderboard")).json());
  return protocols.find((p) => p.protocolId === protocolId)!.runs;
}

/** The ids of the runs the protocol's board lists (counted ones: hidden runs are not listed). */
async function boardRunIds(protocolId = PROTOCOL): Promise<string[]> {
  return ProtocolBoardSchema.parse(await (await api(`/api/leaderboard/${protocolId}`)).json()).runs.map((r) => r.id);
}

/** A contributor key (43 base64url characters) named for the test that uses it. */
const keyOf = (tag: string): string => tag.padEnd(43, "0");

/**
 * Runs submitted under a key cost the server more (a new key's runs get more segments replayed), so the tests
 * submit one keyed run and give the others an identity in the database: `identity` hex digits fill the hash.
 */
async function giveIdentity(runId: string, identity: string): Promise<void> {
  await env.DB.prepare("UPDATE runs SET contributor_id = ? WHERE id = ?").bind(identity, runId).run();
  await afterDirectWrite([runId]);
}
const storedIdentity = async (runId: string): Promise<string> =>
  (await env.DB.prepare("SELECT contributor_id AS id FROM runs WHERE id = ?").bind(runId).first<{ id: string }>())!.id;

async function acceptedRun(contributor?: string, contributorKey?: string) {
  const workunit = await requestWorkunit(PROTOCOL);
  const run = honestRun(PROTOCOL, workunit.seed);
  const response = await postHonest(run, workunit.token, { ...(contributor ? { contributor } : {}), ...(contributorKey ? { contributorKey } : {}) });
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
    // Compared case-folded too: hiding "TRUDY" hides "trudy".
    expect((await admin("/contributors/hide", { contributor: "TRUDY", note: "one person, two spellings" })).status).toBe(200);
    expect(await entryRuns()).toBe(before - 2);
    expect((await admin("/contributors/unhide", { contributor: "trudy\u200d", note: "cleared" })).status).toBe(200);
    expect(await entryRuns()).toBe(before);
  }, 180_000);
});

describe("moderation by contributor key", () => {
  it("hides every run of one identity, whatever names it used, by the id its run records give; a namesake with another key still counts", async () => {
    const first = await acceptedRun("carol", keyOf("mallet"));
    expect(first.contributorId).toMatch(/^[0-9a-f]{12}$/);
    const second = await acceptedRun("someone-else");
    await giveIdentity(second.id, await storedIdentity(first.id));
    const namesake = await acceptedRun("carol");
    await giveIdentity(namesake.id, "c".repeat(64));
    const before = await entryRuns();

    const hidden = await admin("/contributor-keys/hide", { contributorId: first.contributorId, note: "forged runs under two names" });
    expect(hidden.status).toBe(200);
    const entry = AdminLogEntrySchema.parse(await hidden.json());
    expect(entry.action).toBe("hide-contributor-key");
    // The log names the full identity, so the action stays unambiguous.
    expect(entry.target).toMatch(new RegExp(`^${first.contributorId}[0-9a-f]{52}$`));
    expect(await entryRuns()).toBe(before - 2);
    const listed = await boardRunIds();
    expect(listed).toContain(namesake.id);
    expect(listed).not.toContain(first.id);
    expect(listed).not.toContain(second.id);
    // Hiding twice changes nothing; a name-free identity action is refused without an id.
    expect((await admin("/contributor-keys/hide", { contributorId: entry.target, note: "again, by the full hash" })).status).toBe(200);
    expect(await entryRuns()).toBe(before - 2);

    expect((await admin("/contributor-keys/unhide", { contributorId: first.contributorId, note: "appeal upheld" })).status).toBe(200);
    expect(await entryRuns()).toBe(before);
    expect(await boardRunIds()).toEqual(expect.arrayContaining([first.id, second.id, namesake.id]));
  }, 180_000);

  it("hiding a name still hides every run under it, both people's; hiding a key hides the one person", async () => {
    const a = await acceptedRun("dave");
    const b = await acceptedRun("Dave\u200b");
    await giveIdentity(a.id, "da".repeat(32));
    await giveIdentity(b.id, "db".repeat(32));
    const before = await entryRuns();
    expect((await admin("/contributors/hide", { contributor: "dave", note: "the name is offensive" })).status).toBe(200);
    expect(await entryRuns()).toBe(before - 2);
    expect((await admin("/contributors/unhide", { contributor: "dave", note: "renamed" })).status).toBe(200);
    expect((await admin("/contributor-keys/hide", { contributorId: "dadadadadada", note: "only this person" })).status).toBe(200);
    expect(await entryRuns()).toBe(before - 1);
    expect(await boardRunIds()).toContain(b.id);
    expect((await admin("/contributor-keys/unhide", { contributorId: "dadadadadada", note: "cleared" })).status).toBe(200);
    expect(await entryRuns()).toBe(before);
  }, 120_000);

  it("a hidden key loses its earned standing: no replay lease (403) until it is shown again", async () => {
    const key = keyOf("hiddenstanding");
    await earnStanding(key, { block: addressOf(901) });
    const ask = () => api("/api/replays", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": addressOf(901) }, body: JSON.stringify({ contributorKey: key }) });
    expect((await ask()).status).toBe(200);
    const contributorId = await contributorIdentity(key);
    expect((await admin("/contributor-keys/hide", { contributorId, note: "forged runs" })).status).toBe(200);
    expect(await expectError(await ask(), 403, "forbidden")).toMatch(/An admin hid this contributor key/);
    const db = database(env.DB);
    expect((await earnedStanding(db, contributorId))!.weight).toBe(0);
    expect((await earnedAmong(db, [contributorId])).has(contributorId)).toBe(false);
    expect((await admin("/contributor-keys/unhide", { contributorId, note: "appeal upheld" })).status).toBe(200);
    expect((await ask()).status).toBe(200);
    expect((await earnedAmong(db, [contributorId])).has(contributorId)).toBe(true);
  });

  it("refuses an id no identity has, a malformed id, and a prefix two identities share (the full hash then decides)", async () => {
    await expectError(await admin("/contributor-keys/hide", { contributorId: "0123456789ab", note: "nobody" }), 404, "not_found");
    await expectError(await admin("/contributor-keys/unhide", { contributorId: "0123456789ab", note: "nobody hidden" }), 404, "not_found");
    for (const contributorId of ["0123456789AB", "0123456789a", "0123456789abc", "run_1", ""]) {
      await expectError(await admin("/contributor-keys/hide", { contributorId, note: "bad id" }), 400, "malformed");
    }
    await expectError(await admin("/contributor-keys/hide", { note: "no id" }), 400, "malformed");

    // Two identities whose hashes begin alike (a key can be ground to share 48 bits with someone's).
    const prefix = "feedfacecafe";
    const [idX, idY] = [`${prefix}${"0".repeat(52)}`, `${prefix}${"1".repeat(52)}`];
    await giveIdentity((await acceptedRun("erin")).id, idX);
    await giveIdentity((await acceptedRun("frank")).id, idY);
    const before = await entryRuns();
    await expectError(await admin("/contributor-keys/hide", { contributorId: prefix, note: "which one?" }), 409, "ambiguous");
    expect(await entryRuns()).toBe(before);
    expect((await admin("/contributor-keys/hide", { contributorId: idX, note: "this one" })).status).toBe(200);
    expect((await admin("/contributor-keys/hide", { contributorId: idY, note: "and that one" })).status).toBe(200);
    expect(await entryRuns()).toBe(before - 2);
    await expectError(await admin("/contributor-keys/unhide", { contributorId: prefix, note: "which one?" }), 409, "ambiguous");
    expect((await admin("/contributor-keys/unhide", { contributorId: idY, note: "cleared" })).status).toBe(200);
    expect((await admin("/contributor-keys/unhide", { contributorId: prefix, note: "the one left" })).status).toBe(200);
    expect(await entryRuns()).toBe(before);
    const log = AdminLogSchema.parse(await (await api("/api/admin/log", { headers: adminHeaders() })).json());
    expect(log.entries.filter((e) => e.target.startsWith(prefix)).map((e) => [e.action, e.target])).toEqual([
      ["unhide-contributor-key", idX],
      ["unhide-contributor-key", idY],
      ["hide-contributor-key", idY],
      ["hide-contributor-key", idX],
    ]);
  }, 120_000);
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
    const refused = await admin("/contributors/hide", { contributor: "anyone", note: "x" }, { ...ADMIN_TOKEN, ...guesser });
    await expectError(refused, 429, "rate_limited");
    // Another address still has its budget.
    expect((await api("/api/admin/log", { headers: { ...ADMIN_TOKEN, "cf-connecting-ip": "192.0.2.67" } })).status).toBe(200);
  });

  it("refuses requests without the right bearer token, and logs nothing", async () => {
    const record = await acceptedRun();
    await expectError(await admin(`/runs/${record.id}/hide`, { note: "spam" }, {}), 403, "forbidden");
    await expectError(await admin(`/runs/${record.id}/hide`, { note: "spam" }, { authorization: "Bearer wrong" }), 403, "forbidden");
    await expectError(await postJson(`/api/admin/runs/${record.id}/hide`, { note: "spam" }), 403, "forbidden");
    await expectError(await api("/api/admin/log"), 403, "forbidden");
    const log = AdminLogSchema.parse(await (await api("/api/admin/log", { headers: adminHeaders() })).json());
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

    const log = AdminLogSchema.parse(await (await api("/api/admin/log", { headers: adminHeaders() })).json());
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
