// Seed assignment (worker/seeds.ts) against a real D1 database: which seed the next workunit gets, that hoarded
// workunits cannot steer it, and the caps on open workunits per address and per contributor key.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { insertWorkunitWithSeed, PAPER_SEEDS, REPLICATION_TARGET, type Issued, type OpenCaps } from "./seeds";

const HOUR = 3_600_000;
let counter = 0;
let protocolCounter = 0;
/** Each test uses a protocol id of its own, so tests do not see each other's rows. */
const freshProtocol = (): string => `seed-test-${++protocolCounter}`;

async function workunitRow(protocolId: string, seed: number, state: "pending" | "consumed" | "expired", clientKey: string | null = null): Promise<string> {
  const id = `wu_seedtest_${++counter}`;
  const now = Date.now();
  await env.DB.prepare(
    "INSERT INTO workunits (id, token_hash, protocol_id, protocol_version, seed, created_at, expires_at, consumed_at, client_key) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)",
  )
    .bind(id, `hash-${id}`, protocolId, seed, now, state === "expired" ? now - HOUR : now + HOUR, state === "consumed" ? now : null, clientKey)
    .run();
  return id;
}

type PeerStatus = "pending" | "replayed" | "refuted" | null;

async function accepted(protocolId: string, seed: number, count = 1, status: "accepted" | "rejected" = "accepted", peerStatus: PeerStatus = null): Promise<void> {
  for (let k = 0; k < count; k++) {
    const workunitId = await workunitRow(protocolId, seed, "consumed");
    await env.DB.prepare(
      "INSERT INTO runs (id, workunit_id, protocol_id, protocol_version, seed, status, message, claimed, environment, backend, train_ms, created_at, peer_status) VALUES (?, ?, ?, 1, ?, ?, '', '{}', '{}', 'wasm', 0, ?, ?)",
    )
      .bind(`run_${workunitId}`, workunitId, protocolId, seed, status, Date.now(), peerStatus)
      .run();
  }
}

const pending = async (protocolId: string, seed: number, count = 1, clientKey: string | null = null): Promise<void> => {
  for (let k = 0; k < count; k++) await workunitRow(protocolId, seed, "pending", clientKey);
};

interface Requester {
  readonly clientKey?: string;
  readonly contributorId?: string;
  readonly caps?: OpenCaps;
}

const issue = (protocolId: string, who: Requester = {}, seeding: "seeds" | "deterministic" = "seeds"): Promise<Issued> => {
  const now = Date.now();
  const id = `wu_seedtest_${++counter}`;
  return insertWorkunitWithSeed(
    env.DB,
    seeding,
    { id, tokenHash: `hash-${id}`, protocolId, protocolVersion: 1, createdAt: now, expiresAt: now + HOUR, clientKey: who.clientKey ?? null, contributorId: who.contributorId ?? null },
    who.caps,
  );
};

const next = async (protocolId: string, who: Requester = {}): Promise<number> => {
  const issued = await issue(protocolId, who);
  if (!issued.ok) throw new Error(`refused: the ${issued.cap} cap`);
  return issued.seed;
};

const coverPaperSeeds = async (protocolId: string, runs: number): Promise<void> => {
  for (let seed = 0; seed < PAPER_SEEDS; seed++) await accepted(protocolId, seed, runs);
};

describe("insertWorkunitWithSeed", () => {
  it("uses the paper's ten seeds and three replications", () => {
    expect(PAPER_SEEDS).toBe(10);
    expect(REPLICATION_TARGET).toBe(3);
  });

  it("starts with seed 0 and hands out each paper seed once before repeating", async () => {
    const protocol = freshProtocol();
    const seeds: number[] = [];
    for (let k = 0; k < 2 * PAPER_SEEDS; k++) seeds.push(await next(protocol));
    expect(seeds).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("gives concurrent requests different seeds", async () => {
    const protocol = freshProtocol();
    const seeds = await Promise.all(Array.from({ length: PAPER_SEEDS }, () => next(protocol)));
    expect([...seeds].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("picks the least-loaded paper seed, ties going to the lowest", async () => {
    const protocol = freshProtocol();
    await coverPaperSeeds(protocol, 1);
    await accepted(protocol, 3, 1);
    expect(await next(protocol)).toBe(0);
    const other = freshProtocol();
    await coverPaperSeeds(other, 1);
    await accepted(other, 0, 1);
    await pending(other, 1, 1);
    expect(await next(other)).toBe(2);
  });

  it("counts accepted runs and pending workunits together, but not rejected runs or expired workunits", async () => {
    const protocol = freshProtocol();
    for (let seed = 0; seed < PAPER_SEEDS; seed++) await pending(protocol, seed, 2);
    await accepted(protocol, 6, 1, "rejected");
    await workunitRow(protocol, 4, "expired");
    // every seed has load 2 except none lower: seed 0 wins the tie
    expect(await next(protocol)).toBe(0);
    const other = freshProtocol();
    for (let seed = 0; seed < PAPER_SEEDS; seed++) if (seed !== 6) await pending(other, seed, 1);
    await accepted(other, 6, 3, "rejected");
    expect(await next(other)).toBe(6);
  });

  it("stays on the paper seeds until every one has REPLICATION_TARGET accepted runs", async () => {
    const protocol = freshProtocol();
    await coverPaperSeeds(protocol, REPLICATION_TARGET);
    await env.DB.prepare("DELETE FROM runs WHERE protocol_id = ? AND seed = 7 AND id IN (SELECT id FROM runs WHERE protocol_id = ? AND seed = 7 LIMIT 1)").bind(protocol, protocol).run();
    expect(await next(protocol)).toBe(7);
  });

  it("then hands out new seeds 10, 11, ..., each until it reaches the target", async () => {
    const protocol = freshProtocol();
    await coverPaperSeeds(protocol, REPLICATION_TARGET);
    const seeds: number[] = [];
    for (let k = 0; k < 2 * REPLICATION_TARGET + 1; k++) seeds.push(await next(protocol));
    expect(seeds).toEqual([10, 10, 10, 11, 11, 11, 12]);
  });
});

describe("hoarded workunits do not steer the assignment", () => {
  it("another address's open workunits count once per address, however many it holds", async () => {
    const protocol = freshProtocol();
    // One address holds three open workunits of every paper seed but 0 (27 in all).
    for (let seed = 1; seed < PAPER_SEEDS; seed++) await pending(protocol, seed, 3, "198.51.100.66");
    const seeds: number[] = [];
    for (let k = 0; k < PAPER_SEEDS + 1; k++) seeds.push(await next(protocol, { clientKey: `203.0.113.${k}` }));
    // Without the hoard: 0, 1, ..., 9, 0. With it, one assignment shifts (one address), not 27.
    expect(seeds).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("a better-covered seed is never handed out before a less-covered one, whatever is held open", async () => {
    const protocol = freshProtocol();
    await accepted(protocol, 5, REPLICATION_TARGET);
    // Four addresses hold every other paper seed: under "runs + open workunits" seed 5 (3) would look least loaded.
    for (let seed = 0; seed < PAPER_SEEDS; seed++) if (seed !== 5) for (let a = 0; a < 4; a++) await pending(protocol, seed, 1, `198.51.100.${a}`);
    const seeds: number[] = [];
    for (let k = 0; k < 2 * PAPER_SEEDS; k++) seeds.push(await next(protocol, { clientKey: `203.0.113.${k}` }));
    expect(seeds).not.toContain(5);
  });

  it("runs that count nowhere (waiting for peers, refuted, rejected, hidden) do not make a seed covered", async () => {
    const protocol = freshProtocol();
    for (let seed = 0; seed < PAPER_SEEDS; seed++) if (seed !== 4) await accepted(protocol, seed, 1);
    await accepted(protocol, 4, 2, "accepted", "pending");
    await accepted(protocol, 4, 1, "accepted", "refuted");
    await accepted(protocol, 4, 1, "rejected");
    expect(await next(protocol)).toBe(4);
    // A run its peers confirmed counts.
    const other = freshProtocol();
    for (let seed = 0; seed < PAPER_SEEDS; seed++) if (seed !== 4) await accepted(other, seed, 1);
    await accepted(other, 4, 1, "accepted", "replayed");
    await accepted(other, 0, 1);
    expect(await next(other)).toBe(1);
  });

  it("an expired hoard gives its seeds back at once", async () => {
    const protocol = freshProtocol();
    for (let seed = 0; seed < PAPER_SEEDS; seed++) if (seed !== 7) await pending(protocol, seed, 1, `198.51.100.${seed}`);
    for (let k = 0; k < 5; k++) await workunitRow(protocol, 7, "expired", `198.51.100.${20 + k}`);
    expect(await next(protocol, { clientKey: "203.0.113.1" })).toBe(7);
  });

  it("a client's own open workunits count one each: a batch from one address spreads over the seeds", async () => {
    const protocol = freshProtocol();
    const seeds: number[] = [];
    for (let k = 0; k < PAPER_SEEDS; k++) seeds.push(await next(protocol, { clientKey: "203.0.113.50" }));
    expect(seeds).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("caps on open workunits", () => {
  const caps: OpenCaps = { perClient: 3, perContributor: 2 };

  it("refuses an address's workunit beyond perClient, across protocols; other addresses are not affected", async () => {
    const [a, b] = [freshProtocol(), freshProtocol()];
    const who = { clientKey: "192.0.2.10", caps };
    expect((await issue(a, who)).ok).toBe(true);
    expect((await issue(b, who)).ok).toBe(true);
    expect((await issue(a, who, "deterministic")).ok).toBe(true);
    expect(await issue(b, who)).toEqual({ ok: false, cap: "client", limit: 3 });
    expect(await issue(b, who, "deterministic")).toEqual({ ok: false, cap: "client", limit: 3 });
    expect((await issue(b, { clientKey: "192.0.2.11", caps })).ok).toBe(true);
    // Nothing was inserted for the refused requests.
    const held = await env.DB.prepare("SELECT count(*) AS n FROM workunits WHERE client_key = ?").bind("192.0.2.10").first<{ n: number }>();
    expect(held!.n).toBe(3);
  });

  it("refuses a contributor key's workunit beyond perContributor, from any address", async () => {
    const protocol = freshProtocol();
    const key = "c".repeat(64);
    expect((await issue(protocol, { clientKey: "192.0.2.20", contributorId: key, caps })).ok).toBe(true);
    expect((await issue(protocol, { clientKey: "192.0.2.21", contributorId: key, caps })).ok).toBe(true);
    expect(await issue(protocol, { clientKey: "192.0.2.22", contributorId: key, caps })).toEqual({ ok: false, cap: "contributor", limit: 2 });
    // The same address without the key still has room under its own cap.
    expect((await issue(protocol, { clientKey: "192.0.2.22", caps })).ok).toBe(true);
  });

  it("counts only open workunits: consumed and expired ones free the cap", async () => {
    const protocol = freshProtocol();
    const address = "192.0.2.30";
    for (let k = 0; k < 2; k++) await workunitRow(protocol, k, "consumed", address);
    for (let k = 0; k < 5; k++) await workunitRow(protocol, k, "expired", address);
    for (let k = 0; k < 3; k++) expect((await issue(protocol, { clientKey: address, caps })).ok).toBe(true);
    expect((await issue(protocol, { clientKey: address, caps })).ok).toBe(false);
  });

  it("holds under concurrent requests: ten at once from one address, exactly perClient issued", async () => {
    const protocol = freshProtocol();
    const results = await Promise.all(Array.from({ length: 10 }, () => issue(protocol, { clientKey: "192.0.2.40", caps })));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.cap === "client")).toBe(true);
  });
});
