// GET /api/runs (filters, keyset pagination that visits each run once, refused queries), GET /api/runs/:id/evidence
// (withheld while peers replay, bounded) and GET /api/contributors/:id (by key, names, ambiguous prefixes).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ContributorPageSchema, EVIDENCE_POINTS_MAX, RunEvidenceSchema, RunsPageSchema, type ListedRun } from "../../shared/board-api";
import { RunsQuerySchema } from "../../shared/board-api";
import { database } from "../db/client";
import { listingConditions, pageSelect } from "../routes/run-listing";
import { afterDirectWrite } from "./direct-writes";
import { api, expectError } from "./helpers";
import { identity, storeRun, storeRuns } from "./run-fixtures";

const T0 = Date.UTC(2026, 0, 1);
const listing = async (query: string) => {
  const response = await api(`/api/runs?${query}`);
  expect(response.status).toBe(200);
  return RunsPageSchema.parse(await response.json());
};
const ids = (runs: readonly ListedRun[]) => runs.map((r) => r.id);

describe("GET /api/runs", () => {
  it("lists only counted runs by default, newest first, and narrows by contributor, protocol, seed, facet, trust and time", async () => {
    const me = identity("a1a1a1a1a1a1");
    const counted = [
      await storeRun({ protocolId: "fig1-margin-neg", contributorId: me, createdAt: T0 + 1000, seed: 3 }),
      await storeRun({ protocolId: "fig1-margin-neg", contributorId: me, createdAt: T0 + 2000, seed: 7, replayed: true }),
      await storeRun({ protocolId: "fig1-margin-pos", contributorId: me, createdAt: T0 + 3000, backend: "webgpu", gpuVendor: "nvidia", browser: "chrome" }),
      await storeRun({ protocolId: "fig3-dropout", contributorId: me, createdAt: T0 + 4000, peerStatus: "replayed" }),
    ];
    const pending = await storeRun({ protocolId: "fig3-dropout", contributorId: me, createdAt: T0 + 5000, peerStatus: "pending" });
    const refuted = await storeRun({ protocolId: "fig3-dropout", contributorId: me, createdAt: T0 + 6000, peerStatus: "refuted" });
    const hidden = await storeRun({ protocolId: "fig1-margin-neg", contributorId: me, createdAt: T0 + 7000, hidden: true });
    await storeRun({ protocolId: "fig1-margin-neg", contributorId: me, createdAt: T0 + 8000, status: "rejected" });
    const others = await storeRun({ protocolId: "fig1-margin-neg", contributorId: identity("b2b2b2b2b2b2"), createdAt: T0 + 9000 });
    await afterDirectWrite([...counted, pending, refuted, hidden, others]);

    const page = await listing("contributor=a1a1a1a1a1a1");
    expect(ids(page.runs)).toEqual([...counted].reverse());
    expect(page.nextCursor).toBeNull();
    expect(page.runs.every((r) => r.counted && r.contributorId === "a1a1a1a1a1a1")).toBe(true);
    expect(page.runs.find((r) => r.id === counted[2])).toMatchObject({ protocolId: "fig1-margin-pos", backend: "webgpu", gpuVendor: "nvidia", browser: "chrome", os: "linux", trust: "recomputed" });
    expect(page.runs.find((r) => r.id === counted[3])!.trust).toBe("replayed");

    expect(ids((await listing("contributor=a1a1a1a1a1a1&protocol=fig1-margin-neg")).runs)).toEqual([counted[1], counted[0]]);
    expect(ids((await listing("contributor=a1a1a1a1a1a1&seed=7")).runs)).toEqual([counted[1]]);
    expect(ids((await listing("contributor=a1a1a1a1a1a1&backend=webgpu")).runs)).toEqual([counted[2]]);
    expect(ids((await listing("contributor=a1a1a1a1a1a1&gpuVendor=nvidia")).runs)).toEqual([counted[2]]);
    // trust: the lowest level the run's seed has (its aggregate row), as on the boards.
    expect(ids((await listing("contributor=a1a1a1a1a1a1&trust=replayed")).runs)).toEqual([counted[3], counted[1]]);
    expect((await listing("contributor=a1a1a1a1a1a1&trust=reproduced")).runs).toEqual([]);
    await env.DB.prepare("UPDATE seed_stats SET trust = 'reproduced' WHERE protocol_id = 'fig1-margin-pos' AND facet = ''").run();
    const reproduced = await listing("contributor=a1a1a1a1a1a1&trust=reproduced");
    expect(ids(reproduced.runs)).toEqual([counted[2]]);
    expect(reproduced.runs[0]!.trust).toBe("reproduced");
    expect(ids((await listing("contributor=a1a1a1a1a1a1&trust=replayed")).runs)).toEqual([counted[3], counted[2], counted[1]]);
    const since = new Date(T0 + 2000).toISOString();
    const until = new Date(T0 + 4000).toISOString();
    expect(ids((await listing(`contributor=a1a1a1a1a1a1&since=${since}&until=${until}`)).runs)).toEqual([counted[2], counted[1]]);

    // counted=false: every accepted run, pending, refuted and hidden ones too (marked not counted); never a rejected one.
    const all = await listing("contributor=a1a1a1a1a1a1&counted=false");
    expect(ids(all.runs)).toEqual([hidden, refuted, pending, ...[...counted].reverse()]);
    expect(all.runs.filter((r) => !r.counted).map((r) => r.id)).toEqual([hidden, refuted, pending]);
    expect(all.runs.find((r) => r.id === pending)!.trust).toBe("pending");
    // A contributor id with no runs lists nothing.
    expect((await listing("contributor=c3c3c3c3c3c3")).runs).toEqual([]);
  });

  it("leaves out runs of a hidden identity and under a hidden name", async () => {
    const hiddenKey = identity("d4d4d4d4d4d4");
    await storeRun({ protocolId: "fig1-margin-neg", contributorId: hiddenKey, createdAt: T0 + 10 });
    await env.DB.prepare("INSERT INTO hidden_contributor_keys (contributor_id, hidden_at) VALUES (?, ?)").bind(hiddenKey, T0).run();
    expect((await listing("contributor=d4d4d4d4d4d4")).runs).toEqual([]);
    const named = identity("e5e5e5e5e5e5");
    const kept = await storeRun({ protocolId: "fig1-margin-neg", contributorId: named, contributor: "Kept", createdAt: T0 + 20 });
    await storeRun({ protocolId: "fig1-margin-neg", contributorId: named, contributor: "Spammer", createdAt: T0 + 30 });
    await env.DB.prepare("INSERT INTO hidden_contributors (name, hidden_at) VALUES ('spammer', ?)").bind(T0).run();
    expect(ids((await listing("contributor=e5e5e5e5e5e5")).runs)).toEqual([kept]);
  });

  it("pages by cursor through every run exactly once, ties in time included, and says when it is done", async () => {
    const me = identity("f6f6f6f6f6f6");
    const stored: string[] = [];
    for (let k = 0; k < 7; k++) stored.push(await storeRun({ protocolId: "fig1-margin-pos", contributorId: me, seed: k, createdAt: T0 + 100 * Math.floor(k / 2) }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listing(`contributor=f6f6f6f6f6f6&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.runs.length).toBeLessThanOrEqual(3);
      seen.push(...ids(page.runs));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen.length).toBe(7);
    expect(new Set(seen)).toEqual(new Set(stored));
    // Newest first: created_at never increases along the pages.
    const times = await Promise.all(seen.map(async (id) => (await env.DB.prepare("SELECT created_at FROM runs WHERE id = ?").bind(id).first<{ created_at: number }>())!.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("reads about one page of rows per request, however many runs are stored (D1 meta.rows_read)", async () => {
    const me = identity("9e9e9e9e9e9e");
    const rowsRead = async (search: string): Promise<number> => {
      const db = database(env.DB);
      const found = await listingConditions(db, RunsQuerySchema.parse(Object.fromEntries(new URLSearchParams(search))), null);
      if (found.ok !== true) throw new Error(`no listing for ${search}`);
      const { sql, params } = pageSelect(db, found.where, 20).toSQL();
      return (await env.DB.prepare(sql).bind(...params).all()).meta.rows_read;
    };
    const many = (n: number, from: number) =>
      storeRuns(Array.from({ length: n }, (_, k) => ({ protocolId: "fig3-weight-decay", seed: k, contributorId: k % 3 === 0 ? me : identity(`${k % 7}${"d".repeat(11)}`), createdAt: T0 + 50_000 + from + k })));
    const queries = ["limit=20", "limit=20&protocol=fig3-weight-decay", "limit=20&contributor=9e9e9e9e9e9e"];
    await many(90, 0);
    const before = await Promise.all(queries.map(rowsRead));
    await many(900, 1000);
    const after = await Promise.all(queries.map(rowsRead));
    for (const [k, query] of queries.entries()) {
      expect({ query, rowsRead: after[k] }).toEqual({ query, rowsRead: before[k] });
      // Each row of the page counts a few times (index entry, table row, the sort of the tie on id).
      expect(after[k]).toBeLessThanOrEqual(4 * 21);
    }
  });

  it("refuses a malformed query or cursor with 400 and the reason, an unknown protocol with 404, an ambiguous contributor id with 409", async () => {
    expect(await expectError(await api("/api/runs?cursor=bm90LWEtY3Vyc29y"), 400, "malformed")).toMatch(/cursor/);
    await expectError(await api("/api/runs?cursor=***"), 400, "malformed");
    expect(await expectError(await api("/api/runs?limit=0"), 400, "malformed")).toMatch(/limit/);
    await expectError(await api("/api/runs?limit=201"), 400, "malformed");
    await expectError(await api("/api/runs?backend=tpu"), 400, "malformed");
    await expectError(await api("/api/runs?backend=wasm&os=linux"), 400, "malformed");
    await expectError(await api("/api/runs?contributor=ABC"), 400, "malformed");
    await expectError(await api("/api/runs?since=yesterday"), 400, "malformed");
    await expectError(await api("/api/runs?trust=quorum"), 400, "malformed");
    await expectError(await api("/api/runs?protocol=no-such-protocol"), 404, "unknown_protocol");
    await storeRun({ protocolId: "fig1-margin-neg", contributorId: identity("0a0a0a0a0a0a", "1"), createdAt: T0 });
    await storeRun({ protocolId: "fig1-margin-neg", contributorId: identity("0a0a0a0a0a0a", "2"), createdAt: T0 });
    await expectError(await api("/api/runs?contributor=0a0a0a0a0a0a"), 409, "ambiguous");
  });
});

describe("GET /api/runs caching", () => {
  it("answers with an ETag, 304 while nothing changed, and a new ETag once a run is accepted", async () => {
    const key = identity("c3c3c3c3c3c3");
    await afterDirectWrite([await storeRun({ protocolId: "fig1-margin-pos", contributorId: key, createdAt: T0 + 100 })]);
    const first = await api("/api/runs?contributor=c3c3c3c3c3c3&limit=5");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"\d+-[0-9a-f]{20}"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    expect((await api("/api/runs?limit=5&contributor=c3c3c3c3c3c3", { headers: { "if-none-match": etag! } })).status).toBe(304);
    await afterDirectWrite([await storeRun({ protocolId: "fig1-margin-pos", contributorId: key, createdAt: T0 + 200 })]);
    const after = await api("/api/runs?contributor=c3c3c3c3c3c3&limit=5", { headers: { "if-none-match": etag! } });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(RunsPageSchema.parse(await after.json()).runs).toHaveLength(2);
  });
});

describe("GET /api/runs/:id/evidence", () => {
  const evidence = { firstLosses: [0.7, 0.69], lossHistory: [0.7, 0.5, 0.3], series: { z1: [1, 2, 3] }, timings: { trainMs: 1234, steps: 1000 } };

  it("serves a verified run's evidence, withholds it while peers replay the run, and has none for a rejected run", async () => {
    const verified = await storeRun({ protocolId: "fig1-margin-neg", createdAt: T0, evidence });
    const response = await api(`/api/runs/${verified}/evidence`);
    expect(response.status).toBe(200);
    expect(RunEvidenceSchema.parse(await response.json())).toEqual(evidence);
    expect(response.headers.get("cache-control")).toMatch(/immutable/);

    const pending = await storeRun({ protocolId: "fig3-dropout", createdAt: T0, peerStatus: "pending", evidence });
    await expectError(await api(`/api/runs/${pending}/evidence`), 409, "awaiting_peers");
    await expectError(await api(`/api/runs/${pending}/weights`), 409, "awaiting_peers");
    await env.DB.prepare("UPDATE runs SET peer_status = 'replayed' WHERE id = ?").bind(pending).run();
    expect((await api(`/api/runs/${pending}/evidence`)).status).toBe(200);

    const rejected = await storeRun({ protocolId: "fig1-margin-neg", createdAt: T0, status: "rejected" });
    await expectError(await api(`/api/runs/${rejected}/evidence`), 404, "not_found");
    await expectError(await api("/api/runs/run_00000000-0000-0000-0000-000000000000/evidence"), 404, "not_found");
    await expectError(await api("/api/runs/not-a-run/evidence"), 404, "not_found");
  });

  it("thins a list longer than EVIDENCE_POINTS_MAX to every k-th value and the last, and says k", async () => {
    const long = Array.from({ length: 20001 }, (_, k) => k);
    const id = await storeRun({ protocolId: "fig1-margin-neg", createdAt: T0, evidence: { ...evidence, lossHistory: long } });
    const body = RunEvidenceSchema.parse(await (await api(`/api/runs/${id}/evidence`)).json());
    const every = body.sampledEvery!.lossHistory!;
    expect(body.lossHistory.length).toBeLessThanOrEqual(EVIDENCE_POINTS_MAX);
    expect(body.lossHistory.slice(0, 3)).toEqual([0, every, 2 * every]);
    expect(body.lossHistory.at(-1)).toBe(20000);
    expect(body.series).toEqual(evidence.series);
    expect(Object.keys(body.sampledEvery!)).toEqual(["lossHistory"]);
  });
});

describe("GET /api/contributors/:id", () => {
  it("answers for one key: its names (most recent first, one per spelling), its runs by outcome, its standing and replays", async () => {
    const me = identity("1b1b1b1b1b1b");
    const other = identity("2c2c2c2c2c2c");
    await storeRun({ protocolId: "fig3-rotated", seed: 1, contributorId: me, contributor: "Alice", createdAt: T0 + 1 });
    await storeRun({ protocolId: "fig3-rotated", seed: 2, contributorId: me, contributor: "Bob", createdAt: T0 + 2 });
    await storeRun({ protocolId: "fig3-rotated", seed: 3, contributorId: me, contributor: "ALICE", createdAt: T0 + 3 });
    const replayed = await storeRun({ protocolId: "fig3-dropout", contributorId: me, contributor: "Bob", createdAt: T0 + 4, peerStatus: "pending" });
    await storeRun({ protocolId: "fig1-margin-neg", contributorId: me, createdAt: T0 + 5, status: "rejected" });
    // Someone else under the same name is someone else.
    await storeRun({ protocolId: "fig3-rotated", seed: 9, contributorId: other, contributor: "Alice", createdAt: T0 + 6 });
    const otherRun = await storeRun({ protocolId: "fig3-dropout", contributorId: other, createdAt: T0 + 7, peerStatus: "pending" });
    const replay = (segment: number, answered: boolean, agrees: boolean | null, outvoted: boolean) =>
      env.DB.prepare("INSERT INTO segment_replays (id, run_id, segment, created_at, replayer_id, answered_at, agrees, outvoted, by_server) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)")
        .bind(`rp_${crypto.randomUUID()}`, otherRun, segment, T0, me, answered ? T0 + 10 : null, agrees === null ? null : agrees ? 1 : 0, outvoted ? 1 : 0)
        .run();
    await replay(0, true, true, false);
    await replay(1, true, false, true);
    await replay(2, false, null, false);
    // The run's own replays by the other key are not this key's.
    await env.DB.prepare("INSERT INTO segment_replays (id, run_id, segment, created_at, replayer_id, answered_at, agrees, outvoted, by_server) VALUES (?, ?, 0, ?, ?, ?, 1, 0, 0)")
      .bind(`rp_${crypto.randomUUID()}`, replayed, T0, other, T0 + 10)
      .run();

    const response = await api("/api/contributors/1b1b1b1b1b1b");
    expect(response.status).toBe(200);
    const page = ContributorPageSchema.parse(await response.json());
    expect(page.contributorId).toBe("1b1b1b1b1b1b");
    expect(page.names).toEqual(["Bob", "ALICE"]);
    expect(page.runs).toEqual({ counted: 3, pending: 1, refuted: 0, rejected: 1 });
    // Three server-verified runs of distinct seeds earn weight 1, but an outvoted replay makes the key suspect.
    expect(page.standing).toEqual({ serverVerifiedRuns: 3, weight: 0, suspect: true, hidden: false });
    expect(page.replays).toEqual({ answered: 2, agreed: 1, outvoted: 1 });
    expect(page.firstSeen).toBe(new Date(T0 + 1).toISOString());
    expect(page.lastSeen).toBe(new Date(T0 + 5).toISOString());

    const theirs = ContributorPageSchema.parse(await (await api("/api/contributors/2c2c2c2c2c2c")).json());
    expect(theirs.names).toEqual(["Alice"]);
    expect(theirs.standing).toMatchObject({ serverVerifiedRuns: 1, weight: 0, suspect: false });
  });

  it("404 for an id without runs, 400 for a malformed id, 409 for a prefix two identities share", async () => {
    await expectError(await api("/api/contributors/3d3d3d3d3d3d"), 404, "not_found");
    await expectError(await api("/api/contributors/Alice"), 400, "malformed");
    await storeRun({ protocolId: "fig1-margin-neg", contributorId: identity("4e4e4e4e4e4e", "1"), createdAt: T0 });
    await storeRun({ protocolId: "fig1-margin-neg", contributorId: identity("4e4e4e4e4e4e", "2"), createdAt: T0 });
    expect(await expectError(await api("/api/contributors/4e4e4e4e4e4e"), 409, "ambiguous")).toMatch(/neither/);
  });
});
