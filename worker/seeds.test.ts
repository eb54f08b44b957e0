// Seed assignment (worker/seeds.ts) against a real D1 database: which seed the next workunit gets.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { insertWorkunitWithSeed, PAPER_SEEDS, REPLICATION_TARGET } from "./seeds";

const HOUR = 3_600_000;
let counter = 0;
let protocolCounter = 0;
/** Each test uses a protocol id of its own, so tests do not see each other's rows. */
const freshProtocol = (): string => `seed-test-${++protocolCounter}`;

async function workunitRow(protocolId: string, seed: number, state: "pending" | "consumed" | "expired"): Promise<string> {
  const id = `wu_seedtest_${++counter}`;
  const now = Date.now();
  await env.DB.prepare(
    "INSERT INTO workunits (id, token_hash, protocol_id, protocol_version, seed, created_at, expires_at, consumed_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?)",
  )
    .bind(id, `hash-${id}`, protocolId, seed, now, state === "expired" ? now - HOUR : now + HOUR, state === "consumed" ? now : null)
    .run();
  return id;
}

async function accepted(protocolId: string, seed: number, count = 1, status: "accepted" | "rejected" = "accepted"): Promise<void> {
  for (let k = 0; k < count; k++) {
    const workunitId = await workunitRow(protocolId, seed, "consumed");
    await env.DB.prepare(
      "INSERT INTO runs (id, workunit_id, protocol_id, protocol_version, seed, status, message, claimed, environment, backend, train_ms, created_at) VALUES (?, ?, ?, 1, ?, ?, '', '{}', '{}', 'wasm', 0, ?)",
    )
      .bind(`run_${workunitId}`, workunitId, protocolId, seed, status, Date.now())
      .run();
  }
}

const pending = async (protocolId: string, seed: number, count = 1): Promise<void> => {
  for (let k = 0; k < count; k++) await workunitRow(protocolId, seed, "pending");
};

const next = (protocolId: string): Promise<number> => {
  const now = Date.now();
  const id = `wu_seedtest_${++counter}`;
  return insertWorkunitWithSeed(env.DB, "seeds", { id, tokenHash: `hash-${id}`, protocolId, protocolVersion: 1, createdAt: now, expiresAt: now + HOUR });
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
