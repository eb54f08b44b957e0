// Replay workunits through the API: a Fig. 3 100,000-step run's drawn segments go to other contributors, who
// lease one each (never their own run's, never two of one run), fetch its start with the lease's token, and
// answer; agreement makes the run "replayed", a lone disagreement calls a tiebreak and the outvoted replayer
// loses their replays, two disagreements refute the run: flagged "disputed" and left out of the aggregate.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ProtocolBoardSchema, ReplayLeaseSchema, ReplayOutcomeSchema, RunRecordSchema, type ReplayWorkunit, type RunRecord } from "../../shared/api";
import { checkpointLayout, segmentEnds } from "../../shared/metrics/trajectory";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import { api, expectError, postJson, workunitForSeed } from "./helpers";
import { BASE, honestRun, honestSubmission, postRun, TEST_ENVIRONMENT, type HonestSubmission } from "./submissions";

const PROTOCOL = "fig3-longer";
const protocol = honestRun(PROTOCOL, 0).protocol;
const layout = checkpointLayout(protocol)!;
const key = (c: string) => c.repeat(43);
const [ALICE, BOB, CAROL, DAVE, ERIN] = ["a", "b", "c", "d", "e"].map(key) as [string, string, string, string, string];

interface Submitted {
  readonly record: RunRecord;
  readonly submission: HonestSubmission;
  readonly initialWeights: Float32Array;
}

/** Alice's honest run of a seed: verified, its drawn segments opened for peers. */
async function submit(seed: number, contributorKey = ALICE): Promise<Submitted> {
  const run = honestRun(PROTOCOL, seed);
  const workunit = await workunitForSeed(PROTOCOL, seed);
  const submission = await honestSubmission(run, workunit.token, { contributorKey });
  const response = await postRun(submission.meta, submission.weights, submission.checkpoints);
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status: 201 });
  return { record: RunRecordSchema.parse(JSON.parse(text)), submission, initialWeights: run.initialWeights };
}

async function lease(contributorKey: string): Promise<ReplayWorkunit | null> {
  const response = await postJson("/api/replays", { contributorKey, protocolIds: [PROTOCOL] });
  const body = ReplayLeaseSchema.parse(await response.json());
  expect(response.status).toBe(body.replay ? 201 : 200);
  return body.replay;
}

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
    first = await submit(0);
    expect(first.record.status).toBe("accepted");
    expect(first.record.replay).toBeNull();
    expect(first.record.peerReplay).toMatchObject({ status: "pending", segmentCount: 40 });
    const drawn = first.record.peerReplay!.segments.map((s) => s.segment);
    expect(drawn).toEqual(first.submission.segments.slice(0, 3));
    expect(drawn).toContain(39);
    expect(first.record.message).toMatch(/other contributors to replay/);
    await expectError(await api(`/api/runs/${first.record.id}/weights`), 409, "awaiting_peers");
    await expectError(await api(`/api/runs/${first.record.id}/checkpoints`), 409, "awaiting_peers");
    expect((await board()).runs[0]!.trust).toBe("recomputed");
  });

  it("nobody replays their own run; a request needs a contributor key and peer-replayed protocols", async () => {
    expect(await lease(ALICE)).toBeNull();
    await expectError(await postJson("/api/replays", {}), 400, "malformed");
    await expectError(await postJson("/api/replays", { contributorKey: BOB, protocolIds: ["fig1-margin-pos"] }), 400, "malformed");
  });

  it("a peer's lease starts from the run's checkpoint, served only with the lease's token", async () => {
    const workunit = (await lease(BOB))!;
    expect(workunit).toMatchObject({ protocolId: PROTOCOL, seed: 0, to: workunit.from + 2500 });
    expect(first.record.peerReplay!.segments.map((s) => s.segment)).toContain(workunit.segment);
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
    // Bob holds one segment of this run: he gets no second one (he would see both ends of it).
    expect(await lease(BOB)).toBeNull();

    await expectError(await answer(workunit, honestAnswer(first, workunit.segment), "x".repeat(43)), 403, "token_invalid");
    await expectError(await answer(workunit, new Uint8Array(12)), 400, "evidence_shape");
    const nan = honestAnswer(first, workunit.segment);
    nan[5] = Number.NaN;
    await expectError(await answer(workunit, nan), 400, "weights_not_finite");

    const outcome = await answered(workunit, honestAnswer(first, workunit.segment));
    expect(outcome).toMatchObject({ runId: first.record.id, segment: workunit.segment, agrees: true, deviation: 0, segmentOutcome: "confirmed", runStatus: "pending" });
    await expectError(await answer(workunit, honestAnswer(first, workunit.segment)), 409, "token_used");
  });

  it("once every drawn segment agrees the run counts as replayed, and its artifacts are served", async () => {
    for (const peer of [CAROL, DAVE]) {
      const workunit = (await lease(peer))!;
      expect(workunit).not.toBeNull();
      const outcome = await answered(workunit, honestAnswer(first, workunit.segment));
      expect(outcome.agrees).toBe(true);
    }
    expect(await lease(ERIN)).toBeNull();
    const record = await runRecord(first.record.id);
    expect(record.peerReplay!.status).toBe("replayed");
    expect(record.peerReplay!.segments.every((s) => s.outcome === "confirmed" && s.replays.length === 1 && s.replays[0]!.backend === "webgpu")).toBe(true);
    expect((await board()).runs.find((r) => r.id === first.record.id)!.trust).toBe("replayed");
    expect((await api(`/api/runs/${first.record.id}/weights`)).status).toBe(200);
    expect((await api(`/api/runs/${first.record.id}/checkpoints`)).status).toBe(200);
  });

  it("a lone disagreement calls a tiebreak; the outvoted replayer gets no more replays", async () => {
    const run = await submit(1);
    const byBob = (await lease(BOB))!;
    const disagreement = await answered(byBob, wrongAnswer(run, byBob.segment));
    expect(disagreement).toMatchObject({ agrees: false, segmentOutcome: "pending", runStatus: "pending" });
    expect(disagreement.deviation).toBeGreaterThan(disagreement.tolerance);
    expect(disagreement.message).toMatch(/Another contributor will replay the same segment/);

    // The tiebreak is the oldest open replay: Carol gets Bob's segment again, then Dave settles the tie.
    const byCarol = (await lease(CAROL))!;
    expect(byCarol.segment).toBe(byBob.segment);
    expect(await answered(byCarol, honestAnswer(run, byCarol.segment))).toMatchObject({ agrees: true, segmentOutcome: "pending" });
    const byDave = (await lease(DAVE))!;
    expect(byDave.segment).toBe(byBob.segment);
    expect(await answered(byDave, honestAnswer(run, byDave.segment))).toMatchObject({ agrees: true, segmentOutcome: "confirmed" });

    const outvoted = await env.DB.prepare("SELECT outvoted FROM segment_replays WHERE id = ?").bind(byBob.replayId).first<{ outvoted: number }>();
    expect(outvoted!.outvoted).toBe(1);
    await expectError(await postJson("/api/replays", { contributorKey: BOB }), 403, "forbidden");
    const record = await runRecord(run.record.id);
    expect(record.peerReplay!.segments.find((s) => s.segment === byBob.segment)!.replays.map((r) => r.agrees)).toEqual([false, true, true]);
  });

  it("two disagreements refute the run: listed as disputed, left out of the aggregate, its contributor suspect", async () => {
    const before = (await board()).entry.runs;
    const run = await submit(2);
    expect((await board()).entry.runs).toBe(before + 1);
    const byCarol = (await lease(CAROL))!;
    expect(byCarol.seed).toBe(2);
    await answered(byCarol, wrongAnswer(run, byCarol.segment));
    const byErin = (await lease(ERIN))!;
    expect(byErin.segment).toBe(byCarol.segment);
    expect(await answered(byErin, wrongAnswer(run, byErin.segment))).toMatchObject({ agrees: false, segmentOutcome: "refuted", runStatus: "refuted" });
    const current = await board();
    expect(current.runs.find((r) => r.id === run.record.id)!.trust).toBe("disputed");
    expect(current.entry.runs).toBe(before);
    // Alice's run was refuted: her replays stop, and her next run is checked as a suspect's (6 segments).
    await expectError(await postJson("/api/replays", { contributorKey: ALICE }), 403, "forbidden");
    expect((await submit(3)).record.peerReplay!.segments).toHaveLength(6);
  });

  it("an expired lease is handed out again, and its late answer is refused", async () => {
    const held = (await lease(DAVE))!;
    await env.DB.prepare("UPDATE segment_replays SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, held.replayId).run();
    await expectError(await answer(held, new Float32Array(layout.size)), 410, "token_expired");
    // Carol already replayed seeds 0 to 2: her first candidate is the one Dave let expire.
    const again = (await lease(CAROL))!;
    expect(again.replayId).toBe(held.replayId);
    await expectError(await answer(held, new Float32Array(layout.size)), 403, "token_invalid");
  });

  it("two peers asking at once get different segments", async () => {
    await submit(4, key("f"));
    const [x, y] = await Promise.all([lease(key("g")), lease(key("h"))]);
    expect(x).not.toBeNull();
    expect(y).not.toBeNull();
    expect(x!.replayId).not.toBe(y!.replayId);
  });
});
