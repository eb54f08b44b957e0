// An honest run from workunit to leaderboard: accepted, stored in D1 and R2, served back, aggregated, and
// its seed no longer handed out first. The tests of this file share storage and run in order.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { LeaderboardResponseSchema, ProtocolBoardSchema, RunRecordSchema, type RunRecord, type Workunit } from "../../shared/api";
import { decodeFloat32, encodeFloat32 } from "../../shared/nn/float32-codec";
import { PROTOCOLS } from "../../shared/protocols/registry";
import { artifactKeys } from "../storage";
import { api, objectKeys, requestWorkunit, runRow, workunitRow } from "./helpers";
import { honestRun, honestSubmission, postHonest, postRun, type HonestRun, type HonestSubmission } from "./submissions";

const PROTOCOL = "fig1-margin-neg";

let workunit: Workunit;
let run: HonestRun;
/** What was sent: the final weights differ from run.weights when the server's draw includes the last segment. */
let honest: HonestSubmission;
let status: number;
let record: RunRecord;
let submittedAt: number;

beforeAll(async () => {
  workunit = await requestWorkunit(PROTOCOL);
  run = honestRun(PROTOCOL, workunit.seed);
  submittedAt = Date.now();
  honest = await honestSubmission(run, workunit.token, { contributor: "alice" });
  const response = await postRun(honest.meta, honest.weights, honest.checkpoints);
  status = response.status;
  record = RunRecordSchema.parse(await response.json());
});

/** The leaderboard's view of a metric after accepted runs with these values (one per seed). */
const statOf = (value: number | null | undefined) => (typeof value === "number" ? { mean: value, std: 0, n: 1 } : null);

describe("an honest run", () => {
  it("is for the first workunit's seed, 0", () => {
    expect(workunit.seed).toBe(0);
  });

  it("is accepted: 201 and a RunRecord whose recomputed metrics equal the claimed ones", () => {
    expect(status).toBe(201);
    expect(record).toMatchObject({
      protocolId: PROTOCOL,
      protocolVersion: run.protocol.version,
      seed: 0,
      status: "accepted",
      reason: null,
      contributor: "alice",
      environment: { backend: "wasm", tfjsVersion: "4.22.0", client: "cli", userAgent: "test" },
      trainMs: 1234,
    });
    expect(record.id).toMatch(/^run_[0-9a-f-]{36}$/);
    expect(record.claimed).toEqual(honest.meta.claimed);
    expect(record.recomputed).toEqual(honest.recomputed);
    expect(record.recomputed).toEqual(record.claimed);
    expect(Object.keys(record.recomputed!).sort()).toEqual(["curvature", "finalLoss", "meanMargin", "minMargin", "trainAccuracy"]);
    const created = Date.parse(record.createdAt);
    expect(created).toBeGreaterThanOrEqual(submittedAt - 1);
    expect(created).toBeLessThanOrEqual(Date.now());
  });

  it("is stored in D1 and consumes its workunit", async () => {
    const row = await runRow(record.id);
    expect(row).toMatchObject({
      workunit_id: workunit.workunitId,
      protocol_id: PROTOCOL,
      protocol_version: run.protocol.version,
      seed: 0,
      status: "accepted",
      reason: null,
      contributor: "alice",
      backend: "wasm",
      train_ms: 1234,
      created_at: Date.parse(record.createdAt),
    });
    expect(JSON.parse(row!.claimed)).toEqual(honest.meta.claimed);
    expect(JSON.parse(row!.recomputed!)).toEqual(honest.recomputed);
    expect(JSON.parse(row!.environment)).toEqual(run.meta.environment);
    const wu = await workunitRow(workunit.workunitId);
    expect(wu!.consumed_at).toBe(row!.created_at);
  });

  it("stores its weights, evidence, figure grid and trajectory checkpoints in R2 under the keys of worker/storage.ts", async () => {
    const keys = artifactKeys(record.id);
    expect(keys).toEqual({
      weights: `runs/${record.id}/weights.f32`,
      evidence: `runs/${record.id}/evidence.json`,
      grid: `runs/${record.id}/grid.f32`,
      checkpoints: `runs/${record.id}/checkpoints.f32`,
    });
    expect((await objectKeys()).filter((k) => k.startsWith(`runs/${record.id}/`))).toEqual([keys.checkpoints, keys.evidence, keys.grid, keys.weights]);
    const checkpoints = await env.ARTIFACTS.get(keys.checkpoints);
    expect(new Uint8Array(await checkpoints!.arrayBuffer())).toEqual(encodeFloat32(honest.checkpoints!));

    const weights = await env.ARTIFACTS.get(keys.weights);
    expect(new Uint8Array(await weights!.arrayBuffer())).toEqual(encodeFloat32(honest.weights));

    const evidence = await env.ARTIFACTS.get(keys.evidence);
    expect(await evidence!.json()).toEqual({ firstLosses: honest.meta.firstLosses, lossHistory: honest.meta.lossHistory, series: honest.meta.series ?? {}, timings: honest.meta.timings });

    const grid = decodeFloat32(new Uint8Array(await (await env.ARTIFACTS.get(keys.grid))!.arrayBuffer()));
    expect(grid).not.toBeNull();
    expect(grid!.length).toBe(10_000);
    expect(Array.from(grid!)).toEqual(Array.from(honest.grid));
  });

  it("had all 10 of its trajectory segments replayed, in order, whoever submits (anonymous here)", () => {
    expect(record.replay).toMatchObject({ segments: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], segmentCount: 10 });
    // Float64 from float32 checkpoints the helper built in float64: far inside the tolerance.
    expect(record.replay!.deviation).toBeLessThan(1e-4);
    expect(record.message).toMatch(/replayed all 10 segments of the run in order/);
  });

  it("GET /api/runs/:id/checkpoints serves its trajectory checkpoints as float32", async () => {
    const response = await api(`/api/runs/${record.id}/checkpoints`);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(encodeFloat32(honest.checkpoints!));
    expect((await api("/api/runs/run_00000000-0000-0000-0000-000000000000/checkpoints")).status).toBe(404);
  });

  it("GET /api/runs/:id returns it", async () => {
    const response = await api(`/api/runs/${record.id}`);
    expect(response.status).toBe(200);
    expect(RunRecordSchema.parse(await response.json())).toEqual(record);
  });

  it("GET /api/runs/:id/weights serves its verified weights as float32; unknown ids are 404", async () => {
    const response = await api(`/api/runs/${record.id}/weights`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(encodeFloat32(honest.weights));
    expect((await api("/api/runs/run_00000000-0000-0000-0000-000000000000/weights")).status).toBe(404);
    expect((await api("/api/runs/nonsense/weights")).status).toBe(404);
  });

  it("GET /api/leaderboard counts it: runs 1, seeds 1, each metric's mean the recomputed value with std 0", async () => {
    const response = await api("/api/leaderboard");
    expect(response.status).toBe(200);
    const { protocols } = LeaderboardResponseSchema.parse(await response.json());
    expect(protocols.map((p) => p.protocolId)).toEqual(PROTOCOLS.map((p) => p.id));
    const entry = protocols.find((p) => p.protocolId === PROTOCOL)!;
    expect(entry).toMatchObject({ protocolVersion: run.protocol.version, runs: 1, seeds: 1, contributors: 1, title: run.protocol.title, figure: "Fig. 1" });
    expect(entry.metrics).toEqual(Object.fromEntries(Object.entries(honest.recomputed).map(([k, v]) => [k, statOf(v)])));
    // The other protocol of the claim has no run yet: no verdict.
    expect(entry.claims).toHaveLength(1);
    expect(entry.claims[0]).toMatchObject({ metric: "curvature", relation: ">", otherProtocolId: "fig1-margin-pos", value: statOf(honest.recomputed.curvature), other: null, holds: null });
    for (const other of protocols.filter((p) => p.protocolId !== PROTOCOL)) {
      expect(other).toMatchObject({ runs: 0, seeds: 0, contributors: 0 });
      expect(Object.values(other.metrics).every((m) => m === null)).toBe(true);
    }
  });

  it("GET /api/leaderboard/:id returns its 10,000-value boundary grid and the run", async () => {
    const response = await api(`/api/leaderboard/${PROTOCOL}`);
    expect(response.status).toBe(200);
    const board = ProtocolBoardSchema.parse(await response.json());
    expect(board.entry.runs).toBe(1);
    expect(board.runs).toEqual([
      { id: record.id, seed: 0, contributor: "alice", contributorId: null, trust: "replayed", counted: true, backend: "wasm", recomputed: record.recomputed, trainMs: 1234, createdAt: record.createdAt },
    ]);
    expect(board.boundary).not.toBeNull();
    expect(board.boundary!.seeds).toBe(1);
    expect(board.boundary!.grid).toHaveLength(10_000);
    expect(board.boundary!.grid).toEqual(Array.from(honest.grid, (v) => Math.round(v * 1e5) / 1e5));
    // A protocol without runs has no figure yet.
    const empty = ProtocolBoardSchema.parse(await (await api("/api/leaderboard/fig2-margin-neg")).json());
    expect(empty).toMatchObject({ runs: [], boundary: null, entry: { runs: 0 } });
  });

  it("the next workunit for that protocol skips the covered seed", async () => {
    expect((await requestWorkunit(PROTOCOL)).seed).toBe(1);
    // Another protocol is not affected.
    expect((await requestWorkunit("fig2-margin-pos")).seed).toBe(0);
  });

  it("with a run of the other protocol, the claim gets a verdict on both entries", async () => {
    const wu = await requestWorkunit("fig1-margin-pos");
    expect(wu.seed).toBe(0);
    const other = honestRun("fig1-margin-pos", wu.seed);
    const response = await postHonest(other, wu.token);
    expect(response.status).toBe(201);
    const otherRecord = RunRecordSchema.parse(await response.json());
    expect(otherRecord.contributor).toBeNull();

    const { protocols } = LeaderboardResponseSchema.parse(await (await api("/api/leaderboard")).json());
    const neg = protocols.find((p) => p.protocolId === "fig1-margin-neg")!;
    const pos = protocols.find((p) => p.protocolId === "fig1-margin-pos")!;
    const negCurvature = honest.recomputed.curvature!;
    const posCurvature = other.recomputed.curvature!;
    expect(neg.claims[0]).toMatchObject({ value: statOf(negCurvature), other: statOf(posCurvature), holds: negCurvature > posCurvature });
    expect(pos.claims[0]).toMatchObject({ value: statOf(posCurvature), other: statOf(negCurvature), holds: posCurvature < negCurvature });
    expect(pos).toMatchObject({ runs: 1, seeds: 1, contributors: 1 });
  });
});
