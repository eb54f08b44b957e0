// Seed assignment under concurrent POST /api/workunits (a file of its own: it needs a fresh database).
import { expect, it } from "vitest";
import { WorkunitSchema } from "../../shared/api";
import { postJson } from "./helpers";

// Concurrent requests must see each other's pending workunits: the seed is chosen and inserted in one SQL
// statement (worker/seeds.ts), so ten simultaneous requests for a fresh protocol get seeds 0..9 once each.
it("ten concurrent workunit requests for a fresh protocol give seeds 0..9 each once", async () => {
  const responses = await Promise.all(Array.from({ length: 10 }, () => postJson("/api/workunits", { protocolId: "fig2-margin-pos-sd" })));
  expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
  const seeds = await Promise.all(responses.map(async (r) => WorkunitSchema.parse(await r.json()).seed));
  expect([...seeds].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
