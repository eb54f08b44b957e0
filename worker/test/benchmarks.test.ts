// The benchmark board's API in workerd: an honest suite accepted and found on the board and at its URL; forged end
// states, impossible timings and reused tokens refused; the grouping and agreement figures over several results.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BenchAcceptedSchema, BenchBoardSchema, BenchResultSchema, BenchWorkunitSchema, type BenchSubmission, type BenchWorkunit } from "../../shared/bench-api";
import { honestSubmission, honestEndState, toBase64 } from "../../shared/testing/honest-benchmark";
import { BENCH_OPEN_PER_ADDRESS } from "../routes/benchmarks";
import { benchCmnistData, benchCmnistInitialWeights, benchCmnistProtocol } from "../../shared/metrics/benchmark-cmnist";
import { workerMnistPack } from "../mnist-pack";
import { api, expectError } from "./helpers";
import { BASE } from "./submissions";

/** Every workunit of this file gets this seed (set in D1 after issue), so the product's digests are computed once. */
const SEED = 4242;
let address = 0;
const nextAddress = (): string => `203.0.113.${++address}`;

async function issue(ip = nextAddress()): Promise<BenchWorkunit> {
  const response = await api("/api/benchmarks/workunits", { method: "POST", headers: { "cf-connecting-ip": ip } });
  expect(response.status).toBe(201);
  const workunit = BenchWorkunitSchema.parse(await response.json());
  await env.DB.prepare("UPDATE benchmark_workunits SET seed = ? WHERE id = ?").bind(SEED, workunit.id).run();
  return { ...workunit, seed: SEED };
}

const post = (body: unknown, ip = nextAddress()): Promise<Response> =>
  api("/api/benchmarks", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip }, body: JSON.stringify(body) });

let honestCache: BenchSubmission | null = null;
/** The honest suite for SEED (the matmul digests cost ~10⁹ multiply-adds, so once), under this workunit's id and token. */
async function honest(workunit: BenchWorkunit, environment?: Partial<BenchSubmission["environment"]>): Promise<BenchSubmission> {
  if (!honestCache) {
    const pack = await workerMnistPack(env.ASSETS, BASE);
    honestCache = honestSubmission(workunit, benchCmnistData(pack, SEED, workunit.cmnistImagesPerEnv));
  }
  return { ...honestCache, workunitId: workunit.id, token: workunit.token, environment: { ...honestCache.environment, ...environment } };
}

describe("benchmark workunits and submissions", () => {
  it("accepts an honest suite, stores it and serves it at its URL", async () => {
    const workunit = await issue();
    expect(workunit).toMatchObject({ steps: 200, lanes: 10, matmulSize: 1024, matmulRepeats: 3, cmnistImagesPerEnv: 250, cmnistSteps: 2 });
    const response = await post(await honest(workunit));
    expect(response.status).toBe(201);
    const { id, result } = BenchAcceptedSchema.parse(await response.json());
    expect(result.facets).toMatchObject({ backend: "wasm", gpuVendor: "none", browser: "chrome", os: "linux", adapter: "SIMD build, 1 thread" });
    expect(result.values["moons-1"]).toBeCloseTo(200 / 0.04);
    expect(result.values.matmul).toBeCloseTo((2 * 1024 ** 3) / 0.1 / 1e9);
    expect(result.agreement.moons1).toBeLessThan(1e-5);
    expect(result.agreement.matmulRows).toHaveLength(4);
    expect(result.agreement.cmnist).toBeLessThan(1e-4);
    expect(result.values.cmnist).toBeCloseTo(2000 / 60);
    const page = await api(`/api/benchmarks/${id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toMatch(/immutable/);
    expect(BenchResultSchema.parse(await page.json())).toEqual(result);
    await expectError(await api("/api/benchmarks/bm_00000000-0000-0000-0000-000000000000"), 404, "not_found");
  });

  it("refuses a forged end state with a clear reason", async () => {
    const workunit = await issue();
    const forged = { ...await honest(workunit), moons1: { elapsedMs: 40, weights: toBase64(honestEndState(SEED, 0)) } };
    const message = await expectError(await post(forged), 422, "replay_mismatch");
    expect(message).toMatch(/1-lane end state .* float64 replay .* not that computation/);
  });

  it("refuses a Colored-MNIST end state that is not the replayed computation", async () => {
    const body = await honest(await issue());
    // The seed's initial weights: the shape is right, the two steps were never taken.
    const forged = { ...body, cmnist: { elapsedMs: 60, weights: toBase64(benchCmnistInitialWeights(benchCmnistProtocol(), SEED)) } };
    expect(await expectError(await post(forged), 422, "replay_mismatch")).toMatch(/Colored-MNIST end state/);
  });

  it("refuses row digests of the matmul probe that are not the product", async () => {
    const workunit = await issue();
    const body = await honest(workunit);
    const forged = { ...body, matmul: { ...body.matmul, rowDigests: body.matmul.rowDigests.map((d) => d * 1.01) } };
    expect(await expectError(await post(forged), 422, "replay_mismatch")).toMatch(/matmul probe's product/);
  });

  it("refuses timings above the physical bound and beyond the observed window", async () => {
    const fast = { ...await honest(await issue()), matmul: { ...honestCache!.matmul, elapsedMs: [0.01, 0.01, 0.01] } };
    expect(await expectError(await post(fast), 422, "claims_mismatch")).toMatch(/TFLOP\/s, more than any machine's wasm backend/);
    const slow = { ...await honest(await issue()), moons10: { ...honestCache!.moons10, elapsedMs: 600_000 } };
    expect(await expectError(await post(slow), 422, "claims_mismatch")).toMatch(/passed between the workunit's issue and this submission/);
  });

  it("refuses a reused token, an unknown one and an expired workunit", async () => {
    const workunit = await issue();
    expect((await post(await honest(workunit))).status).toBe(201);
    await expectError(await post(await honest(workunit)), 409, "token_used");
    // A refused submission spends the token too: one try per workunit.
    const refused = await issue();
    await expectError(await post({ ...await honest(refused), moons1: { elapsedMs: 40, weights: toBase64(honestEndState(SEED + 1, 200)) } }), 422, "replay_mismatch");
    await expectError(await post(await honest(refused)), 409, "token_used");
    await expectError(await post({ ...await honest(workunit), token: "x".repeat(43) }), 403, "token_invalid");
    const expired = await issue();
    await env.DB.prepare("UPDATE benchmark_workunits SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, expired.id).run();
    await expectError(await post(await honest(expired)), 410, "token_expired");
    await expectError(await post({ ...await honest(await issue()), moons10: { elapsedMs: 1, weights: [] } }), 422, "evidence_shape");
  });

  it("caps the open benchmark workunits of one address", async () => {
    const ip = nextAddress();
    for (let k = 0; k < BENCH_OPEN_PER_ADDRESS; k++) await issue(ip);
    await expectError(await api("/api/benchmarks/workunits", { method: "POST", headers: { "cf-connecting-ip": ip } }), 429, "rate_limited");
  });
});

describe("the benchmark board", () => {
  it("groups results by adapter, backend, browser and OS with median, p10, p90 and n, and tabulates agreement per backend and vendor", async () => {
    const gpu = { backend: "webgpu" as const, adapter: "nvidia ampere NVIDIA A100-SXM4-80GB", userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/140.0.0.0 Safari/537.36" };
    const times = [100, 50, 25];
    for (const ms of times) {
      const workunit = await issue();
      const body = await honest(workunit, gpu);
      expect((await post({ ...body, matmul: { ...body.matmul, elapsedMs: [ms, ms, ms] } })).status).toBe(201);
    }
    const board = BenchBoardSchema.parse(await (await api("/api/benchmarks?backend=webgpu&gpuVendor=nvidia&gpuArchitecture=ampere&os=windows")).json());
    expect(board.rows).toBe(3);
    expect(board.capped).toBe(false);
    expect(board.groups).toHaveLength(1);
    const [group] = board.groups;
    expect(group!.facets).toMatchObject({ backend: "webgpu", gpuVendor: "nvidia", gpuArchitecture: "ampere", adapter: gpu.adapter, browser: "chrome", os: "windows" });
    const gflops = times.map((ms) => (2 * 1024 ** 3) / (ms / 1000) / 1e9).sort((a, b) => a - b);
    expect(group!.items.matmul).toMatchObject({ n: 3, median: gflops[1] });
    expect(group!.items.matmul!.p10).toBeCloseTo(gflops[0]! + 0.2 * (gflops[1]! - gflops[0]!));
    expect(group!.items.matmul!.p90).toBeCloseTo(gflops[1]! + 0.8 * (gflops[2]! - gflops[1]!));
    expect(board.agreement.map((row) => [row.backend, row.gpuVendor, row.item, row.n])).toEqual([
      ["webgpu", "nvidia", "moons-1", 3],
      ["webgpu", "nvidia", "moons-10", 3],
      ["webgpu", "nvidia", "cmnist", 3],
      ["webgpu", "nvidia", "matmul", 3],
    ]);
    expect(board.agreement[0]!.max).toBeLessThan(1e-5);
    expect(board.recent).toHaveLength(3);

    const one = BenchBoardSchema.parse(await (await api("/api/benchmarks?item=matmul&backend=webgpu")).json());
    expect(Object.keys(one.groups[0]!.items)).toEqual(["matmul"]);
    const all = BenchBoardSchema.parse(await (await api("/api/benchmarks")).json());
    expect(all.groups.map((g) => g.facets.backend)).toEqual(expect.arrayContaining(["wasm", "webgpu"]));
    await expectError(await api("/api/benchmarks?backend=quantum"), 400, "malformed");
  });
});
