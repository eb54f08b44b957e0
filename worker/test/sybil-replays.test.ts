// Sybil sets against peer replays (issue 12, rule 3): 2, 5 and 20 keys try to confirm a forged Fig. 3 run (they
// answer with the run's own checkpoints, as its forger can) and to refute an honest one (they answer nonsense).
// Fresh keys (no earned standing) are refused every lease; keys with standing that share one address block get
// at most one segment of a run between them, which neither confirms a three-segment run nor refutes anything.
// After each attack the runs' peer status, the protocol's board (aggregate, claim verdicts, trust levels) and
// the honest author's standing are exactly as before. The last tests show the bound the README quotes: what a
// set of earned keys of distinct blocks needs to succeed.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ProtocolBoardSchema, ReplayLeaseSchema, ReplayOutcomeSchema, RunRecordSchema, type ReplayWorkunit, type RunRecord } from "../../shared/api";
import { EARNED_AFTER } from "../../shared/metrics/adaptive-trust";
import { checkpointLayout, segmentEnds } from "../../shared/metrics/trajectory";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import { contributorIdentity, earnedStanding } from "../contributors";
import { database } from "../db/client";
import { api, insertWorkunit } from "./helpers";
import { addressOf, blockOf, earnStanding } from "./standing";
import { BASE, honestRun, honestSubmission, postRun, TEST_ENVIRONMENT, type HonestSubmission } from "./submissions";

const PROTOCOL = "fig3-longer";
const protocol = honestRun(PROTOCOL, 0).protocol;
const layout = checkpointLayout(protocol)!;
const HONEST = "H".repeat(43);
const FORGER = "F".repeat(43);
/** The forger submits from here; the honest author from the tests' default (no address). */
const FORGER_ADDRESS = addressOf(200);

interface Submitted {
  readonly record: RunRecord;
  readonly submission: HonestSubmission;
  readonly initialWeights: Float32Array;
}

async function submit(seed: number, contributorKey: string, address?: string, wholeSegments?: readonly number[]): Promise<Submitted> {
  const run = honestRun(PROTOCOL, seed, wholeSegments ? { wholeSegments } : {});
  const { token } = await insertWorkunit({ protocolId: PROTOCOL, protocolVersion: protocol.version, seed, expiresAt: Date.now() + 3600_000 });
  const submission = await honestSubmission(run, token, { contributorKey });
  const form = new FormData();
  form.set("meta", JSON.stringify(submission.meta));
  form.set("weights", new Blob([encodeFloat32(submission.weights)]), "weights.f32");
  form.set("checkpoints", new Blob([encodeFloat32(submission.checkpoints!)]), "checkpoints.f32");
  const response = address
    ? await SELF.fetch(`${BASE}/api/runs`, { method: "POST", body: form, headers: { "cf-connecting-ip": address } })
    : await postRun(submission.meta, submission.weights, submission.checkpoints);
  expect(response.status).toBe(201);
  return { record: RunRecordSchema.parse(await response.json()), submission, initialWeights: run.initialWeights };
}

/** The run's own end of a segment: what agrees (the forger knows every checkpoint of a run they forged). */
function ownEnd(run: Submitted, segment: number): Float32Array {
  const { end } = segmentEnds(protocol, { initialWeights: run.initialWeights, checkpoints: run.submission.checkpoints!, finalWeights: run.submission.weights }, segment);
  const state = new Float32Array(layout.size);
  state.set(end.weights, 0);
  if (end.optimizerState) state.set(end.optimizerState, layout.weights);
  return state;
}
const nonsense = (run: Submitted, segment: number): Float32Array => ownEnd(run, segment).map((v, k) => (k < layout.weights ? v * 1.5 + 0.01 : v));

/** One request budget unit: POST /api/replays from `address`. */
async function ask(contributorKey: string, address: string): Promise<{ status: number; replay: ReplayWorkunit | null }> {
  const response = await api("/api/replays", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": address }, body: JSON.stringify({ contributorKey, protocolIds: [PROTOCOL] }) });
  const body = await response.json();
  return { status: response.status, replay: response.ok ? ReplayLeaseSchema.parse(body).replay : null };
}

async function answer(workunit: ReplayWorkunit, state: Float32Array) {
  const form = new FormData();
  form.set("meta", JSON.stringify({ token: workunit.token, environment: { ...TEST_ENVIRONMENT, backend: "wasm" }, timings: { trainMs: 1, steps: workunit.to - workunit.from } }));
  form.set("state", new Blob([encodeFloat32(state)]), "state.f32");
  const response = await api(`/api/replays/${workunit.replayId}`, { method: "POST", body: form });
  expect(response.status).toBe(200);
  return ReplayOutcomeSchema.parse(await response.json());
}

const board = async () => ProtocolBoardSchema.parse(await (await api(`/api/leaderboard/${PROTOCOL}`)).json());
const peerStatusOf = async (id: string) => RunRecordSchema.parse(await (await api(`/api/runs/${id}`)).json()).peerReplay!.status;

/** Everything an attack must not move: both runs' peer status, the board (aggregate, claims, trust), the honest author's standing. */
async function snapshot(forged: Submitted, honest: Submitted) {
  const db = database(env.DB);
  return {
    forged: await peerStatusOf(forged.record.id),
    honest: await peerStatusOf(honest.record.id),
    board: await board(),
    author: await earnedStanding(db, await contributorIdentity(HONEST)),
    answered: (await env.DB.prepare("SELECT count(*) AS n FROM segment_replays WHERE run_id IN (?, ?) AND answered_at IS NOT NULL AND weight > 0").bind(forged.record.id, honest.record.id).first<{ n: number }>())!.n,
  };
}

/**
 * The Sybil set's play, within a budget of `requestsPerKey` lease requests per key: every lease of the forged
 * run is answered with the run's own end (agrees), every lease of the honest run with nonsense (disagrees).
 * Returns how many leases of those two runs it got, and how many requests were refused.
 */
async function attack(keys: readonly string[], addressOfKey: (k: number) => string, forged: Submitted, honest: Submitted, requestsPerKey = 3) {
  let leases = 0;
  let refused = 0;
  // Only these two runs wait meanwhile: the file's other pending runs are hidden (hidden runs are never leased).
  const others = (await env.DB.prepare("SELECT id FROM runs WHERE peer_status = 'pending' AND hidden_at IS NULL AND id NOT IN (?, ?)").bind(forged.record.id, honest.record.id).all<{ id: string }>()).results.map((r) => r.id);
  const hide = (at: number | null) => Promise.all(others.map((id) => env.DB.prepare("UPDATE runs SET hidden_at = ? WHERE id = ?").bind(at, id).run()));
  await hide(Date.now());
  for (let round = 0; round < requestsPerKey; round++) {
    for (const [k, key] of keys.entries()) {
      const { status, replay } = await ask(key, addressOfKey(k));
      if (status === 403) refused += 1;
      if (!replay) continue;
      expect([forged.record.seed, honest.record.seed]).toContain(replay.seed);
      if (replay.seed === forged.record.seed) await answer(replay, ownEnd(forged, replay.segment));
      else await answer(replay, nonsense(honest, replay.segment));
      leases += 1;
    }
  }
  await hide(null);
  return { leases, refused };
}

const sybilKeys = (tag: string, n: number): string[] => Array.from({ length: n }, (_, k) => `${tag}${k}`.padEnd(43, "x"));

describe("Sybil sets against peer replays", () => {
  let seed = 0;
  let block = 0;

  for (const n of [2, 5, 20]) {
    it(`${n} fresh keys from ${n} blocks: every lease refused, nothing moves`, async () => {
      const forged = await submit(seed++, FORGER, FORGER_ADDRESS);
      const honest = await submit(seed++, HONEST);
      const before = await snapshot(forged, honest);
      const first = block;
      block += n;
      const result = await attack(sybilKeys(`fresh${n}-`, n), (k) => addressOf(first + k), forged, honest);
      expect(result).toEqual({ leases: 0, refused: 3 * n });
      expect(await snapshot(forged, honest)).toEqual(before);
      expect(before.forged).toBe("pending");
    });

    it(`${n} keys with earned standing sharing one block: at most one segment of a run between them, nothing decided`, async () => {
      const forged = await submit(seed++, FORGER, FORGER_ADDRESS);
      const honest = await submit(seed++, HONEST);
      const shared = addressOf(block++);
      const keys = sybilKeys(`block${n}-`, n);
      for (const key of keys) await earnStanding(key, { block: shared });
      const before = await snapshot(forged, honest);
      const result = await attack(keys, () => shared, forged, honest);
      // One block, one segment of each run: two leases at most, whatever the set's size.
      expect(result.refused).toBe(0);
      expect(result.leases).toBeLessThanOrEqual(2);
      const rows = (await env.DB.prepare("SELECT run_id, count(*) AS n FROM segment_replays WHERE replayer_block = ? GROUP BY run_id").bind(blockOf(shared)).all<{ run_id: string; n: number }>()).results;
      expect(rows.every((r) => r.n === 1)).toBe(true);
      const after = await snapshot(forged, honest);
      // Neither run is decided: the forged one needs all three drawn segments confirmed, the honest one two blocks against it.
      expect({ forged: after.forged, honest: after.honest, board: after.board, author: after.author }).toEqual({ forged: "pending", honest: "pending", board: before.board, author: before.author });
    });
  }

  it("keys with standing in the forger's own block get no segment of the forged run", async () => {
    const forged = await submit(seed++, FORGER, FORGER_ADDRESS);
    const keys = sybilKeys("own-", 5);
    for (const key of keys) await earnStanding(key, { block: FORGER_ADDRESS });
    for (const key of keys) {
      const { replay } = await ask(key, FORGER_ADDRESS);
      expect(replay?.seed).not.toBe(forged.record.seed);
    }
  });
});

describe("what a Sybil set must spend (the README's bound)", () => {
  it(`confirming a forged run: one earned key (${EARNED_AFTER} server-verified runs) per drawn segment, each from another block than the forger's and each other's`, async () => {
    // Only the forged run waits (the suite above left its runs pending: hide them from the draw).
    await env.DB.prepare("UPDATE runs SET hidden_at = ? WHERE peer_status = 'pending'").bind(Date.now()).run();
    const forged = await submit(20, FORGER, FORGER_ADDRESS);
    const drawn = forged.record.peerReplay!.segments.length;
    const keys = sybilKeys("bound-c-", drawn);
    for (const [k, key] of keys.entries()) await earnStanding(key, { block: addressOf(400 + k) });
    let requests = 0;
    for (let round = 0; round < 3 && (await peerStatusOf(forged.record.id)) === "pending"; round++) {
      for (const [k, key] of keys.entries()) {
        requests += 1;
        const { replay } = await ask(key, addressOf(400 + k));
        if (replay) await answer(replay, ownEnd(forged, replay.segment));
      }
    }
    // With no honest replayer competing, `drawn` such keys suffice (40 for fig3-longer): 3 × 40 = 120 server-verified runs, 41 blocks.
    expect(await peerStatusOf(forged.record.id)).toBe("replayed");
    expect(requests).toBeLessThanOrEqual(3 * drawn);
    // One key fewer cannot: every key answers at most one segment of a run.
    const second = await submit(21, FORGER, FORGER_ADDRESS);
    for (const [k, key] of keys.slice(0, drawn - 1).entries()) {
      const fresh = `${key.slice(0, 40)}zzz`;
      await earnStanding(fresh, { block: addressOf(500 + k) });
      for (let round = 0; round < 3; round++) {
        const { replay } = await ask(fresh, addressOf(500 + k));
        if (replay) await answer(replay, ownEnd(second, replay.segment));
      }
    }
    expect(await peerStatusOf(second.record.id)).toBe("pending");
  });

  it("refuting an honest run: two earned keys of two blocks that both draw the same segment only make the server replay it, which confirms it and outvotes them", async () => {
    await env.DB.prepare("UPDATE runs SET hidden_at = ? WHERE peer_status = 'pending'").bind(Date.now()).run();
    // The segment left to the Sybils (the last) is trained in full: what the server's own replay finds.
    const honest = await submit(22, HONEST, undefined, [layout.steps.length]);
    // Honest peers confirm all but one drawn segment, so the Sybils' draw is forced (the best case for them).
    const drawn = honest.record.peerReplay!.segments.length;
    for (let k = 0; k < drawn - 1; k++) {
      const key = `honest-peer-${k}`.padEnd(43, "p");
      await earnStanding(key, { block: addressOf(600 + k) });
      const replay = (await ask(key, addressOf(600 + k))).replay!;
      await answer(replay, ownEnd(honest, replay.segment));
    }
    const [x, y, z] = sybilKeys("bound-r-", 3);
    await earnStanding(x!, { block: addressOf(700) });
    await earnStanding(y!, { block: addressOf(700) });
    await earnStanding(z!, { block: addressOf(701) });
    const first = (await ask(x!, addressOf(700))).replay!;
    expect(await answer(first, nonsense(honest, first.segment))).toMatchObject({ segmentOutcome: "pending", runStatus: "pending" });
    // The same person's second key in the same block: not given the tiebreak.
    expect((await ask(y!, addressOf(700))).replay).toBeNull();
    // A second block: peers alone would refute it (weight 2 from two blocks), so the server replays the segment
    // itself (fig3-longer's 2,500 steps are within its budget): the checkpoint holds, the run is replayed, and
    // both Sybil keys are outvoted — suspect, no more leases. What they spent: 2 keys × 3 server-verified runs.
    const second = (await ask(z!, addressOf(701))).replay!;
    expect(second.segment).toBe(first.segment);
    const settled = await answer(second, nonsense(honest, second.segment));
    expect(settled).toMatchObject({ segmentOutcome: "confirmed", runStatus: "replayed" });
    expect(settled.message).toMatch(/the server replayed it itself .* The run's checkpoint holds/);
    for (const [key, block] of [[x!, 700], [z!, 701]] as const) expect((await ask(key, addressOf(block))).status).toBe(403);
    expect(await peerStatusOf(honest.record.id)).toBe("replayed");
  });

  it("a forged run an honest replayer disputes: colluding keys that outvote it only make the server replay the segment, which refutes the run and outvotes them", async () => {
    await env.DB.prepare("UPDATE runs SET hidden_at = ? WHERE peer_status = 'pending'").bind(Date.now()).run();
    // A stand-in chain claims 2,500 steps per segment but trained 20: the server's own replay finds it out.
    const forged = await submit(23, FORGER, FORGER_ADDRESS);
    const [honestPeer, c1, c2] = sybilKeys("arb-", 3);
    await earnStanding(honestPeer!, { block: addressOf(710) });
    await earnStanding(c1!, { block: addressOf(711) });
    await earnStanding(c2!, { block: addressOf(712) });
    // The honest replayer's own replay of segment 0 ends elsewhere than the forged checkpoint: it disagrees, a tiebreak opens.
    const byHonest = (await ask(honestPeer!, addressOf(710))).replay!;
    expect(byHonest.segment).toBe(0);
    expect(await answer(byHonest, nonsense(forged, 0))).toMatchObject({ agrees: false, segmentOutcome: "pending" });
    // Two colluding keys of two other blocks take the tiebreaks and vouch for the forged checkpoint.
    const first = (await ask(c1!, addressOf(711))).replay!;
    expect(first.segment).toBe(0);
    expect(await answer(first, ownEnd(forged, 0))).toMatchObject({ agrees: true, segmentOutcome: "pending" });
    const second = (await ask(c2!, addressOf(712))).replay!;
    expect(second.segment).toBe(0);
    // Their weight (2, two blocks) would confirm it against the honest disagreement: the server replays it instead.
    const settled = await answer(second, ownEnd(forged, 0));
    expect(settled).toMatchObject({ segmentOutcome: "refuted", runStatus: "refuted" });
    expect(settled.message).toMatch(/the server replayed it itself .* does not hold.*your agreeing replay is outvoted/);
    for (const [key, block] of [[c1!, 711], [c2!, 712]] as const) expect((await ask(key, addressOf(block))).status).toBe(403);
    // The honest replayer keeps its standing (a lease or nothing, never 403).
    expect((await ask(honestPeer!, addressOf(710))).status).not.toBe(403);
  });
});
