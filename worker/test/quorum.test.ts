// Contributor identity and quorum through the API: runs carry the hash of the contributor's key (never the key),
// a seed becomes "reproduced" only when two different keys' verified runs agree, one key twice confirms nothing,
// and contributors are counted by key.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ProtocolBoardSchema, RunRecordSchema } from "../../shared/api";
import { api, workunitForSeed } from "./helpers";
import { honestRun, postHonest } from "./submissions";

// A 1,000-step protocol: the test clients send its complete honest trajectory, so two runs of a seed agree exactly.
const PROTOCOL = "fig1-margin-neg";
const KEY_A = "A".repeat(43);
const KEY_B = "b_-".repeat(14) + "b";

async function submit(seed: number, contributorKey: string | undefined, contributor: string) {
  const workunit = await workunitForSeed(PROTOCOL, seed);
  const response = await postHonest(honestRun(PROTOCOL, seed), workunit.token, { contributor, ...(contributorKey ? { contributorKey } : {}) });
  expect(response.status).toBe(201);
  return RunRecordSchema.parse(await response.json());
}

const board = async () => ProtocolBoardSchema.parse(await (await api(`/api/leaderboard/${PROTOCOL}`)).json());

describe("contributor identity and quorum", () => {
  it("stores the key's hash, shows its first 12 digits, and never the key", async () => {
    const record = await submit(0, KEY_A, "alice");
    expect(record.contributorId).toMatch(/^[0-9a-f]{12}$/);
    const row = await env.DB.prepare("SELECT * FROM runs WHERE id = ?").bind(record.id).first<Record<string, unknown>>();
    expect(row!.contributor_id).toMatch(new RegExp(`^${record.contributorId}[0-9a-f]{52}$`));
    expect(JSON.stringify(row)).not.toContain(KEY_A);
    expect(JSON.stringify(await (await api(`/api/runs/${record.id}`)).json())).not.toContain(KEY_A);
  });

  it("one key twice confirms nothing; a second key that agrees makes the seed reproduced", async () => {
    await submit(0, KEY_A, "alice again");
    let current = await board();
    expect(current.entry).toMatchObject({ seeds: 1, contributors: 1, reproducedSeeds: 0, disputedSeeds: 0 });
    // Not reproduced yet; each run's own trajectory segments were replayed.
    expect(current.runs.every((r) => r.trust === "replayed")).toBe(true);

    const bob = await submit(0, KEY_B, "bob");
    current = await board();
    expect(current.entry).toMatchObject({ seeds: 1, contributors: 2, reproducedSeeds: 1, disputedSeeds: 0 });
    expect(current.runs.map((r) => r.trust)).toEqual(["reproduced", "reproduced", "reproduced"]);
    expect(current.runs[0]!).toMatchObject({ id: bob.id, contributor: "bob", contributorId: bob.contributorId });
  });

  it("anonymous runs never make a quorum", async () => {
    await submit(1, undefined, "carol");
    await submit(1, undefined, "dave");
    const current = await board();
    expect(current.runs.filter((r) => r.seed === 1).map((r) => [r.trust, r.contributorId])).toEqual([
      ["replayed", null],
      ["replayed", null],
    ]);
    expect(current.entry.reproducedSeeds).toBe(1);
  });
});
