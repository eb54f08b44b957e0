// Why: proves a workunit request carries a Turnstile token only when given one, that a 403 naming a challenge
// reaches the caller as ApiError.challenge (other errors carry none), and that a run's evidence is read, checked
// and, while withheld, refused as awaiting_peers; the server is a stubbed fetch.
import { describe, expect, it, vi } from "vitest";
import { ApiError, createApiClient } from "./api-client";

const WORKUNIT = {
  workunitId: "wu_1",
  token: "t".repeat(43),
  protocolId: "fig1-margin-pos",
  protocolVersion: 1,
  seed: 3,
  expiresAt: "2030-01-01T00:00:00.000Z",
  datasetUrl: null,
  datasetDigest: null,
};
const challenge = { kind: "turnstile", siteKey: "1x00000000000000000000AA" } as const;

const refusal = async (answer: Response): Promise<ApiError> => {
  const api = createApiClient("", () => Promise.resolve(answer));
  return api.workunit("fig1-margin-pos").then(
    () => expect.fail("the request should have been refused"),
    (error: unknown) => error as ApiError,
  );
};

describe("the API client's workunit request", () => {
  it("sends the token only when it has one", async () => {
    const fetchImpl = vi.fn((_input: string, _init?: RequestInit) => Promise.resolve(Response.json(WORKUNIT, { status: 201 })));
    const api = createApiClient("http://gs.test", fetchImpl);
    expect(await api.workunit("fig1-margin-pos")).toEqual(WORKUNIT);
    await api.workunit("fig1-margin-pos", "solved-token");
    const bodies = fetchImpl.mock.calls.map(([, init]) => JSON.parse(String(init!.body)));
    expect(bodies).toEqual([{ protocolId: "fig1-margin-pos" }, { protocolId: "fig1-margin-pos", turnstileToken: "solved-token" }]);
  });

  it("a 403 naming a Turnstile challenge is an ApiError with that challenge; other refusals carry none", async () => {
    const asked = await refusal(Response.json({ error: { reason: "forbidden", message: "solve it", challenge } }, { status: 403 }));
    expect(asked).toBeInstanceOf(ApiError);
    expect([asked.status, asked.reason, asked.message, asked.challenge]).toEqual([403, "forbidden", "solve it", challenge]);
    const plain = await refusal(Response.json({ error: { reason: "forbidden", message: "misconfigured" } }, { status: 403 }));
    expect(plain.challenge).toBeNull();
    // A challenge outside its schema (here: a site key with markup) is not trusted.
    const odd = await refusal(Response.json({ error: { reason: "forbidden", message: "x", challenge: { kind: "turnstile", siteKey: "<b>" } } }, { status: 403 }));
    expect([odd.reason, odd.challenge]).toEqual(["internal", null]);
  });
});

describe("the API client's run evidence request", () => {
  const evidence = { firstLosses: [0.7], lossHistory: [0.7, 0.1], series: { ntkAbsZ: [1, 2] }, timings: { trainMs: 5, steps: 10 } };

  it("reads a run's evidence from its own URL and checks its shape", async () => {
    const fetchImpl = vi.fn((_input: string) => Promise.resolve(Response.json(evidence)));
    expect(await createApiClient("http://gs.test", fetchImpl).runEvidence("run_a/b")).toEqual(evidence);
    expect(fetchImpl.mock.calls[0]![0]).toBe("http://gs.test/api/runs/run_a%2Fb/evidence");
    const malformed = createApiClient("", () => Promise.resolve(Response.json({ ...evidence, lossHistory: "many" })));
    await expect(malformed.runEvidence("run_x")).rejects.toThrow();
  });

  it("a withheld run's evidence is an ApiError saying it awaits its peers", async () => {
    const api = createApiClient("", () => Promise.resolve(Response.json({ error: { reason: "awaiting_peers", message: "later" } }, { status: 409 })));
    const error = await api.runEvidence("run_x").then(
      () => expect.fail("a withheld run's evidence should be refused"),
      (e: unknown) => e as ApiError,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.reason]).toEqual([409, "awaiting_peers"]);
  });
});

describe("the API client's read side", () => {
  it("asks for the facet, sort, page and contributor it is given, in the contract's parameter names", async () => {
    const urls: string[] = [];
    const answers: Record<string, unknown> = {
      "/api/leaderboard": { facet: { dimension: "backend", value: "webgpu" }, trust: null, protocols: [], version: 3 },
      "/api/leaderboard/facets": { dimensions: { backend: [{ value: "wasm", runs: 2 }], gpuVendor: [], gpuArchitecture: [], browser: [], os: [] }, version: 3 },
      "/api/leaderboard/fig1-margin-pos": { entry: null },
      "/api/contributors/0123456789ab": null,
      "/api/runs": { runs: [], nextCursor: null },
    };
    const fetchImpl = (input: string) => {
      urls.push(input);
      return Promise.resolve(Response.json(answers[new URL(input).pathname]));
    };
    const api = createApiClient("http://gs.test", fetchImpl);
    expect((await api.facetedLeaderboard({ backend: "webgpu", trust: "replayed" })).version).toBe(3);
    expect((await api.facetCounts()).dimensions.backend).toEqual([{ value: "wasm", runs: 2 }]);
    // Answers outside the contract are refused, not shown.
    await expect(api.boardPage("fig1-margin-pos", { facet: { os: "linux" }, sort: "metric:curvature", order: "asc", limit: 20, cursor: "c_1" })).rejects.toThrow();
    await expect(api.contributor("0123456789ab")).rejects.toThrow();
    expect(await api.runsPage({ contributor: "0123456789ab", cursor: "c_2" })).toEqual({ runs: [], nextCursor: null });
    expect(urls.map((url) => url.replace("http://gs.test", ""))).toEqual([
      "/api/leaderboard?backend=webgpu&trust=replayed",
      "/api/leaderboard/facets",
      "/api/leaderboard/fig1-margin-pos?os=linux&sort=metric%3Acurvature&order=asc&limit=20&cursor=c_1",
      "/api/contributors/0123456789ab",
      "/api/runs?contributor=0123456789ab&cursor=c_2",
    ]);
  });
});
