// Every forged submission we know of, in one table (written in three parts under worker/test/forged/): each
// refused with its status and reason, none on the leaderboard; honest runs of every family accepted.
//
// How to read the table: each attack starts from an honest submission for its workunit (two-moons: the
// memoised 20-step replay of worker/test/submissions.ts; toy: the exact trajectories; Colored MNIST: restart
// r's last layer trained from its initial weights, shared/testing/cmnist-chain.ts), changes one thing, and names the answer it must get.
// The harness checks, for every attack:
//   - 422 (the verifier's rejections): the body is a RunRecord with status "rejected" and that reason, the run
//     is stored once as rejected (its workunit consumed; weights kept unless they have the wrong size, never
//     served), and it is not among the protocol board's runs;
//   - any other status (refused before verification): the error body has that reason, nothing is stored (no
//     run row, no R2 object) and the workunit is not consumed;
//   - both: GET /api/leaderboard shows the same run count for every protocol before and after.
// Workunits are inserted into D1 as POST /api/workunits stores them (seed 0 unless an attack needs another),
// so that every attack reuses one memoised honest run per protocol.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ProtocolBoardSchema, REJECTION_REASONS, RunRecordSchema, type RunRecord } from "../../shared/api";
import { findProtocol, moonsProtocol } from "../../shared/protocols/registry";
import { newToken } from "../tokens";
import { api, expectError, insertWorkunit, leaderboardRunCounts, postJson, requestWorkunit, runRow, runRows, storedState, workunitRow } from "./helpers";
import { postRun } from "./submissions";
import { CMNIST_CHAIN_ATTACKS } from "./forged/attacks-cmnist-chains";
import { EVIDENCE_ATTACKS } from "./forged/attacks-evidence";
import { RUN_ATTACKS } from "./forged/attacks-runs";
import { TRANSPORT_ATTACKS } from "./forged/attacks-transport";
import { CHAIN_ATTACKS } from "./forged/attacks-chains";
import { CMNIST, FIG1, FIG2, HOUR, TOY, honestOf, moonsSubmission, moonsWithWeights } from "./forged/kit";
import type { Attack, Ctx, Forged } from "./forged/kit";

const ATTACKS: readonly Attack[] = [...RUN_ATTACKS, ...EVIDENCE_ATTACKS, ...TRANSPORT_ATTACKS, ...CMNIST_CHAIN_ATTACKS, ...CHAIN_ATTACKS];

// ---- the harness -----------------------------------------------------------------------------------

function send(forged: Forged): Promise<Response> {
  if ("body" in forged) {
    return api("/api/runs", { method: "POST", body: forged.body, headers: forged.contentType === null ? {} : { "content-type": forged.contentType } });
  }
  return postRun(forged.meta, forged.weights, forged.checkpoints ?? null);
}

/** The attack's workunit (as POST /api/workunits stores it), in the state the attack needs. */
async function issue(attack: Attack): Promise<{ ctx: Ctx; workunitId: string | null }> {
  const protocol = findProtocol(attack.protocolId)!;
  const seed = attack.seed ?? 0;
  const kind = attack.token ?? "fresh";
  if (kind === "unknown") {
    const token = newToken();
    return { ctx: { token, honest: () => honestOf(protocol.id, seed, token) }, workunitId: null };
  }
  const { id, token } = await insertWorkunit({
    protocolId: protocol.id,
    protocolVersion: attack.version?.(protocol.version) ?? protocol.version,
    seed,
    expiresAt: Date.now() + (kind === "expired" ? -1000 : HOUR),
  });
  const honest = () => honestOf(protocol.id, seed, token);
  if (kind === "used" || kind === "burned") {
    const h = await honest();
    const first = await postRun(kind === "used" ? h.meta : { ...h.meta, claimed: {} }, h.weights, h.checkpoints);
    expect(first.status).toBe(kind === "used" ? 201 : 422);
  }
  return { ctx: { token, honest }, workunitId: id };
}

/** A verification rejection: 422, stored once as rejected, its workunit consumed, never served or counted. */
async function expectStoredAsRejected(response: Response, attack: Attack, workunitId: string, before: Awaited<ReturnType<typeof storedState>>): Promise<RunRecord> {
  const text = await response.text();
  expect({ status: response.status, body: text }).toMatchObject({ status: 422 });
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const record = RunRecordSchema.parse(JSON.parse(text));
  expect(record).toMatchObject({ status: "rejected", reason: attack.reason, protocolId: attack.protocolId, seed: attack.seed ?? 0 });
  expect(await runRow(record.id)).toMatchObject({ status: "rejected", reason: attack.reason, workunit_id: workunitId });

  const after = await storedState();
  expect(after.runs.filter((id) => !before.runs.includes(id))).toEqual([record.id]);
  expect(after.runs).toHaveLength(before.runs.length + 1);
  expect(after.consumed).toContain(workunitId);
  // Nothing of a refused body is kept in R2: only its row.
  expect(after.objects.filter((k) => !before.objects.includes(k))).toEqual([]);

  expect((await api(`/api/runs/${record.id}/weights`)).status).toBe(404);
  const board = ProtocolBoardSchema.parse(await (await api(`/api/leaderboard/${attack.protocolId}`)).json());
  expect(board.runs.map((r) => r.id)).not.toContain(record.id);
  return record;
}

describe("honest runs of each family are accepted", () => {
  // First in the file, on a fresh database, through POST /api/workunits: each gets seed 0.
  // Colored MNIST's segments go to peers: accepted as pending, it counts once they replay it (peer-replays tests).
  it.each([FIG1, FIG2, TOY, CMNIST])("%s: an honest run → 201, verified, and counted unless peers must still replay it", async (protocolId) => {
    const workunit = await requestWorkunit(protocolId);
    const h = await honestOf(protocolId, workunit.seed, workunit.token);
    const counts = await leaderboardRunCounts();
    const response = await postRun(h.meta, h.weights, h.checkpoints);
    const record = RunRecordSchema.parse(await response.json());
    expect({ status: response.status, reason: record.reason, message: record.message }).toMatchObject({ status: 201, reason: null });
    expect(record).toMatchObject({ status: "accepted", protocolId, seed: workunit.seed });
    const pending = protocolId === CMNIST;
    expect(record.counted).toBe(!pending);
    expect(await leaderboardRunCounts()).toEqual({ ...counts, [protocolId]: counts[protocolId]! + (pending ? 0 : 1) });
  });
});

/** Sends the attack and checks its answer, what it stored and that the leaderboard did not move. */
async function expectRefused(attack: Attack): Promise<void> {
  const { ctx, workunitId } = await issue(attack);
  const forged = await attack.forge(ctx);
  const counts = await leaderboardRunCounts();
  const before = await storedState();
  const consumedBefore = workunitId === null ? null : (await workunitRow(workunitId))!.consumed_at;

  const response = await send(forged);
  if (attack.status === 422) {
    const record = await expectStoredAsRejected(response, attack, workunitId!, before);
    if (attack.message) expect(record.message).toMatch(attack.message);
  } else {
    const message = await expectError(response, attack.status, attack.reason);
    if (attack.message) expect(message).toMatch(attack.message);
    expect(await storedState()).toEqual(before);
    if (workunitId !== null) expect((await workunitRow(workunitId))!.consumed_at).toBe(consumedBefore);
  }
  expect(await leaderboardRunCounts()).toEqual(counts);
}

describe(`forged submissions (${ATTACKS.length} attacks): each refused with its status and reason, none on the leaderboard`, () => {
  for (const attack of ATTACKS) it(`${attack.name} → ${attack.status} ${attack.reason}`, () => expectRefused(attack));

  it("the table: at least 25 attacks, distinct names, every rejection reason of the API", () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(ATTACKS.map((a) => a.name)).size).toBe(ATTACKS.length);
    expect(new Set(ATTACKS.map((a) => a.reason))).toEqual(new Set(REJECTION_REASONS));
  });
});

describe("a concurrent double submission with one token", () => {
  it("three simultaneous bodies with one token → exactly one stored (201), the others 409 token_used", async () => {
    const p = moonsProtocol(FIG1);
    const { id, token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: Date.now() + HOUR });
    const h = await moonsSubmission(FIG1, 0, token);
    const counts = await leaderboardRunCounts();
    // Different bodies (contributors): an identical body sent twice is an idempotent retry, not an attack.
    const responses = await Promise.all([1, 2, 3].map((k) => postRun({ ...h.meta, contributor: `racer ${k}` }, h.weights, h.checkpoints)));
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const loser of responses.filter((r) => r.status === 409)) await expectError(loser, 409, "token_used");
    const winner = RunRecordSchema.parse(await responses.find((r) => r.status === 201)!.json());
    const stored = (await env.DB.prepare("SELECT id, status FROM runs WHERE workunit_id = ?").bind(id).all<{ id: string; status: string }>()).results;
    expect(stored).toEqual([{ id: winner.id, status: "accepted" }]);
    expect(await leaderboardRunCounts()).toEqual({ ...counts, [FIG1]: counts[FIG1]! + 1 });
  });
});

describe("text that looks like markup or SQL", () => {
  async function acceptedWithContributor(contributor: string): Promise<RunRecord> {
    const p = moonsProtocol(FIG1);
    const { token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: Date.now() + HOUR });
    const h = await moonsSubmission(FIG1, 0, token);
    const response = await postRun({ ...h.meta, contributor }, h.weights, h.checkpoints);
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const text = await response.text();
    // The name travels as a JSON string: JSON.parse gives it back verbatim.
    expect(text).toContain(`"contributor":${JSON.stringify(contributor)}`);
    const record = RunRecordSchema.parse(JSON.parse(text));
    expect(record.contributor).toBe(contributor);
    expect((await runRow(record.id))!.contributor).toBe(contributor);
    return record;
  }

  it("HTML/script in the contributor name is stored verbatim and only ever served as a JSON string", async () => {
    const contributor = `<script>alert("gs")</script><img src=x>`;
    const record = await acceptedWithContributor(contributor);
    for (const path of [`/api/runs/${record.id}`, `/api/leaderboard/${FIG1}`]) {
      const response = await api(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const text = await response.text();
      expect(text).toContain(JSON.stringify(contributor));
      const body = JSON.parse(text) as { contributor?: string; runs?: { id: string; contributor: string | null }[] };
      expect(body.contributor ?? body.runs!.find((r) => r.id === record.id)!.contributor).toBe(contributor);
    }
  });

  it("SQL in the contributor name is stored verbatim; SQL in a protocol id is refused by the schema; the tables are intact", async () => {
    const before = await runRows();
    const contributor = "x'); DROP TABLE runs; --";
    const record = await acceptedWithContributor(contributor);
    expect((await env.DB.prepare("SELECT id FROM runs WHERE contributor = ?").bind(contributor).all<{ id: string }>()).results).toEqual([{ id: record.id }]);

    // protocolId must be lowercase words joined by '-': the workunit request and the submission are both 400.
    await expectError(await postJson("/api/workunits", { protocolId: "fig1-margin-pos'; DROP TABLE workunits; --" }), 400, "malformed");
    const h = await moonsSubmission(FIG1, 0, newToken());
    await expectError(await postRun({ ...h.meta, protocolId: `${FIG1}" OR 1=1 --` }, h.weights, h.checkpoints), 400, "malformed");

    const after = await runRows();
    expect(after.map((r) => r.id)).toEqual([...before.map((r) => r.id), record.id]);
    const tables = (await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('runs', 'workunits') ORDER BY name").all<{ name: string }>()).results;
    expect(tables.map((t) => t.name)).toEqual(["runs", "workunits"]);
    expect((await api("/api/leaderboard")).status).toBe(200);
  });
});

describe("subnormal weights", () => {
  // FINDING (the verifier's actual behaviour, kept): subnormal float32 weights are decoded exactly
  // (DataView.getFloat32 does not flush them to zero), pass the finiteness check, and are evaluated in float64
  // like any other weight: the claims made for exactly these weights would match. They are still refused unless
  // training reaches them: every segment is replayed before any metric, and the last ends at the honest final
  // weights, not at these (an all-subnormal net is refused the same way, in the table above).
  it("a two-moons run with every 7th weight replaced by a subnormal (±1e-42), claims honest for them → the trajectory does not reach them", async () => {
    const p = moonsProtocol(FIG1);
    const { token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: Date.now() + HOUR });
    const honest = await moonsSubmission(FIG1, 0, token);
    const subnormal = honest.weights.map((w, k) => (k % 7 === 0 ? Math.sign(w || 1) * 1e-42 : w));
    expect(subnormal[0]).not.toBe(0);
    expect(Math.abs(subnormal[0]!)).toBeLessThan(2 ** -126);
    const forged = moonsWithWeights(honest, subnormal);
    expect(forged.meta.claimed).not.toEqual(honest.meta.claimed);

    const counts = await leaderboardRunCounts();
    const response = await postRun(forged.meta, forged.weights, forged.checkpoints);
    const record = RunRecordSchema.parse(await response.json());
    expect({ status: response.status, reason: record.reason, message: record.message }).toMatchObject({ status: 422, reason: "trajectory_mismatch", message: expect.stringMatching(/steps 900–1000/) });
    // Refused at the chain, before any metric is computed (a refused body costs no more than an honest one).
    expect(record.recomputed).toBeNull();
    expect(await leaderboardRunCounts()).toEqual(counts);
  });
});
