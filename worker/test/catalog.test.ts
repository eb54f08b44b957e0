// GET /api/protocols, GET /api/datasets/moons and the API's 404s.
import { describe, expect, it } from "vitest";
import { MoonsDatasetSchema, ProtocolsResponseSchema } from "../../shared/api";
import { moonsDigest } from "../../shared/data/digest";
import raw from "../../shared/data/fixtures/make_moons_n300_noise0.1_seeds0-9.json";
import transformed from "../../shared/data/fixtures/two_moons_transformed_examples.json";
import { twoMoons, type MoonsData } from "../../shared/data/moons";
import { TWO_MOONS_METRICS } from "../../shared/metrics/two-moons";
import { mlpParamCount } from "../../shared/nn/mlp";
import { familyOf } from "../../shared/protocols/families";
import { PROTOCOLS } from "../../shared/protocols/registry";
import { api, expectError } from "./helpers";

async function getDataset(query: string) {
  const response = await api(`/api/datasets/moons?${query}`);
  expect(response.status).toBe(200);
  return { response, body: MoonsDatasetSchema.parse(await response.json()) };
}

/** Coordinates whose float64 bits differ (Object.is), and label differences. */
function mismatches(x: readonly (readonly number[])[], y: readonly number[], wantX: readonly (readonly number[])[], wantY: readonly number[]): string[] {
  const out: string[] = [];
  if (x.length !== wantX.length || y.length !== wantY.length) out.push(`sizes ${x.length}/${y.length}, want ${wantX.length}/${wantY.length}`);
  wantX.forEach((row, i) =>
    row.forEach((want, j) => {
      const got = x[i]?.[j];
      if (!Object.is(got, want)) out.push(`x[${i}][${j}]: got ${got}, want ${want}`);
    }),
  );
  wantY.forEach((want, i) => {
    if (y[i] !== want) out.push(`y[${i}]: got ${y[i]}, want ${want}`);
  });
  return out;
}

const asMoonsData = (x: readonly (readonly number[])[], y: readonly number[]): MoonsData => ({
  n: y.length,
  x: Float64Array.from(x.flat()),
  y: Uint8Array.from(y),
});

describe("GET /api/protocols", () => {
  it("lists every protocol of Fig. 1, 2, 3, 6 and Table 1 with its metrics, valid per ProtocolsResponseSchema", async () => {
    const response = await api("/api/protocols");
    expect(response.status).toBe(200);
    const body = ProtocolsResponseSchema.parse(await response.json());
    expect(body.protocols.map((p) => p.protocol.id)).toEqual(PROTOCOLS.map((p) => p.id));
    expect(body.protocols.filter((p) => p.protocol.figure === "Fig. 3")).toHaveLength(10);
    expect(body.protocols.map((p) => p.protocol.id).slice(0, 5)).toEqual(["fig1-margin-neg", "fig1-margin-pos", "fig2-margin-neg", "fig2-margin-pos", "fig2-margin-pos-sd"]);
    expect(body.protocols.filter((p) => p.protocol.family === "toy-dynamics").map((p) => p.protocol.id)).toEqual(["fig6-dual", "fig6-primal-wd", "fig6-primal-sd"]);
    expect(body.protocols.filter((p) => p.protocol.family === "colored-mnist")).toHaveLength(10);
    for (const info of body.protocols) {
      const registered = PROTOCOLS.find((p) => p.id === info.protocol.id)!;
      expect(info.metrics).toEqual(familyOf(registered).metrics(registered));
      expect(info.protocol).toEqual(JSON.parse(JSON.stringify(registered)));
      if (info.protocol.family === "colored-mnist") {
        expect(info.metrics.map((m) => m.key)).toEqual(["trainAccuracy", "testAccuracy"]);
        const { hidden, inputs } = info.protocol.model;
        const width = inputs === "grayscale" ? 196 : 392;
        expect(info.paramCount).toBe(width * hidden + hidden + hidden * hidden + hidden + hidden + 1);
        continue;
      }
      if (info.protocol.family !== "two-moons") {
        expect(info.paramCount).toBe(0);
        continue;
      }
      expect(info.metrics.map((m) => m.key)).toEqual(["trainAccuracy", "finalLoss", "curvature", "meanMargin", "minMargin"]);
      expect(info.metrics).toEqual(TWO_MOONS_METRICS);
      expect(info.paramCount).toBe(mlpParamCount(info.protocol.model));
      if (info.protocol.model.layerSizes.length === 3 && !info.protocol.model.batchNorm) expect(info.paramCount).toBe(2 * 500 + 500 + 500 + 1);
    }
    // Every claim refers to a listed protocol and one of the listed metrics.
    const ids = new Set(body.protocols.map((p) => p.protocol.id));
    for (const info of body.protocols)
      for (const claim of info.protocol.claims) {
        expect(ids.has(claim.otherProtocolId)).toBe(true);
        expect(info.metrics.map((m) => m.key)).toContain(claim.metric);
      }
  });
});

describe("GET /api/datasets/moons", () => {
  it("raw=1 equals sklearn make_moons(300, noise=0.1) bit for bit for seeds 0-9, with the digest of the data", async () => {
    for (const [seed, expected] of Object.entries(raw.seeds)) {
      const { body } = await getDataset(`seed=${seed}&raw=1`);
      expect(body).toMatchObject({ seed: Number(seed), raw: true, n: 300, noise: 0.1, margin: 0, rotation: 0 });
      expect(mismatches(body.x, body.y, expected.X, expected.y)).toEqual([]);
      expect(body.digest).toBe(await moonsDigest(asMoonsData(expected.X, expected.y)));
    }
  });

  it("the transformed data equals the paper's two_moons_dataset bit for bit, with its digest", async () => {
    for (const [key, expected] of Object.entries(transformed.cases)) {
      const fields = Object.fromEntries(key.split(",").map((part) => part.split("=") as [string, string]));
      const seed = Number(fields.seed);
      const margin = Number(fields.margin);
      const rotation = Number(fields.rotation);
      const { body } = await getDataset(`seed=${seed}&margin=${margin}&rotation=${rotation}`);
      expect(body).toMatchObject({ seed, margin, rotation, raw: false, n: 300, noise: 0.1 });
      expect(mismatches(body.x, body.y, expected.X, expected.y), key).toEqual([]);
      const data = asMoonsData(expected.X, expected.y);
      expect(body.digest).toBe(await moonsDigest(data));
      expect(body.digest).toBe(await moonsDigest(twoMoons(seed, { margin, rotationDegrees: rotation })));
    }
  });

  it("is cached as immutable", async () => {
    const { response } = await getDataset("seed=3&margin=0.1");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("the default transform is margin 0, rotation 0 (not raw)", async () => {
    const { body } = await getDataset("seed=2");
    expect(body).toMatchObject({ seed: 2, margin: 0, rotation: 0, raw: false, n: 300 });
    expect(body.digest).toBe(await moonsDigest(twoMoons(2, { margin: 0, rotationDegrees: 0 })));
  });

  it("accepts the largest seed, 2**32 - 1", async () => {
    const { body } = await getDataset(`seed=${2 ** 32 - 1}&raw=1&n=4`);
    expect(body.seed).toBe(2 ** 32 - 1);
    expect(body.x).toHaveLength(4);
  });

  // Query numbers have one spelling only: an empty seed is refused like a missing one.
  it("rejects an empty seed (seed=) with 400 malformed", async () => {
    await expectError(await api("/api/datasets/moons?seed="), 400, "malformed");
  });

  it.each([
    ["seed -1", "seed=-1"],
    ["seed 2**32", `seed=${2 ** 32}`],
    ["seed abc", "seed=abc"],
    ["seed in hex", "seed=0x10"],
    ["seed in exponent form", "seed=1e3"],
    ["seed with a leading space", "seed=%205"],
    ["seed with a leading zero", "seed=05"],
    ["margin in exponent form", "seed=0&margin=1e-1"],
    ["seed 1.5", "seed=1.5"],
    ["no seed", "margin=0.1"],
    ["margin 5", "seed=0&margin=5"],
    ["margin abc", "seed=0&margin=abc"],
    ["rotation 400", "seed=0&rotation=400"],
    ["raw=2", "seed=0&raw=2"],
    ["n=1", "seed=0&n=1"],
    ["n=5001", "seed=0&n=5001"],
    ["noise -0.1", "seed=0&noise=-0.1"],
  ])("rejects %s with 400 malformed", async (_, query) => {
    await expectError(await api(`/api/datasets/moons?${query}`), 400, "malformed");
  });
});

describe("unknown routes", () => {
  it.each([
    ["GET", "/api/nope"],
    ["GET", "/api"],
    ["GET", "/api/datasets/circles?seed=0"],
    ["POST", "/api/protocols"],
    ["DELETE", "/api/runs/run_00000000-0000-0000-0000-000000000000"],
    ["GET", "/api/workunits"],
    ["PUT", "/api/runs"],
  ])("%s %s → 404 not_found JSON", async (method, path) => {
    await expectError(await api(path, { method }), 404, "not_found");
  });

  it.each([
    ["a random word", "nope"],
    ["an id without the run_ prefix", "00000000-0000-0000-0000-000000000000"],
    ["a path traversal", "..%2F..%2Fetc%2Fpasswd"],
    ["an over-long id", `run_${"0".repeat(100)}`],
    ["a well-formed id that does not exist", "run_00000000-0000-0000-0000-000000000000"],
  ])("GET /api/runs/<%s> → 404 not_found", async (_, id) => {
    await expectError(await api(`/api/runs/${id}`), 404, "not_found");
  });

  it("GET /api/leaderboard/<unknown protocol> → 404 unknown_protocol", async () => {
    await expectError(await api("/api/leaderboard/fig9-nope"), 404, "unknown_protocol");
  });
});
