// The aggregates kept on write (worker/aggregates) against the from-scratch reference (shared/metrics/aggregate.ts
// summarize over every shown run): after a random sequence of accepts, hides, unhides, peer verdicts and a
// standing flip, every board_stats row equals it; facet and trust filters; a board's keyset pagination visits
// every run once; ETag / 304 and invalidation on accept; rows read that do not grow with the number of runs.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LeaderboardEntrySchema, RunRecordSchema } from "../../shared/api";
import { BoardPageSchema, FacetCountsSchema, FacetedLeaderboardSchema, ENVIRONMENT_DIMENSIONS } from "../../shared/board-api";
import { summarize, trustBySeed, type AcceptedRun } from "../../shared/metrics/aggregate";
import { isCounted } from "../../shared/metrics/counted";
import { nameKey } from "../../shared/names";
import { familyOf } from "../../shared/protocols/families";
import { findProtocol, PROTOCOLS } from "../../shared/protocols/registry";
import { contributorIdentity, earnedStanding } from "../contributors";
import { database } from "../db/client";
import { earnStanding } from "./board-fixtures";
import { afterDirectWrite, settleAll } from "./direct-writes";
import { api, expectError, requestWorkunit } from "./helpers";
import { honestRun, postHonest } from "./submissions";
import { mulberry32 as prng } from "../../shared/testing/mulberry32";

/** Admin calls, each from its own address (the admin API allows 30 a minute per address in the tests). */
let adminCalls = 0;
const admin = (path: string, body: unknown) =>
  api(`/api/admin${path}`, {
    method: "POST",
    headers: { authorization: "Bearer test-admin-token-not-a-secret", "content-type": "application/json", "cf-connecting-ip": `203.0.${113 + Math.floor(adminCalls / 250)}.${adminCalls++ % 250}` },
    body: JSON.stringify(body),
  });

const BACKENDS = ["wasm", "webgpu", "webgl", "cpu"] as const;
const VENDORS = ["nvidia", "amd", "apple", "none"] as const;
const BROWSERS = ["chrome", "firefox", "safari"] as const;
const SYSTEMS = ["linux", "macos", "windows"] as const;

interface Synthetic {
  protocolId: string;
  seed: number;
  recomputed: Record<string, number | null>;
  contributor?: string | null;
  contributorId?: string | null;
  addressBlock?: string | null;
  peerStatus?: "pending" | "replayed" | "refuted" | null;
  replayed?: boolean;
  backend?: string;
  gpuVendor?: string | null;
  gpuArchitecture?: string | null;
  browser?: string | null;
  os?: string | null;
  createdAt?: number;
  trainMs?: number;
}

let clock = Date.UTC(2026, 0, 1);

/** Writes synthetic accepted runs straight into D1 (one batch), with every facet column; returns their ids. Does NOT refresh. */
async function insertRuns(list: readonly Synthetic[]): Promise<string[]> {
  const ids: string[] = [];
  const statements: D1PreparedStatement[] = [];
  for (const run of list) {
    const protocol = findProtocol(run.protocolId)!;
    const id = `run_${crypto.randomUUID()}`;
    const workunit = `wu_${crypto.randomUUID()}`;
    const at = run.createdAt ?? (clock += 1000);
    ids.push(id);
    statements.push(
      env.DB.prepare("INSERT INTO workunits (id, token_hash, protocol_id, protocol_version, seed, created_at, expires_at, consumed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").bind(
        workunit,
        `hash_${workunit}`,
        protocol.id,
        protocol.version,
        run.seed,
        at,
        at + 3600_000,
        at,
      ),
      env.DB.prepare(
        `INSERT INTO runs (id, workunit_id, protocol_id, protocol_version, seed, status, message, contributor, contributor_id, claimed, recomputed, environment, backend,
           train_ms, created_at, peer_status, address_block, replayed_segments, gpu_vendor, gpu_architecture, browser, os)
         VALUES (?, ?, ?, ?, ?, 'accepted', 'synthetic', ?, ?, '{}', ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).bind(
        id,
        workunit,
        protocol.id,
        protocol.version,
        run.seed,
        run.contributor ?? null,
        run.contributorId ?? null,
        JSON.stringify(run.recomputed),
        run.backend ?? "wasm",
        run.trainMs ?? 1000,
        at,
        run.peerStatus ?? null,
        run.addressBlock ?? null,
        run.replayed ? "[0,3]" : null,
        run.gpuVendor ?? null,
        run.gpuArchitecture ?? null,
        run.browser ?? null,
        run.os ?? null,
      ),
    );
  }
  for (let at = 0; at < statements.length; at += 100) await env.DB.batch(statements.slice(at, at + 100));
  return ids;
}

interface StoredRun {
  id: string;
  protocol_id: string;
  protocol_version: number;
  seed: number;
  contributor: string | null;
  contributor_id: string | null;
  recomputed: string | null;
  peer_status: "pending" | "replayed" | "refuted" | null;
  address_block: string | null;
  replayed_segments: string | null;
  backend: string;
  gpu_vendor: string | null;
  gpu_architecture: string | null;
  browser: string | null;
  os: string | null;
}

/** The from-scratch reference: every (protocol, facet, trust) entry summarize gives over every shown run. */
async function reference(): Promise<Map<string, ReturnType<typeof summarize>>> {
  const all = (await env.DB.prepare("SELECT * FROM runs WHERE status = 'accepted' AND hidden_at IS NULL").all<StoredRun>()).results;
  const hiddenKeys = new Set((await env.DB.prepare("SELECT contributor_id FROM hidden_contributor_keys").all<{ contributor_id: string }>()).results.map((r) => r.contributor_id));
  const hiddenNames = new Set((await env.DB.prepare("SELECT name FROM hidden_contributors").all<{ name: string }>()).results.map((r) => nameKey(r.name)));
  const shown = all.filter((r) => !(r.contributor_id && hiddenKeys.has(r.contributor_id)) && !(r.contributor && hiddenNames.has(nameKey(r.contributor))));
  const db = database(env.DB);
  const earned = new Set<string>();
  for (const id of new Set(shown.flatMap((r) => (r.contributor_id ? [r.contributor_id] : [])))) if ((await earnedStanding(db, id))!.weight >= 1) earned.add(id);
  const out = new Map<string, ReturnType<typeof summarize>>();
  for (const protocol of PROTOCOLS) {
    const metrics = familyOf(protocol).metrics(protocol);
    const mine = shown.filter((r) => r.protocol_id === protocol.id && r.protocol_version === protocol.version && isCounted({ status: "accepted", peerStatus: r.peer_status }));
    const facets = new Map<string, StoredRun[]>([["", mine]]);
    for (const run of mine) {
      for (const d of ENVIRONMENT_DIMENSIONS) {
        const value = { backend: run.backend, gpuVendor: run.gpu_vendor, gpuArchitecture: run.gpu_architecture, browser: run.browser, os: run.os }[d];
        if (value === null) continue;
        facets.set(`${d}:${value}`, [...(facets.get(`${d}:${value}`) ?? []), run]);
      }
    }
    for (const [facet, rows] of facets) {
      const accepted: (AcceptedRun & { replayed: boolean })[] = rows.map((r) => ({
        seed: r.seed,
        contributor: r.contributor,
        contributorId: r.contributor_id,
        recomputed: JSON.parse(r.recomputed ?? "{}") as Record<string, number | null>,
        peerStatus: r.peer_status,
        addressBlock: r.address_block,
        earned: r.contributor_id !== null && earned.has(r.contributor_id),
        replayed: r.replayed_segments !== null || r.peer_status === "replayed",
      }));
      const trust = trustBySeed(protocol, metrics, accepted);
      const replayedSeeds = new Set(accepted.filter((r) => r.replayed).map((r) => r.seed));
      const levels = {
        all: accepted,
        replayed: accepted.filter((r) => trust.get(r.seed) === "reproduced" || replayedSeeds.has(r.seed)),
        reproduced: accepted.filter((r) => trust.get(r.seed) === "reproduced"),
      };
      for (const [level, runs] of Object.entries(levels)) if (runs.length > 0) out.set(`${protocol.id}|${facet}|${level}`, summarize(protocol, metrics, runs));
    }
  }
  return out;
}

/** Two entries agree: every count exactly, every mean and std within 1e-9. */
function expectSameEntry(actual: ReturnType<typeof summarize>, expected: ReturnType<typeof summarize>, where: string) {
  const { metrics: a, ...countsA } = actual;
  const { metrics: b, ...countsB } = expected;
  expect(countsA, where).toEqual(countsB);
  expect(Object.keys(a).sort(), where).toEqual(Object.keys(b).sort());
  for (const key of Object.keys(b)) {
    if (b[key] === null) expect(a[key], `${where} ${key}`).toBeNull();
    else {
      expect(a[key]!.n, `${where} ${key}`).toBe(b[key]!.n);
      expect(Math.abs(a[key]!.mean - b[key]!.mean), `${where} ${key} mean`).toBeLessThan(1e-9);
      expect(Math.abs(a[key]!.std - b[key]!.std), `${where} ${key} std`).toBeLessThan(1e-9);
    }
  }
}

async function expectBoardStatsMatchReference() {
  const expected = await reference();
  const rows = (await env.DB.prepare("SELECT protocol_id, facet, trust, entry FROM board_stats").all<{ protocol_id: string; facet: string; trust: string; entry: string }>()).results;
  const stored = new Map(rows.map((r) => [`${r.protocol_id}|${r.facet}|${r.trust}`, JSON.parse(r.entry) as ReturnType<typeof summarize>]));
  expect([...stored.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, entry] of expected) expectSameEntry(stored.get(key)!, entry, key);
  return expected;
}

const metricValues = (protocolId: string, rand: () => number, centre: number, spread: number) =>
  Object.fromEntries(familyOf(findProtocol(protocolId)!).metrics(findProtocol(protocolId)!).map((m, k) => [m.key, rand() < 0.05 ? null : centre + k * 0.01 + (rand() - 0.5) * spread]));

const getJson = async (path: string, headers: Record<string, string> = {}) => {
  const response = await api(path, { headers });
  return { response, body: response.status === 200 ? ((await response.json()) as unknown) : null };
};
const rowsRead = (response: Response): number => Number(response.headers.get("x-gs-rows-read"));

describe("aggregates kept on write", () => {
  it("after random accepts, hides, unhides, peer verdicts and a standing flip, every board_stats row equals summarize() from scratch", async () => {
    const rand = prng(14);
    const keys = await Promise.all(["agg-a", "agg-b", "agg-c", "agg-d", "agg-e"].map((k) => contributorIdentity(k.padEnd(43, "z"))));
    // Three keys earn standing up front (distinct blocks); the fourth flips mid-way.
    for (const [k, id] of keys.slice(0, 3).entries()) await earnStanding(id, `10.${k}.0.0/24`, 50_000 + k * 10);
    const protocols = ["fig1-margin-neg", "cmnist-sd-reduced", "fig6-dual"];
    const ids: string[] = [];
    const pending: string[] = [];
    for (let step = 0; step < 70; step++) {
      const action = rand();
      if (action < 0.6 || ids.length < 5) {
        const protocolId = protocols[Math.floor(rand() * protocols.length)]!;
        const k = Math.floor(rand() * (keys.length + 2));
        // The key whose standing flips at step 40 never has a run refuted (that would make it suspect for good).
        const peerReplayed = protocolId.startsWith("cmnist") && k !== 3 && rand() < 0.4;
        const [id] = await insertRuns([
          {
            protocolId,
            seed: Math.floor(rand() * 4),
            // Mostly agreeing values (quorums form), sometimes far off (disputes).
            recomputed: metricValues(protocolId, rand, rand() < 0.15 ? 0.9 : 0.5, 1e-4),
            contributorId: k < keys.length ? keys[k] : null,
            contributor: k === keys.length ? "Mallory" : rand() < 0.3 ? "alice" : null,
            addressBlock: `10.${k}.0.0/24`,
            peerStatus: peerReplayed ? "pending" : null,
            replayed: !peerReplayed && rand() < 0.5,
            backend: BACKENDS[Math.floor(rand() * BACKENDS.length)],
            gpuVendor: VENDORS[Math.floor(rand() * VENDORS.length)],
            gpuArchitecture: rand() < 0.5 ? "hopper" : null,
            browser: BROWSERS[Math.floor(rand() * BROWSERS.length)],
            os: SYSTEMS[Math.floor(rand() * SYSTEMS.length)],
          },
        ]);
        await afterDirectWrite([id!]);
        ids.push(id!);
        if (peerReplayed) pending.push(id!);
      } else if (action < 0.75) {
        const id = ids[Math.floor(rand() * ids.length)]!;
        expect((await admin(`/runs/${id}/${rand() < 0.6 ? "hide" : "unhide"}`, { note: "random moderation" })).status).toBe(200);
      } else if (action < 0.9 && pending.length > 0) {
        const id = pending.splice(Math.floor(rand() * pending.length), 1)[0]!;
        await env.DB.prepare("UPDATE runs SET peer_status = ? WHERE id = ?").bind(rand() < 0.7 ? "replayed" : "refuted", id).run();
        await afterDirectWrite([id]);
      } else if (action < 0.95) {
        expect((await admin(`/contributors/${rand() < 0.5 ? "hide" : "unhide"}`, { contributor: "MALLORY", note: "name" })).status).toBe(200);
      } else {
        expect((await admin(`/contributor-keys/${rand() < 0.5 ? "hide" : "unhide"}`, { contributorId: keys[1], note: "key" })).status).toBe(200);
      }
      if (step === 40) await earnStanding(keys[3]!, "10.3.0.0/24", 60_000);
      if (step % 10 === 9) await expectBoardStatsMatchReference();
    }
    const expected = await expectBoardStatsMatchReference();
    // The flip happened and mattered: the fourth key is earned now.
    expect((await earnedStanding(database(env.DB), keys[3]!))!.weight).toBeGreaterThanOrEqual(1);
    // Some seeds are reproduced and some disputed across the sequence, so both paths were exercised.
    const all = [...expected.entries()].filter(([k]) => k.endsWith("||all")).map(([, e]) => e);
    expect(all.some((e) => e.reproducedSeeds > 0)).toBe(true);
    // Nothing is left to refresh.
    expect((await env.DB.prepare("SELECT count(*) AS n FROM aggregate_dirty").first<{ n: number }>())!.n).toBe(0);
  }, 300_000);

  it("the leaderboard narrows to one facet and one trust level, each equal to the reference, and refuses a bad query", async () => {
    const expected = await reference();
    for (const query of ["", "?backend=webgpu", "?gpuVendor=nvidia&trust=replayed", "?browser=firefox&trust=reproduced", "?trust=reproduced", "?gpuArchitecture=hopper", "?os=linux"]) {
      const { body } = await getJson(`/api/leaderboard${query}`);
      const parsed = FacetedLeaderboardSchema.parse(body);
      const params = new URLSearchParams(query);
      const dimension = ENVIRONMENT_DIMENSIONS.find((d) => params.has(d));
      const facet = dimension ? `${dimension}:${params.get(dimension)}` : "";
      expect(parsed.facet).toEqual(dimension ? { dimension, value: params.get(dimension) } : null);
      expect(parsed.trust).toBe(params.get("trust"));
      for (const entry of parsed.protocols) {
        const reference = expected.get(`${entry.protocolId}|${facet}|${params.get("trust") ?? "all"}`);
        const { claims: _claims, ...summary } = LeaderboardEntrySchema.parse(entry);
        if (reference) expectSameEntry(summary, reference, `${query} ${entry.protocolId}`);
        else expect(summary.runs, `${query} ${entry.protocolId}`).toBe(0);
      }
    }
    // A board narrowed to a facet lists only that facet's runs; with a trust level, only counted runs of qualifying seeds.
    const nvidia = BoardPageSchema.parse((await getJson("/api/leaderboard/fig1-margin-neg?gpuVendor=nvidia&limit=100")).body);
    const nvidiaIds = (await env.DB.prepare("SELECT id FROM runs WHERE protocol_id = 'fig1-margin-neg' AND gpu_vendor = 'nvidia'").all<{ id: string }>()).results.map((r) => r.id);
    expect(nvidia.runs.length).toBeGreaterThan(0);
    for (const run of nvidia.runs) expect(nvidiaIds).toContain(run.id);
    const reproduced = BoardPageSchema.parse((await getJson("/api/leaderboard/fig1-margin-neg?trust=reproduced&limit=100")).body);
    for (const run of reproduced.runs) expect(run.trust).toBe("reproduced");
    for (const seed of reproduced.seeds) expect(seed.trust).toBe("reproduced");
    expect(reproduced.entry.runs).toBe(reproduced.seeds.reduce((n, s) => n + s.runs, 0));
    // Facet counts come from the stored entries.
    const counts = FacetCountsSchema.parse((await getJson("/api/leaderboard/facets")).body);
    const webgpu = [...expected.entries()].filter(([k]) => k.endsWith("|backend:webgpu|all")).reduce((n, [, e]) => n + e.runs, 0);
    expect(counts.dimensions.backend.find((v) => v.value === "webgpu")?.runs ?? 0).toBe(webgpu);

    await expectError(await api("/api/leaderboard?backend=webgpu&os=linux"), 400, "malformed");
    await expectError(await api("/api/leaderboard?backend=quantum"), 400, "malformed");
    await expectError(await api("/api/leaderboard?colour=red"), 400, "malformed");
    await expectError(await api("/api/leaderboard?trust=replayed&trust=reproduced"), 400, "malformed");
    await expectError(await api("/api/leaderboard/fig1-margin-neg?sort=metric:testAccuracy"), 400, "malformed");
    await expectError(await api("/api/leaderboard/fig1-margin-neg?limit=1000"), 400, "malformed");
    await expectError(await api("/api/leaderboard/fig1-margin-neg?cursor=bm90LWEtY3Vyc29y"), 400, "malformed");
    await expectError(await api("/api/leaderboard/fig1-margin-neg/series/ntk?seed=1"), 404, "not_found");
  });

  it("a board's keyset pagination visits every shown run exactly once, in order, for every sort", async () => {
    const rand = prng(7);
    const protocolId = "fig3-adam-large-lr";
    await afterDirectWrite(
      await insertRuns(
        Array.from({ length: 57 }, (_, k) => ({
          protocolId,
          seed: Math.floor(rand() * 6),
          recomputed: metricValues(protocolId, rand, 0.5, 0.2),
          // Ties on purpose: equal times, training times and seeds are broken by id.
          createdAt: Date.UTC(2026, 1, 1) + Math.floor(k / 3) * 1000,
          trainMs: 100 * Math.floor(rand() * 5),
          backend: BACKENDS[k % 4],
          contributor: k % 11 === 0 ? "Hidden Name" : null,
        })),
      ),
    );
    expect((await admin("/contributors/hide", { contributor: "hidden name", note: "pagination" })).status).toBe(200);
    const shown = (await env.DB.prepare("SELECT id, seed, train_ms, created_at, recomputed FROM runs WHERE protocol_id = ? AND (contributor IS NULL OR contributor <> 'Hidden Name')").bind(protocolId).all<{ id: string; seed: number; train_ms: number; created_at: number; recomputed: string }>()).results;
    for (const sort of ["createdAt", "seed", "trainMs", "metric:curvature"]) {
      for (const order of ["asc", "desc"]) {
        const visited: { id: string; key: number }[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const { response, body } = await getJson(`/api/leaderboard/${protocolId}?sort=${sort}&order=${order}&limit=10${cursor ? `&cursor=${cursor}` : ""}`);
          expect(response.status).toBe(200);
          const page = BoardPageSchema.parse(body);
          expect(page.runs.length).toBeLessThanOrEqual(10);
          const byId = new Map(shown.map((r) => [r.id, r]));
          for (const run of page.runs) {
            const row = byId.get(run.id)!;
            const key = sort === "createdAt" ? row.created_at : sort === "seed" ? row.seed : sort === "trainMs" ? row.train_ms : ((JSON.parse(row.recomputed) as Record<string, number | null>).curvature ?? -Infinity);
            visited.push({ id: run.id, key });
          }
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor !== null && pages < 50);
        expect(visited.length, `${sort} ${order}`).toBe(shown.length);
        expect(new Set(visited.map((v) => v.id)).size).toBe(shown.length);
        const sign = order === "asc" ? 1 : -1;
        for (let k = 1; k < visited.length; k++) {
          const [a, b] = [visited[k - 1]!, visited[k]!];
          expect(sign * (b.key - a.key) > 0 || (a.key === b.key && sign * b.id.localeCompare(a.id) > 0), `${sort} ${order} at ${k}`).toBe(true);
        }
      }
    }
  });

  it("answers an ETag and 304 to a matching If-None-Match, reading only the version row, until an accepted run changes it", async () => {
    const first = await api("/api/leaderboard?backend=wasm");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"\d+-[0-9a-f]{20}"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    const again = await api("/api/leaderboard?backend=wasm", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    // The version row and two index probes for leftover marks: nothing else is read.
    expect(rowsRead(again)).toBeLessThanOrEqual(3);
    // Another query has another ETag; the board and series answer ETags too.
    expect((await api("/api/leaderboard?backend=webgl")).headers.get("etag")).not.toBe(etag);
    const board = await api("/api/leaderboard/fig1-margin-pos");
    expect((await api("/api/leaderboard/fig1-margin-pos", { headers: { "if-none-match": board.headers.get("etag")! } })).status).toBe(304);

    // A real submission, accepted by the server, bumps the version: the old ETag no longer matches.
    const workunit = await requestWorkunit("fig1-margin-pos");
    const response = await postHonest(honestRun("fig1-margin-pos", workunit.seed), workunit.token);
    expect(response.status).toBe(201);
    const record = RunRecordSchema.parse(await response.json());
    const after = await api("/api/leaderboard?backend=wasm", { headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    const entry = FacetedLeaderboardSchema.parse(await after.json()).protocols.find((p) => p.protocolId === "fig1-margin-pos")!;
    expect(entry.runs).toBeGreaterThanOrEqual(1);
    const page = BoardPageSchema.parse(await (await api("/api/leaderboard/fig1-margin-pos")).json());
    expect(page.runs.map((r) => r.id)).toContain(record.id);
    expect(page.seeds.map((s) => s.seed)).toContain(workunit.seed);
    expect(page.boundary?.seeds).toBeGreaterThanOrEqual(1);
  });

  it("a write that died before its refresh is caught up by the next read, which then answers the fresh data", async () => {
    const [id] = await insertRuns([{ protocolId: "fig3-dropout", seed: 3, recomputed: { curvature: 0.25 } }]);
    // Marked in the write's batch, but never refreshed (the request died).
    const { changeMarks } = await import("../aggregates/marks");
    const db = database(env.DB);
    await db.batch(changeMarks(db, { seeds: [{ protocolId: "fig3-dropout", protocolVersion: findProtocol("fig3-dropout")!.version, seed: 3 }] }));
    const entry = FacetedLeaderboardSchema.parse((await getJson("/api/leaderboard")).body).protocols.find((p) => p.protocolId === "fig3-dropout")!;
    expect(entry.runs).toBe(1);
    expect(entry.metrics.curvature).toEqual({ mean: 0.25, std: 0, n: 1 });
    expect(id).toBeDefined();
    expect((await env.DB.prepare("SELECT count(*) AS n FROM aggregate_dirty").first<{ n: number }>())!.n).toBe(0);
  });

  it("reads the same D1 rows for the leaderboard and a board page at 50 and at 500 stored runs", async () => {
    const protocolId = "fig3-weight-decay";
    const rand = prng(3);
    const batch = (n: number) =>
      Array.from({ length: n }, () => ({
        protocolId,
        seed: Math.floor(rand() * 10),
        recomputed: metricValues(protocolId, rand, 0.5, 0.1),
        backend: BACKENDS[Math.floor(rand() * 2)],
        gpuVendor: VENDORS[Math.floor(rand() * 2)],
        browser: "chrome",
        os: "linux",
      }));
    const measure = async () => {
      const paths = ["/api/leaderboard", "/api/leaderboard?backend=webgpu", `/api/leaderboard/${protocolId}?limit=50`, `/api/leaderboard/${protocolId}?backend=wasm&limit=20`];
      const read: number[] = [];
      for (const path of paths) {
        const response = await api(path);
        expect(response.status).toBe(200);
        read.push(rowsRead(response));
      }
      return read;
    };
    await afterDirectWrite(await insertRuns(batch(50)));
    await settleAll();
    const at50 = await measure();
    await afterDirectWrite(await insertRuns(batch(450)));
    await settleAll();
    const at500 = await measure();
    expect(at500.every((n) => n > 0)).toBe(true);
    // The leaderboard reads one board_stats row per protocol with data, whatever the runs: the same rows. A board
    // page reads its page (limit + 1 rows through the index, more where a facet filter skips rows), its seeds and the
    // entries: within a few rows of each other at 10 times the runs (where ties and facet values fall varies).
    expect(at500.slice(0, 2)).toEqual(at50.slice(0, 2));
    for (const k of [2, 3]) expect(Math.abs(at500[k]! - at50[k]!)).toBeLessThanOrEqual(0.1 * at50[k]!);
    console.log(`rows read at 50 runs ${at50.join(", ")}; at 500 runs ${at500.join(", ")}`);
  });
});

describe("POST /api/admin/aggregates/rebuild", () => {
  it("rebuilds everything from the runs in bounded calls, to the same rows", async () => {
    const before = (await env.DB.prepare("SELECT protocol_id, facet, trust, entry FROM board_stats ORDER BY protocol_id, facet, trust").all()).results;
    await env.DB.prepare("DELETE FROM board_stats").run();
    await env.DB.prepare("DELETE FROM seed_stats").run();
    let progress = (await (await admin("/aggregates/rebuild", { start: true })).json()) as { dirtySeeds: number; staleStandings: number };
    for (let k = 0; k < 100 && (progress.dirtySeeds > 0 || progress.staleStandings > 0); k++) progress = (await (await admin("/aggregates/rebuild", {})).json()) as typeof progress;
    expect(progress).toMatchObject({ dirtySeeds: 0, staleStandings: 0 });
    const after = (await env.DB.prepare("SELECT protocol_id, facet, trust, entry FROM board_stats ORDER BY protocol_id, facet, trust").all()).results;
    expect(after.length).toBe(before.length);
    expect(after.map((r) => JSON.parse(String(r.entry)) as unknown)).toEqual(before.map((r) => JSON.parse(String(r.entry)) as unknown));
    await expectError(await api("/api/admin/aggregates/rebuild", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), 403, "forbidden");
    await expectError(await admin("/aggregates/rebuild", { start: "yes" }), 400, "malformed");
  });
});
