// Contributor identity and quorum through the API: runs carry the hash of the contributor's key (never the key);
// a seed becomes "reproduced" only when counted runs of two keys with earned standing, from different address
// blocks, agree; free keys (Sybil sets of 2, 5 and 20), one key twice and keys of one block confirm nothing; and
// a disagreeing run the server accepted never takes an honest two-moons seed out of the averages, while on a
// peer-replayed protocol only an earned, cross-block dispute does. The tests of this file share storage and run in order.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api } from "./helpers";
import { board, boardState, earnStanding, insertAcceptedRun, keyOf, leaderboard, submitFrom } from "./board-fixtures";

// A 1,000-step protocol the server verifies in full itself: two honest runs of a seed agree exactly.
const PROTOCOL = "fig1-margin-neg";
const ipOf = (k: number) => `198.18.${k}.7`;

describe("contributor identity and quorum", () => {
  it("stores the key's hash, shows its first 12 digits, and never the key", async () => {
    const alice = await keyOf("alice");
    const record = await submitFrom(PROTOCOL, 0, alice.key, ipOf(1));
    expect(record.contributorId).toMatch(/^[0-9a-f]{12}$/);
    expect(alice.id.startsWith(record.contributorId!)).toBe(true);
    const row = await env.DB.prepare("SELECT * FROM runs WHERE id = ?").bind(record.id).first<Record<string, unknown>>();
    expect(row!.contributor_id).toBe(alice.id);
    expect(JSON.stringify(row)).not.toContain(alice.key);
    expect(JSON.stringify(await (await api(`/api/runs/${record.id}`)).json())).not.toContain(alice.key);
  });

  it("one key twice, or a second fresh key from another block, confirms nothing", async () => {
    const [alice, bob] = [await keyOf("alice"), await keyOf("bob")];
    const first = (await board(PROTOCOL)).runs[0]!;
    await insertAcceptedRun({ protocolId: PROTOCOL, seed: 0, recomputed: first.recomputed, contributorId: alice.id, addressBlock: "198.18.1.0/24" });
    await submitFrom(PROTOCOL, 0, bob.key, ipOf(2));
    const current = await board(PROTOCOL);
    expect(current.entry).toMatchObject({ runs: 3, seeds: 1, contributors: 2, reproducedSeeds: 0, disputedSeeds: 0 });
    expect(current.runs.map((r) => [r.trust, r.counted])).toEqual([
      ["replayed", true],
      ["recomputed", true],
      ["replayed", true],
    ]);
  });

  it("two keys with earned standing from different blocks that agree make the seed reproduced", async () => {
    const [alice, bob] = [await keyOf("alice"), await keyOf("bob")];
    await earnStanding(alice.id, "198.18.1.0/24", 1000);
    await earnStanding(bob.id, "198.18.2.0/24", 1000);
    const current = await board(PROTOCOL);
    expect(current.entry).toMatchObject({ seeds: 1, contributors: 2, reproducedSeeds: 1, disputedSeeds: 0 });
    expect(current.runs.map((r) => r.trust)).toEqual(["reproduced", "reproduced", "reproduced"]);
  });

  it("a Sybil pair of fresh keys from two blocks, each submitting an honest run of one seed, makes it no reproduced seed", async () => {
    const before = await leaderboard();
    for (let k = 0; k < 2; k++) await submitFrom(PROTOCOL, 1, (await keyOf(`sybil2x${k}`)).key, `203.2.${k}.1`);
    const after = await board(PROTOCOL);
    expect(after.entry.reproducedSeeds).toBe(before.find((e) => e.protocolId === PROTOCOL)!.reproducedSeeds);
    expect(after.runs.filter((r) => r.seed === 1).map((r) => r.trust)).toEqual(["replayed", "replayed"]);
  });

  // Each member's run as the server accepts an honest one (seed 1's values, copied): the quorum, not the verifier, is under test.
  it.each([5, 20])("a Sybil set of %i fresh keys from as many blocks with agreeing accepted runs makes no seed reproduced", async (n) => {
    const seed = n === 5 ? 2 : 3;
    const honest = (await board(PROTOCOL)).runs.find((r) => r.seed === 1)!;
    const before = await boardState([PROTOCOL]);
    for (let k = 0; k < n; k++) {
      const sybil = await keyOf(`sybil${n}x${k}`);
      await insertAcceptedRun({ protocolId: PROTOCOL, seed, recomputed: honest.recomputed, contributorId: sybil.id, addressBlock: `203.${n}.${k}.0/24` });
    }
    const after = await board(PROTOCOL);
    expect(after.entry.reproducedSeeds).toBe(before.boards[0]!.entry.reproducedSeeds);
    expect(after.entry.disputedSeeds).toBe(0);
    expect(after.runs.filter((r) => r.seed === seed).map((r) => r.trust)).toEqual(Array<string>(n).fill("recomputed"));
  });

  it("earned keys from one address block that agree make no seed reproduced", async () => {
    const keys = [await keyOf("carol"), await keyOf("carol2"), await keyOf("carol3")];
    const honest = (await board(PROTOCOL)).runs.find((r) => r.seed === 1)!;
    for (const [k, key] of keys.entries()) {
      await earnStanding(key.id, "192.0.2.0/24", 2000 + 10 * k);
      await insertAcceptedRun({ protocolId: PROTOCOL, seed: 4, recomputed: honest.recomputed, contributorId: key.id, addressBlock: "192.0.2.0/24" });
    }
    const current = await board(PROTOCOL);
    expect(current.runs.filter((r) => r.seed === 4).map((r) => r.trust)).toEqual(["recomputed", "recomputed", "recomputed"]);
    expect(current.entry.reproducedSeeds).toBe(1);
  });

  it("a forged-but-accepted disagreeing run of an earned key does not take an honest two-moons seed out of the averages", async () => {
    const before = await boardState([PROTOCOL]);
    const forger = await keyOf("forger");
    await earnStanding(forger.id, "100.64.9.0/24", 3000);
    const honest = (await board(PROTOCOL)).runs.find((r) => r.seed === 0)!;
    const forged = Object.fromEntries(Object.entries(honest.recomputed).map(([k, v]) => [k, typeof v === "number" ? v + 0.3 : v]));
    await insertAcceptedRun({ protocolId: PROTOCOL, seed: 0, recomputed: forged, contributorId: forger.id, addressBlock: "100.64.9.0/24" });
    const after = await board(PROTOCOL);
    // The seed is flagged as information; the server replayed both runs itself, so it stays averaged in.
    expect(after.entry.disputedSeeds).toBe(1);
    expect(after.entry.seeds).toBe(before.boards[0]!.entry.seeds);
    for (const [key, stat] of Object.entries(after.entry.metrics)) expect(stat?.n, key).toBe(before.boards[0]!.entry.metrics[key]?.n);
    expect(after.runs.filter((r) => r.seed === 0).every((r) => r.counted)).toBe(true);
  });
});

describe("quorum on a peer-replayed protocol (Colored MNIST)", () => {
  const CMNIST = "cmnist-erm-reduced";
  const honestValues = { trainAccuracy: 0.8, testAccuracy: 0.3 };
  const forgedValues = { trainAccuracy: 0.5, testAccuracy: 0.9 };
  const entryOf = async () => (await leaderboard()).find((e) => e.protocolId === CMNIST)!;

  it("an unearned or same-block disagreement disputes nothing; an earned cross-block one leaves the seed out", async () => {
    const [honest, other] = [await keyOf("dora"), await keyOf("erin")];
    await earnStanding(honest.id, "198.51.100.0/24", 4000);
    await insertAcceptedRun({ protocolId: CMNIST, seed: 0, recomputed: honestValues, contributorId: honest.id, addressBlock: "198.51.100.0/24", peerStatus: "replayed" });
    await insertAcceptedRun({ protocolId: CMNIST, seed: 1, recomputed: honestValues, contributorId: honest.id, addressBlock: "198.51.100.0/24", peerStatus: "replayed" });
    const honestEntry = await entryOf();
    expect(honestEntry).toMatchObject({ runs: 2, seeds: 2, disputedSeeds: 0, metrics: { testAccuracy: { mean: 0.3, n: 2 } } });

    for (let k = 0; k < 5; k++) {
      const sybil = await keyOf(`cm-sybil${k}`);
      await insertAcceptedRun({ protocolId: CMNIST, seed: 0, recomputed: forgedValues, contributorId: sybil.id, addressBlock: `203.0.${k}.0/24`, peerStatus: "replayed" });
    }
    let entry = await entryOf();
    expect(entry).toMatchObject({ seeds: 2, reproducedSeeds: 0, disputedSeeds: 0 });

    const sameBlock = await keyOf("dora-twin");
    await earnStanding(sameBlock.id, "198.51.100.0/24", 4100);
    await insertAcceptedRun({ protocolId: CMNIST, seed: 0, recomputed: forgedValues, contributorId: sameBlock.id, addressBlock: "198.51.100.0/24", peerStatus: "replayed" });
    entry = await entryOf();
    expect(entry).toMatchObject({ disputedSeeds: 0, metrics: { testAccuracy: { n: 2 } } });

    await earnStanding(other.id, "192.0.2.0/24", 4200);
    await insertAcceptedRun({ protocolId: CMNIST, seed: 0, recomputed: forgedValues, contributorId: other.id, addressBlock: "192.0.2.0/24", peerStatus: "replayed" });
    entry = await entryOf();
    expect(entry).toMatchObject({ disputedSeeds: 1, metrics: { testAccuracy: { mean: 0.3, n: 1 } } });
  });
});
