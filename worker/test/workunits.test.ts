// POST /api/workunits: seed assignment (paper seeds first, least loaded first), tokens, expiry per protocol,
// who asked (address, contributor key), datasets.
// Storage is shared by the tests of this file, so each seed-order test uses a protocol of its own.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MoonsDatasetSchema, WorkunitSchema } from "../../shared/api";
import { moonsDigest, sha256Hex } from "../../shared/data/digest";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import { contributorIdentity } from "../contributors";
import { findProtocol } from "../../shared/protocols/registry";
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS, workunitTtlSeconds } from "../workunit-ttl";
import { api, expectError, expectNothingStored, insertWorkunit, postJson, requestWorkunit, workunitByToken, workunitRow } from "./helpers";
import { protocolById } from "./submissions";

const TTL_MS = 6 * 3600 * 1000;

describe("seed assignment", () => {
  it("hands out seed 0 first, then each other paper seed once: ten requests give seeds 0..9", async () => {
    const seeds: number[] = [];
    for (let i = 0; i < 10; i++) seeds.push((await requestWorkunit("fig1-margin-neg")).seed);
    expect(seeds[0]).toBe(0);
    expect(seeds).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Every paper seed now has one pending workunit: the eleventh starts the next round at seed 0.
    expect((await requestWorkunit("fig1-margin-neg")).seed).toBe(0);
    expect((await requestWorkunit("fig1-margin-neg")).seed).toBe(1);
  });

  it("counts load per protocol: another protocol still starts at seed 0", async () => {
    expect((await requestWorkunit("fig1-margin-pos")).seed).toBe(0);
    expect((await requestWorkunit("fig1-margin-pos")).seed).toBe(1);
  });

  it("expired and consumed workunits are not load: their seeds are handed out again", async () => {
    const p = protocolById("fig2-margin-neg");
    const now = Date.now();
    await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: now - 1000 });
    await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: now + TTL_MS, consumedAt: now - 5 });
    // A pending workunit of an older protocol version is not load for the current version either.
    await insertWorkunit({ protocolId: p.id, protocolVersion: p.version + 1, seed: 0, expiresAt: now + TTL_MS });
    expect((await requestWorkunit(p.id)).seed).toBe(0);
    // A live pending one is load.
    expect((await requestWorkunit(p.id)).seed).toBe(1);
  });

  it("a directly inserted pending workunit for seed 0 makes the next workunit seed 1", async () => {
    const p = protocolById("fig2-margin-pos");
    await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: Date.now() + TTL_MS });
    expect((await requestWorkunit(p.id)).seed).toBe(1);
  });
});

describe("the workunit", () => {
  it("has a 43-character url-safe token, stored only as its SHA-256, and expires after its protocol's TTL", async () => {
    const before = Date.now();
    const response = await postJson("/api/workunits", { protocolId: "fig2-margin-pos-sd" });
    const after = Date.now();
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const workunit = WorkunitSchema.parse(await response.json());
    expect(workunit.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(workunit.workunitId).toMatch(/^wu_[0-9a-f-]{36}$/);
    const protocol = protocolById("fig2-margin-pos-sd");
    expect(workunit).toMatchObject({ protocolId: protocol.id, protocolVersion: protocol.version });

    const expiresAt = Date.parse(workunit.expiresAt);
    const ttlMs = workunitTtlSeconds(protocol) * 1000;
    expect(expiresAt).toBeGreaterThan(after);
    expect(expiresAt).toBeGreaterThanOrEqual(before + ttlMs);
    expect(expiresAt).toBeLessThanOrEqual(after + ttlMs);

    const row = await workunitRow(workunit.workunitId);
    expect(row).not.toBeNull();
    expect(row).toMatchObject({ protocol_id: protocol.id, protocol_version: protocol.version, seed: workunit.seed, consumed_at: null, expires_at: expiresAt });
    expect(row!.token_hash).toBe(await sha256Hex(new TextEncoder().encode(workunit.token)));
    expect(JSON.stringify(row)).not.toContain(workunit.token);
  });

  it("tokens are unique", async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 5; i++) tokens.add((await requestWorkunit("fig2-margin-pos-sd")).token);
    expect(tokens.size).toBe(5);
  });

  it("its datasetUrl serves the data whose digest is datasetDigest", async () => {
    for (const protocolId of ["fig1-margin-neg", "fig2-margin-pos-sd"]) {
      const workunit = await requestWorkunit(protocolId);
      const protocol = protocolById(protocolId);
      expect(workunit.datasetUrl).toMatch(/^\/api\/datasets\/moons\?/);
      const response = await api(workunit.datasetUrl!);
      expect(response.status).toBe(200);
      const dataset = MoonsDatasetSchema.parse(await response.json());
      expect(dataset).toMatchObject({ seed: workunit.seed, margin: protocol.data.margin, rotation: protocol.data.rotationDegrees, raw: false, n: 300, noise: 0.1 });
      expect(dataset.digest).toBe(workunit.datasetDigest);
      // ... and that digest is the digest of the data the verifier uses.
      expect(workunit.datasetDigest).toBe(await moonsDigest(twoMoonsFamily.dataset(protocol, workunit.seed)));
      const data = { n: dataset.n, x: Float64Array.from(dataset.x.flat()), y: Uint8Array.from(dataset.y) };
      expect(await moonsDigest(data)).toBe(workunit.datasetDigest);
    }
  });
});

describe("expiry per protocol", () => {
  it.each([
    // A 1,000-step two-moons run: the 15-minute floor. 10,000 steps: about 35 minutes. Fig. 3's 100,000 steps and
    // the full Colored-MNIST protocols: hours, at most 6.
    ["fig1-margin-neg", MIN_TTL_SECONDS, MIN_TTL_SECONDS],
    ["fig2-margin-pos-sd", 30 * 60, 40 * 60],
    ["fig3-longer", 5 * 3600, MAX_TTL_SECONDS],
    ["fig3-deeper", 1 * 3600, 3 * 3600],
    ["cmnist-erm", MAX_TTL_SECONDS, MAX_TTL_SECONDS],
    ["cmnist-erm-reduced", MIN_TTL_SECONDS, MIN_TTL_SECONDS],
    ["fig6-dual", MIN_TTL_SECONDS, MIN_TTL_SECONDS],
  ])("%s: a workunit lasts between %i and %i seconds", async (protocolId, low, high) => {
    const before = Date.now();
    const workunit = await requestWorkunit(protocolId);
    const ttlSeconds = (Date.parse(workunit.expiresAt) - before) / 1000;
    expect(ttlSeconds).toBeGreaterThanOrEqual(low - 1);
    expect(ttlSeconds).toBeLessThanOrEqual(high + 1);
    expect(Math.abs(ttlSeconds - workunitTtlSeconds(findProtocol(protocolId)!))).toBeLessThan(5);
  });

  it("WORKUNIT_TTL_SECONDS overrides the derived TTL when set", () => {
    const protocol = findProtocol("fig1-margin-neg")!;
    expect(workunitTtlSeconds(protocol, "120")).toBe(120);
    expect(workunitTtlSeconds(protocol, "")).toBe(MIN_TTL_SECONDS);
    expect(workunitTtlSeconds(protocol, "nonsense")).toBe(MIN_TTL_SECONDS);
    expect(workunitTtlSeconds(protocol, "-5")).toBe(MIN_TTL_SECONDS);
  });
});

describe("who asked", () => {
  it("stores the requester's address key and contributor identity (not the key itself)", async () => {
    const contributorKey = "k".repeat(43);
    const response = await api("/api/workunits", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "2001:db8:7:8:1:2:3:4" },
      body: JSON.stringify({ protocolId: "fig1-margin-pos", contributorKey }),
    });
    expect(response.status).toBe(201);
    const workunit = WorkunitSchema.parse(await response.json());
    const row = await env.DB.prepare("SELECT client_key, contributor_id, claimed_at FROM workunits WHERE id = ?").bind(workunit.workunitId).first();
    expect(row).toEqual({ client_key: "2001:db8:7:8::/64", contributor_id: await contributorIdentity(contributorKey), claimed_at: null });
    expect(JSON.stringify(row)).not.toContain(contributorKey);
  });

  it("without a key: no contributor identity", async () => {
    const workunit = await requestWorkunit("fig1-margin-pos");
    const row = await env.DB.prepare("SELECT client_key, contributor_id FROM workunits WHERE id = ?").bind(workunit.workunitId).first();
    expect(row).toEqual({ client_key: "unknown", contributor_id: null });
  });
});

describe("bad workunit requests", () => {
  const countWorkunits = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM workunits").first<{ n: number }>())!.n;

  it("an unknown protocol → 404 unknown_protocol, no workunit stored", async () => {
    const before = await countWorkunits();
    await expectError(await postJson("/api/workunits", { protocolId: "fig3-margin-neg" }), 404, "unknown_protocol");
    expect(await countWorkunits()).toBe(before);
  });

  it.each([
    ["an empty object", JSON.stringify({})],
    ["a numeric protocol id", JSON.stringify({ protocolId: 5 })],
    ["an upper-case protocol id", JSON.stringify({ protocolId: "FIG1-MARGIN-NEG" })],
    ["an over-long protocol id", JSON.stringify({ protocolId: "a".repeat(65) })],
    ["an extra field", JSON.stringify({ protocolId: "fig1-margin-neg", seed: 3 })],
    ["truncated JSON", '{"protocolId": "fig1-'],
    ["an array", JSON.stringify(["fig1-margin-neg"])],
    ["null", "null"],
  ])("a malformed body (%s) → 400 malformed, no workunit stored", async (_, body) => {
    const before = await countWorkunits();
    await expectError(await api("/api/workunits", { method: "POST", headers: { "content-type": "application/json" }, body }), 400, "malformed");
    expect(await countWorkunits()).toBe(before);
  });

  it.each([
    ["text/plain", "text/plain"],
    ["form-urlencoded", "application/x-www-form-urlencoded"],
    ["no content type", null],
  ])("a JSON body sent as %s → 400 malformed, no workunit stored", async (_, contentType) => {
    const before = await countWorkunits();
    const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
    const body = contentType === "application/x-www-form-urlencoded" ? "protocolId=fig1-margin-neg" : JSON.stringify({ protocolId: "fig1-margin-neg" });
    await expectError(await api("/api/workunits", { method: "POST", headers, body }), 400, "malformed");
    expect(await countWorkunits()).toBe(before);
  });

  it("bad requests store no run, object or consumption either", async () => {
    await expectNothingStored(async () => {
      await expectError(await postJson("/api/workunits", { protocolId: "nope" }), 404, "unknown_protocol");
      await expectError(await postJson("/api/workunits", {}), 400, "malformed");
    });
  });

  it("a workunit for a protocol is seeded like any other after bad requests (sanity)", async () => {
    const workunit = await requestWorkunit("fig1-margin-pos");
    expect(await workunitByToken(workunit.token)).toMatchObject({ id: workunit.workunitId, seed: workunit.seed });
  });
});
