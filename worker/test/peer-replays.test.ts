// Replay workunits through the API: a Fig. 3 100,000-step run's drawn segments go to other contributors with
// earned standing (worker/test/standing.ts), each from an address block of its own, who lease one each at
// random (never their own run's, never two of one run, one open lease at a time, minutes not hours), fetch its
// start with the lease's token, and answer; agreement makes the run "replayed", a lone disagreement calls a
// tiebreak and the outvoted replayer loses their replays, disagreements from two blocks refute the run:
// flagged "disputed" and left out of the aggregate. A segment whose start is a pending segment's answer waits.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ProtocolBoardSchema, ReplayLeaseSchema, ReplayOutcomeSchema, RunRecordSchema, type ReplayWorkunit, type RunRecord } from "../../shared/api";
import { LEASE_MIN_MS, leaseDurationMs } from "../../shared/metrics/peer-replay";
import { checkpointLayout, segmentEnds } from "../../shared/metrics/trajectory";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import { api, expectError, workunitForSeed } from "./helpers";
import { addressOf, earnStanding } from "./standing";
import { BASE, honestRun, honestSubmission, postRun, TEST_ENVIRONMENT, type HonestSubmission } from "./submissions";

const PROTOCOL = "fig3-longer";
const protocol = honestRun(PROTOCOL, 0).protocol;
const layout = checkpointLayout(protocol)!;
const key = (c: string) => c.repeat(43);
const [ALICE, BOB, CAROL, DAVE, ERIN] = ["a", "b", "c", "d", "e"].map(key) as [string, string, string, string, string];

/** Each replayer asks from an address block of its own (the tests' cf-connecting-ip; Cloudflare sets it in production). */
const addresses = new Map<string, string>();
const addressFor = (contributorKey: string): string => {
  if (!addresses.has(contributorKey)) addresses.set(contributorKey, addressOf(addresses.size + 1));
  return addresses.get(contributorKey)!;
};

/** A replayer with earned standing (three server-verified runs from its block). */
async function earned(contributorKey: string): Promise<string> {
  await earnStanding(contributorKey, { block: addressFor(contributorKey) });
  return contributorKey;
}

const askForReplay = (contributorKey: string, body: unknown = { contributorKey, protocolIds: [PROTOCOL] }): Promise<Response> =>
  api("/api/replays", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": addressFor(contributorKey) }, body: JSON.stringify(body) });

interface Submitted {
  readonly record: RunRecord;
  readonly submission: HonestSubmission;
  readonly initialWeights: Float32Array;
}

/** Every run submitted here, by seed (each seed once): what an honest replayer of one of its segments sends. */
const submitted = new Map<number, Submitted>();

/** Alice's honest run of a seed: verified, its drawn segments opened for peers. */
async function submit(seed: number, contributorKey = ALICE, wholeSegments?: readonly number[]): Promise<Submitted> {
  const run = honestRun(PROTOCOL, seed, wholeSegments ? { wholeSegments } : {});
  const workunit = await workunitForSeed(PROTOCOL, seed);
  const submission = await honestSubmission(run, workunit.token, { contributorKey });
  const response = await postRun(submission.meta, submission.weights, submission.checkpoints);
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status: 201 });
  const result = { record: RunRecordSchema.parse(JSON.parse(text)), submission, initialWeights: run.initialWeights };
  submitted.set(seed, result);
  return result;
}

async function lease(contributorKey: string): Promise<ReplayWorkunit | null> {
  const response = await askForReplay(contributorKey);
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status: expect.any(Number) });
  const body = ReplayLeaseSchema.parse(JSON.parse(text));
  expect({ status: response.status, text }).toMatchObject({ status: body.replay ? 201 : 200 });
  return body.replay;
}

/**
 * Fresh earned keys (each from a block of its own) lease and answer honestly, whatever run they draw, until
 * `done` holds (at most `max` leases); returns the leases.
 */
async function replayHonestly(done: () => Promise<boolean>, prefix: string, max = 16): Promise<ReplayWorkunit[]> {
  const leases: ReplayWorkunit[] = [];
  for (let k = 0; k < max && !(await done()); k++) {
    const workunit = await lease(await earned(`${prefix}${k.toString().padStart(3, "0")}`.padEnd(43, "h")));
    if (!workunit) break;
    await answered(workunit, honestAnswer(submitted.get(workunit.seed)!, workunit.segment));
    leases.push(workunit);
  }
  return leases;
}

const decided = (run: Submitted) => async () => (await runRecord(run.record.id)).peerReplay!.status !== "pending";

/** What an honest replayer sends for a leased segment: the run's own end of it (weights, then optimiser state). */
function honestAnswer(run: Submitted, segment: number): Float32Array {
  const { end } = segmentEnds(protocol, { initialWeights: run.initialWeights, checkpoints: run.submission.checkpoints!, finalWeights: run.submission.weights }, segment);
  const state = new Float32Array(layout.size);
  state.set(end.weights, 0);
  if (end.optimizerState) state.set(end.optimizerState, layout.weights);
  return state;
}

/** A replayer that did not train the segment: weights half again as large as the run's end. */
const wrongAnswer = (run: Submitted, segment: number): Float32Array => honestAnswer(run, segment).map((v, k) => (k < layout.weights ? v * 1.5 + 0.01 : v));

function answer(workunit: ReplayWorkunit, state: Float32Array | Uint8Array<ArrayBuffer>, token = workunit.token): Promise<Response> {
  const form = new FormData();
  form.set("meta", JSON.stringify({ token, environment: { ...TEST_ENVIRONMENT, backend: "webgpu" }, timings: { trainMs: 1000, steps: workunit.to - workunit.from } }));
  form.set("state", new Blob([state instanceof Float32Array ? encodeFloat32(state) : state]), "state.f32");
  return SELF.fetch(`${BASE}/api/replays/${workunit.replayId}`, { method: "POST", body: form });
}

async function answered(workunit: ReplayWorkunit, state: Float32Array) {
  const response = await answer(workunit, state);
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status: 200 });
  return ReplayOutcomeSchema.parse(JSON.parse(text));
}

const runRecord = async (id: string) => RunRecordSchema.parse(await (await api(`/api/runs/${id}`)).json());
const board = async () => ProtocolBoardSchema.parse(await (await api(`/api/leaderboard/${PROTOCOL}`)).json());

describe("replay workunits (segments replayed by peers)", () => {
  let first: Submitted;

  it("a verified run's drawn segments wait for peers; its weights and checkpoints are withheld meanwhile", async () => {
    for (const k of [BOB, CAROL, DAVE, ERIN]) await earned(k);
    first = await submit(0);
    expect(first.record.status).toBe("accepted");
    expect(first.record.replay).toBeNull();
    expect(first.record.peerReplay).toMatchObject({ status: "pending", segmentCount: 40 });
    const drawn = first.record.peerReplay!.segments.map((s) => s.segment);
    // Every segment goes to peers (a chain with any one broken link is caught), whoever submits.
    expect(drawn).toEqual(Array.from({ length: 40 }, (_, k) => k));
    expect(first.record.message).toMatch(/other contributors to replay/);
    await expectError(await api(`/api/runs/${first.record.id}/weights`), 409, "awaiting_peers");
    await expectError(await api(`/api/runs/${first.record.id}/checkpoints`), 409, "awaiting_peers");
    // Pending: listed as such, counted nowhere (not in the board's run count) until peers have replayed it.
    const pending = await board();
    expect(pending.runs[0]).toMatchObject({ id: first.record.id, trust: "pending", counted: false });
    expect(pending.entry.runs).toBe(0);
    expect(first.record.counted).toBe(false);
  });

  it("nobody replays their own run; a request needs a contributor key with earned standing and peer-replayed protocols", async () => {
    await earned(ALICE);
    expect(await lease(ALICE)).toBeNull();
    await expectError(await askForReplay(BOB, {}), 400, "malformed");
    await expectError(await askForReplay(BOB, { contributorKey: BOB, protocolIds: ["fig1-margin-pos"] }), 400, "malformed");
    // A fresh key, and one with two server-verified runs of the three it needs, are told how standing is earned.
    const fresh = key("n");
    expect(await expectError(await askForReplay(fresh), 403, "forbidden")).toMatch(/earned standing: at least 3 accepted runs.*This key has 0/);
    await earnStanding(fresh, { block: addressFor(fresh), runs: 2 });
    expect(await expectError(await askForReplay(fresh), 403, "forbidden")).toMatch(/This key has 2\./);
  });

  it("a peer's lease starts from the run's checkpoint, served only with the lease's token, and lasts minutes", async () => {
    const before = Date.now();
    const workunit = (await lease(BOB))!;
    expect(workunit).toMatchObject({ protocolId: PROTOCOL, seed: 0, to: workunit.from + 2500 });
    expect(first.record.peerReplay!.segments.map((s) => s.segment)).toContain(workunit.segment);
    // A 2,500-step segment of the 2-500-1 network: the 5-minute floor, never the old 6 hours.
    expect(leaseDurationMs(protocol)).toBe(LEASE_MIN_MS);
    const expires = Date.parse(workunit.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + LEASE_MIN_MS);
    expect(expires).toBeLessThanOrEqual(Date.now() + LEASE_MIN_MS);
    if (workunit.startUrl) {
      await expectError(await api(workunit.startUrl), 403, "token_invalid");
      const start = await api(workunit.startUrl, { headers: { authorization: `Bearer ${workunit.token}` } });
      expect(start.status).toBe(200);
      const bytes = new Uint8Array(await start.arrayBuffer());
      expect(bytes.byteLength).toBe(layout.size * 4);
      const expected = first.submission.checkpoints!.subarray((workunit.segment - 1) * layout.size, workunit.segment * layout.size);
      expect(new Float32Array(bytes.buffer)).toEqual(expected);
    } else {
      expect(workunit.from).toBe(0);
    }
    // One open lease per key: asking again gives the same lease back (200) with a new token; the old one stops working.
    const response = await askForReplay(BOB);
    expect(response.status).toBe(200);
    const again = ReplayLeaseSchema.parse(await response.json()).replay!;
    expect(again).toMatchObject({ replayId: workunit.replayId, segment: workunit.segment, expiresAt: workunit.expiresAt });
    expect(again.token).not.toBe(workunit.token);
    await expectError(await answer(workunit, honestAnswer(first, workunit.segment)), 403, "token_invalid");
    const open = await env.DB.prepare("SELECT count(*) AS n FROM segment_replays WHERE replayer_id = (SELECT replayer_id FROM segment_replays WHERE id = ?) AND answered_at IS NULL").bind(workunit.replayId).first<{ n: number }>();
    expect(open!.n).toBe(1);

    await expectError(await answer(again, honestAnswer(first, again.segment), "x".repeat(43)), 403, "token_invalid");
    await expectError(await answer(again, new Uint8Array(12)), 400, "evidence_shape");
    const nan = honestAnswer(first, again.segment);
    nan[5] = Number.NaN;
    await expectError(await answer(again, nan), 400, "weights_not_finite");

    const outcome = await answered(again, honestAnswer(first, again.segment));
    expect(outcome).toMatchObject({ runId: first.record.id, segment: again.segment, agrees: true, deviation: 0, segmentOutcome: "confirmed", runStatus: "pending" });
    await expectError(await answer(again, honestAnswer(first, again.segment)), 409, "token_used");
    // Bob replayed a segment of this run: he gets no second one (he would see both ends of it).
    expect(await lease(BOB)).toBeNull();
  });

  it("once every drawn segment agrees the run counts as replayed, and its artifacts are served", async () => {
    for (const peer of [CAROL, DAVE]) {
      const workunit = (await lease(peer))!;
      expect(workunit).not.toBeNull();
      const outcome = await answered(workunit, honestAnswer(first, workunit.segment));
      expect(outcome.agrees).toBe(true);
    }
    // The other 37 of its 40 segments, by fresh earned keys (one segment of a run per key and block).
    expect((await replayHonestly(decided(first), "all", 60)).length).toBe(37);
    expect(await lease(ERIN)).toBeNull();
    const record = await runRecord(first.record.id);
    expect(record.peerReplay!.status).toBe("replayed");
    expect(record.peerReplay!.segments.every((s) => s.outcome === "confirmed" && s.replays.length === 1 && s.replays[0]!.backend === "webgpu")).toBe(true);
    expect((await board()).runs.find((r) => r.id === first.record.id)!.trust).toBe("replayed");
    expect((await api(`/api/runs/${first.record.id}/weights`)).status).toBe(200);
    expect((await api(`/api/runs/${first.record.id}/checkpoints`)).status).toBe(200);
  });

  it("a lone disagreement calls a tiebreak; when earned agreements would settle it, the server's own replay does, and the outvoted replayer gets no more replays", async () => {
    // Segment 0, the one Bob draws (the only one leasable: each next segment waits for the one before), is
    // trained in full: what the server's own replay of the disputed segment must find.
    const run = await submit(1, ALICE, [0]);
    const byBob = (await lease(BOB))!;
    expect(byBob).toMatchObject({ seed: 1, segment: 0 });
    const disagreement = await answered(byBob, wrongAnswer(run, byBob.segment));
    expect(disagreement).toMatchObject({ agrees: false, segmentOutcome: "pending", runStatus: "pending" });
    expect(disagreement.deviation).toBeGreaterThan(disagreement.tolerance);
    expect(disagreement.message).toMatch(/Another contributor will replay the same segment/);
    const reopened = await env.DB.prepare("SELECT count(*) AS n FROM segment_replays WHERE run_id = ? AND segment = ? AND answered_at IS NULL").bind(run.record.id, byBob.segment).first<{ n: number }>();
    expect(reopened!.n).toBe(1);

    // Honest earned replayers take whatever they draw until the run is decided: it ends replayed.
    await replayHonestly(decided(run), "tb", 64);
    const record = await runRecord(run.record.id);
    expect(record.peerReplay!.status).toBe("replayed");
    // One agreement ties Bob (1 against 1); a second, from a third block, would outweigh him: the server replays
    // the segment itself, agrees with the run, and Bob is outvoted.
    const settled = record.peerReplay!.segments.find((s) => s.segment === byBob.segment)!;
    expect(settled.replays.map((r) => [r.agrees, r.byServer])).toEqual([[false, false], [true, false], [true, false], [true, true]]);
    const outvoted = await env.DB.prepare("SELECT outvoted FROM segment_replays WHERE id = ?").bind(byBob.replayId).first<{ outvoted: number }>();
    expect(outvoted!.outvoted).toBe(1);
    await expectError(await askForReplay(BOB, { contributorKey: BOB }), 403, "forbidden");
  });

  it("disagreements of earned keys from two blocks make the server replay the segment; a segment that does not hold refutes the run: listed as disputed, left out of the aggregate, its contributor suspect", async () => {
    const before = (await board()).entry.runs;
    const run = await submit(2);
    // Pending runs count nowhere: the board's count does not move until the peers decide.
    expect((await board()).entry.runs).toBe(before);
    // Every drawn segment but the last is confirmed first, so that the last is all that is waiting.
    const drawn = run.record.peerReplay!.segments.map((s) => s.segment);
    for (let k = 0; k < drawn.length - 1; k++) {
      const workunit = (await lease(await earned(`rf${k}`.padEnd(43, "r"))))!;
      await answered(workunit, honestAnswer(run, workunit.segment));
    }
    const byCarol = (await lease(CAROL))!;
    expect(byCarol.seed).toBe(2);
    await answered(byCarol, wrongAnswer(run, byCarol.segment));
    const byErin = (await lease(ERIN))!;
    expect(byErin.segment).toBe(byCarol.segment);
    // The test's runs are stand-in chains (20 real steps per 2,500-step segment): the server's own replay of the
    // disputed segment finds the run's checkpoint does not hold, and says so.
    const settled = await answered(byErin, wrongAnswer(run, byErin.segment));
    expect(settled).toMatchObject({ agrees: false, segmentOutcome: "refuted", runStatus: "refuted" });
    expect(settled.message).toMatch(/the server replayed it itself/);
    const disputed = (await runRecord(run.record.id)).peerReplay!.segments.find((s) => s.segment === byErin.segment)!;
    expect(disputed.replays.filter((r) => r.byServer)).toEqual([expect.objectContaining({ agrees: false, replayerId: "server" })]);
    const current = await board();
    expect(current.runs.find((r) => r.id === run.record.id)!.trust).toBe("disputed");
    expect(current.entry.runs).toBe(before);
    // Alice's run was refuted: her replays stop (every run has all its segments replayed, hers as anyone's).
    await expectError(await askForReplay(ALICE, { contributorKey: ALICE }), 403, "forbidden");
    expect((await submit(3)).record.peerReplay!.segments).toHaveLength(40);
  });

  it("an expired lease is handed out again, and its late answer is refused", async () => {
    await submit(5, key("q"));
    const held = (await lease(DAVE))!;
    await env.DB.prepare("UPDATE segment_replays SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, held.replayId).run();
    await expectError(await answer(held, new Float32Array(layout.size)), 410, "token_expired");
    // Dave's lease expired: the segment is waiting again, and someone draws it.
    const taken = async () => (await env.DB.prepare("SELECT answered_at FROM segment_replays WHERE id = ?").bind(held.replayId).first<{ answered_at: number | null }>())!.answered_at !== null;
    await replayHonestly(taken, "ex", 24);
    expect(await taken()).toBe(true);
    await expectError(await answer(held, new Float32Array(layout.size)), 403, "token_invalid");
  });

  it("leases are drawn at random among waiting segments, not oldest first", async () => {
    // Two runs wait (at least two segments leasable); fresh earned keys from fresh blocks each take one lease,
    // which is then expired, so every draw sees the same waiting set.
    await submit(4, key("f"));
    await submit(8, key("f"));
    const picked = new Set<string>();
    for (let k = 0; k < 16; k++) {
      const workunit = (await lease(await earned(`rd${k}`.padEnd(43, "d"))))!;
      expect(workunit).not.toBeNull();
      picked.add(workunit.replayId);
      await env.DB.prepare("UPDATE segment_replays SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, workunit.replayId).run();
    }
    // At least 2 waiting segments are leasable; 16 draws that all hit one of them has odds below 2^-15.
    expect(picked.size).toBeGreaterThan(1);
  });

  it("a segment whose start is a pending segment's answer waits until that segment is decided", async () => {
    const run = await submit(6, key("s"));
    // Only this run waits here: the others are hidden meanwhile (hidden runs are never leased).
    const others = (await env.DB.prepare("SELECT id FROM runs WHERE peer_status = 'pending' AND hidden_at IS NULL AND id <> ?").bind(run.record.id).all<{ id: string }>()).results.map((r) => r.id);
    const hide = (at: number | null) => Promise.all(others.map((id) => env.DB.prepare("UPDATE runs SET hidden_at = ? WHERE id = ?").bind(at, id).run()));
    await hide(Date.now());
    const drawn = run.record.peerReplay!.segments.map((s) => s.segment);
    expect(drawn).toContain(38);
    // Whoever held the start of segment 39 (checkpoint 38) would hold the answer to segment 38: while 38 is open,
    // nobody is given 39. Every other leasable segment is answered; 38 is held.
    let by38: ReplayWorkunit | undefined;
    let nothingLeft = false;
    for (let k = 0; k < 45 && !nothingLeft; k++) {
      const workunit = await lease(await earned(`sq${k}`.padEnd(43, "s")));
      if (!workunit) nothingLeft = true;
      else if (workunit.segment === 38) by38 = workunit;
      else {
        expect(workunit.segment).not.toBe(39);
        await answered(workunit, honestAnswer(run, workunit.segment));
      }
    }
    expect(by38).toBeDefined();
    expect(nothingLeft).toBe(true);
    await answered(by38!, honestAnswer(run, 38));
    expect(await lease(await earned("sq-after".padEnd(43, "s")))).toMatchObject({ seed: 6, segment: 39 });
    await hide(null);
  });

  it("two peers asking at once get different segments, and one key asking twice at once holds one lease", async () => {
    await submit(7, key("f"));
    const [g, h] = [await earned(key("g")), await earned(key("h"))];
    const [x, y] = await Promise.all([lease(g), lease(h)]);
    expect(x).not.toBeNull();
    expect(y).not.toBeNull();
    expect(x!.replayId).not.toBe(y!.replayId);
    const twice = await earned(key("i"));
    const responses = await Promise.all([askForReplay(twice), askForReplay(twice)]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 201]);
    const [p, q] = await Promise.all(responses.map(async (r) => ReplayLeaseSchema.parse(await r.json()).replay));
    expect(p!.replayId).toBe(q!.replayId);
  });

  it("a lease left to expire bars its key and block from that run, and a key that abandons two gets no lease for a week", async () => {
    const run = await submit(9, key("w"));
    // Only this run waits here: the others are hidden meanwhile (hidden runs are never leased).
    const others = (await env.DB.prepare("SELECT id FROM runs WHERE peer_status = 'pending' AND hidden_at IS NULL AND id <> ?").bind(run.record.id).all<{ id: string }>()).results.map((r) => r.id);
    const hide = (at: number | null) => Promise.all(others.map((id) => env.DB.prepare("UPDATE runs SET hidden_at = ? WHERE id = ?").bind(at, id).run()));
    const setHidden = (id: string, at: number | null) => env.DB.prepare("UPDATE runs SET hidden_at = ? WHERE id = ?").bind(at, id).run();
    const expire = (replayId: string) => env.DB.prepare("UPDATE segment_replays SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, replayId).run();
    await hide(Date.now());

    // The staller takes segment 0 (the only leasable one: each next segment waits for the one before) and lets it expire.
    const staller = await earned("stall".padEnd(43, "z"));
    const held = (await lease(staller))!;
    expect(held).toMatchObject({ seed: 9, segment: 0 });
    await expire(held.replayId);
    // Neither the staller nor another key of its block is given that run again.
    expect(await lease(staller)).toBeNull();
    const sibling = "stall-sibling".padEnd(43, "z");
    addresses.set(sibling, addressFor(staller));
    await earnStanding(sibling, { block: addressFor(staller) });
    expect(await lease(sibling)).toBeNull();
    // Someone else takes the abandoned segment and answers it; the abandonment is on record.
    const next = (await lease(await earned("stall-next".padEnd(43, "z"))))!;
    expect(next).toMatchObject({ replayId: held.replayId, segment: 0 });
    const recorded = await env.DB.prepare("SELECT replayer_id, segment FROM abandoned_leases WHERE run_id = ?").bind(run.record.id).all<{ replayer_id: string; segment: number }>();
    expect(recorded.results).toHaveLength(1);
    expect(recorded.results[0]!.segment).toBe(0);
    await answered(next, honestAnswer(run, 0));
    // Segment 1 is now waiting: a fresh key gets it, the staller (and its block) still do not.
    expect(await lease(staller)).toBeNull();
    expect(await lease(sibling)).toBeNull();
    expect(await lease(await earned("stall-fresh".padEnd(43, "z")))).toMatchObject({ seed: 9, segment: 1 });

    // A second abandonment within the window (a lease of another run): no lease at all, and the 403 says until when.
    await setHidden(run.record.id, Date.now());
    await hide(null);
    const second = (await lease(staller))!;
    expect(second.seed).not.toBe(9);
    await expire(second.replayId);
    const refusal = await expectError(await askForReplay(staller), 403, "forbidden");
    expect(refusal).toMatch(/let 2 replay leases expire unanswered in the last 7 days.*no new lease until \d{4}-/);
    // The throttle is the key's own: the sibling, which abandoned nothing, still gets a lease (of a run its block never abandoned).
    const siblings = (await lease(sibling))!;
    expect([9, second.seed]).not.toContain(siblings.seed);
    await setHidden(run.record.id, null);
  });
});
