import { describe, expect, it } from "vitest";
import { honestDigests, honestSubmission, toBase64, honestEndState } from "../testing/honest-benchmark";
import { benchDraw, checkBenchmark, END_STATE_TOLERANCE, laneSeed, MATMUL_ROWS_CHECKED, moonsEndDeviation, benchProtocol } from "./benchmark-check";
import { matmulOperands, rowDigestOf, rowDigests } from "./benchmark-matmul";
import { benchCmnistData } from "./benchmark-cmnist";
import { syntheticMnistPack } from "../testing/synthetic-mnist";
import { honestCmnistEndState } from "../testing/honest-benchmark";

const task = { id: "bwu_test", token: "t".repeat(43), seed: 12345, steps: 20, lanes: 3, matmulSize: 24, matmulRepeats: 2, cmnistImagesPerEnv: 20, cmnistSteps: 2 };
const train = benchCmnistData(syntheticMnistPack(5), task.seed, task.cmnistImagesPerEnv);
const draw = { lane: 2, rows: [0, 5, 23] };

describe("matmul probe", () => {
  it("recomputes one row's digest exactly as the whole product gives it", () => {
    const { a, b } = matmulOperands(7, 16, 4);
    expect(a.every((v) => Number.isInteger(v) && Math.abs(v) <= 4)).toBe(true);
    const digests = honestDigests(7, 16);
    for (const i of [0, 9, 15]) expect(rowDigestOf(a, b, 16, i)).toBe(digests[i]);
    expect(rowDigests(new Float64Array([1, 2, 3, 4]), 2)).toEqual(new Float64Array([5, 25]));
  });

  it("draws distinct rows and a lane in range", () => {
    let k = 0;
    const sequence = [3, 3, 1, 0, 2, 7];
    const d = benchDraw((bound) => sequence[k++]! % bound, 10, 8);
    expect(d.rows).toHaveLength(MATMUL_ROWS_CHECKED);
    expect(new Set(d.rows).size).toBe(MATMUL_ROWS_CHECKED);
    expect(d.lane).toBeLessThan(10);
  });
});

describe("checkBenchmark", () => {
  it("accepts an honest submission and reports its throughput and agreement", () => {
    const verdict = checkBenchmark(task, honestSubmission(task, train), "wasm", 10_000, draw, train);
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.values["moons-1"]).toBeCloseTo(20_000 / 40);
    expect(verdict.values["moons-10"]).toBeCloseTo((20 * 3 * 1000) / 150);
    expect(verdict.values.matmul).toBeCloseTo((2 * 24 ** 3) / 0.1 / 1e9);
    expect(verdict.agreement.moons1).toBeLessThan(1e-5);
    expect(verdict.agreement.moons10Lane).toBe(2);
    expect(verdict.agreement.matmul).toBe(0);
    expect(verdict.agreement.cmnist).toBeLessThan(1e-4);
    expect(verdict.values.cmnist).toBeCloseTo(2000 / 60);
  });

  it("refuses an end state from another seed, and a forged lane of the batch the server draws", () => {
    const other = { ...honestSubmission(task, train), moons1: { elapsedMs: 40, weights: toBase64(honestEndState(task.seed + 1, task.steps)) } };
    expect(checkBenchmark(task, other, "wasm", 10_000, draw, train)).toMatchObject({ ok: false, reason: "replay_mismatch", message: expect.stringMatching(/1-lane end state/) });
    const lanes = [...honestSubmission(task, train).moons10.weights];
    lanes[2] = toBase64(honestEndState(laneSeed(task.seed, 2), task.steps - 5));
    const forged = { ...honestSubmission(task, train), moons10: { elapsedMs: 150, weights: lanes } };
    expect(checkBenchmark(task, forged, "wasm", 10_000, draw, train)).toMatchObject({ ok: false, reason: "replay_mismatch", message: expect.stringMatching(/Lane 2/) });
    // The same forgery in a lane the server did not draw passes: one lane in `lanes` is checked per submission.
    expect(checkBenchmark(task, forged, "wasm", 10_000, { ...draw, lane: 0 }, train).ok).toBe(true);
  });

  it("refuses a Colored-MNIST end state trained on another restart's data", () => {
    const honest = honestSubmission(task, train);
    const otherTrain = benchCmnistData(syntheticMnistPack(5), task.seed + 1, task.cmnistImagesPerEnv);
    const forged = { ...honest, cmnist: { elapsedMs: 60, weights: toBase64(honestCmnistEndState(task.seed, task.cmnistSteps, otherTrain)) } };
    expect(checkBenchmark(task, forged, "wasm", 10_000, draw, train)).toMatchObject({ ok: false, reason: "replay_mismatch", message: expect.stringMatching(/Colored-MNIST end state/) });
  });

  it("refuses the initial weights (no training at all) as an end state", () => {
    const protocol = benchProtocol();
    const initial = Float32Array.from(honestEndState(task.seed, 0));
    expect(moonsEndDeviation(protocol, task.seed, task.steps, initial)).toBeGreaterThan(END_STATE_TOLERANCE);
  });

  it("refuses row digests that are not the seed's product, such as a row sum shortcut", () => {
    const honest = honestSubmission(task, train);
    const digests = [...honest.matmul.rowDigests];
    digests[5] = digests[5]! + 1;
    const forged = { ...honest, matmul: { ...honest.matmul, rowDigests: digests } };
    expect(checkBenchmark(task, forged, "wasm", 10_000, draw, train)).toMatchObject({ ok: false, reason: "replay_mismatch", message: expect.stringMatching(/Row 5/) });
  });

  it("refuses impossible timings before replaying anything", () => {
    const honest = honestSubmission(task, train);
    const fast = { ...honest, moons1: { ...honest.moons1, elapsedMs: 1e-6 } };
    expect(checkBenchmark(task, fast, "wasm", 10_000, draw, train)).toMatchObject({ ok: false, reason: "claims_mismatch", message: expect.stringMatching(/more than any machine's wasm backend/) });
    const slow = { ...honest, moons10: { ...honest.moons10, elapsedMs: 5_000 } };
    expect(checkBenchmark(task, slow, "wasm", 1_000, draw, train)).toMatchObject({ ok: false, reason: "claims_mismatch", message: expect.stringMatching(/passed between/) });
  });

  it("refuses bodies of the wrong shape", () => {
    const honest = honestSubmission(task, train);
    expect(checkBenchmark(task, { ...honest, moons1: { ...honest.moons1, weights: "AAAA" } }, "wasm", 10_000, draw, train)).toMatchObject({ reason: "evidence_shape" });
    expect(checkBenchmark(task, { ...honest, moons10: { ...honest.moons10, weights: honest.moons10.weights.slice(1) } }, "wasm", 10_000, draw, train)).toMatchObject({ reason: "evidence_shape" });
    expect(checkBenchmark(task, { ...honest, matmul: { ...honest.matmul, rowDigests: [1] } }, "wasm", 10_000, draw, train)).toMatchObject({ reason: "evidence_shape" });
  });
});
