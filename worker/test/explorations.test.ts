// Playground explorations: saved with server-computed metrics, shared by id, never on the leaderboard.
import { describe, expect, it } from "vitest";
import { ExplorationSchema, LeaderboardResponseSchema } from "../../shared/api";
import { evaluateMoons } from "../../shared/metrics/two-moons";
import { playgroundProtocol, PLAYGROUND_DEFAULTS } from "../../shared/protocols/playground";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import { api, expectError, postJson } from "./helpers";

const params = { ...PLAYGROUND_DEFAULTS, margin: -0.05, seed: 4 };
const protocol = playgroundProtocol(params, 300);
const weights = Array.from(twoMoonsFamily.initialWeights(protocol, params.seed));

describe("explorations", () => {
  it("saves a playground run with metrics the server computed from its weights, and serves it by id", async () => {
    const response = await postJson("/api/explorations", { params, steps: 300, title: "my <b>test</b>", weights, lossHistory: [0.7, 0.5] });
    expect(response.status).toBe(201);
    const saved = ExplorationSchema.parse(await response.json());
    const expected = evaluateMoons(protocol, twoMoonsFamily.dataset(protocol, params.seed), Float32Array.from(weights)).metrics;
    expect(saved.metrics).toEqual(expected);
    const served = ExplorationSchema.parse(await (await api(`/api/explorations/${saved.id}`)).json());
    expect(served).toEqual(saved);
    expect(served.title).toBe("my <b>test</b>");
    const { protocols } = LeaderboardResponseSchema.parse(await (await api("/api/leaderboard")).json());
    expect(protocols.every((p) => p.runs === 0)).toBe(true);
  });

  it.each([
    ["weights of the wrong length", { params, steps: 10, weights: weights.slice(1), lossHistory: [] }],
    ["a margin outside the playground's range", { params: { ...params, margin: 3 }, steps: 10, weights, lossHistory: [] }],
    ["an unknown regulariser", { params: { ...params, regularizer: "dropout" }, steps: 10, weights, lossHistory: [] }],
    ["too many steps", { params, steps: 1_000_000, weights, lossHistory: [] }],
    ["an unknown field", { params, steps: 10, weights, lossHistory: [], counted: true }],
  ])("refuses %s (400 malformed)", async (_, body) => {
    await expectError(await postJson("/api/explorations", body), 400, "malformed");
  });

  it("answers 404 for unknown or malformed ids", async () => {
    await expectError(await api(`/api/explorations/ex_${crypto.randomUUID()}`), 404, "not_found");
    await expectError(await api("/api/explorations/../../runs"), 404, "not_found");
  });
});
