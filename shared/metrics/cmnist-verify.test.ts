// Why: the Colored-MNIST verifier must accept honest runs on any random subset and reject tampered ones; checked on a synthetic pack.
import { describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import { coloredMnistEnvironments, type CmnistEnv } from "../data/colored-mnist";
import { cmnistInitialWeights, cmnistMlpSpec } from "../nn/cmnist-model";
import { trainCmnist } from "../nn/cmnist-train";
import { findParam, mlpParams } from "../nn/mlp";
import { cmnistErm, cmnistOracle, type CmnistProtocol } from "../protocols/colored-mnist";
import { seededDraw, smallCmnistProtocol, syntheticMnistPack } from "../testing/synthetic-mnist";
import { evaluateCmnistEnv } from "./cmnist-forward";
import { cmnistAccuracyBound, cmnistHistorySteps, drawSubset, verifyCmnistRun, type CmnistVerifyRequest } from "./cmnist-verify";

const TEST_IMAGES = 2000;
const SUBSET = 800;

const pack = syntheticMnistPack(0x9e3779b9, TEST_IMAGES);
const small = (hidden: number, examplesPerEnv: number, base: CmnistProtocol = cmnistErm): CmnistProtocol => smallCmnistProtocol(base, { hidden, examplesPerEnv });
const protocol = small(16, 1000);

/** Restart r's training set (the protocol's first k of each env, pooled) and test env, built whole. */
function fullSets(p: CmnistProtocol, restart: number): { train: CmnistEnv; test: CmnistEnv } {
  const [a, b, test] = coloredMnistEnvironments(pack, restart) as [CmnistEnv, CmnistEnv, CmnistEnv];
  const k = p.data.examplesPerEnv!;
  const first = (env: CmnistEnv) => ({ images: env.images.subarray(0, k * 392), labels: env.labels.subarray(0, k) });
  const train = { ...a, images: new Float32Array([...first(a).images, ...first(b).images]), labels: new Float32Array([...first(a).labels, ...first(b).labels]) };
  return { train, test };
}

/** What an honest client claims: both accuracies over the full sets, computed independently of the verifier. */
function honestClaims(p: CmnistProtocol, restart: number, weights: Float32Array) {
  const sets = fullSets(p, restart);
  return {
    trainAccuracy: evaluateCmnistEnv(p.model, weights, sets.train).accuracy,
    testAccuracy: evaluateCmnistEnv(p.model, weights, sets.test).accuracy,
  };
}

/** A network that reads the colour: logit = Σ channel 1 − Σ channel 0 (train accuracy ≈ 85 %, test ≈ 10 %). */
function colourReader(p: CmnistProtocol): Float32Array {
  const spec = cmnistMlpSpec(p.model);
  const params = mlpParams(spec);
  const weights = new Float32Array(params.reduce((n, t) => n + t.size, 0));
  const [w1, w2, w3] = [1, 2, 3].map((layer) => findParam(params, "weight", layer)!);
  const h = p.model.hidden;
  for (let i = 0; i < 392; i++) weights[w1!.offset + i * h] = i < 196 ? -1 : 1;
  for (let i = 0; i < 392; i++) weights[w1!.offset + i * h + 1] = i < 196 ? 1 : -1;
  weights[w2!.offset + 0 * h + 0] = 1;
  weights[w2!.offset + 1 * h + 1] = 1;
  weights[w3!.offset + 0] = 1;
  weights[w3!.offset + 1] = -1;
  return weights;
}

const seeded = seededDraw;

const request = (p: CmnistProtocol, seed: number, weights: Float32Array, claims: Record<string, number | null>, drawSeed = 1): CmnistVerifyRequest => ({
  protocol: p,
  seed,
  weights,
  claims,
  pack,
  subset: { trainSize: SUBSET, testSize: SUBSET, draw: seeded(drawSeed) },
});

const reasonOf = (req: CmnistVerifyRequest) => {
  const verdict = verifyCmnistRun(req);
  return verdict.status === "rejected" ? verdict.reason : "accepted";
};

const reader = colourReader(protocol);
const readerClaims = honestClaims(protocol, 0, reader);
const init = cmnistInitialWeights(cmnistMlpSpec(protocol.model), 0);
const initClaims = honestClaims(protocol, 0, init);

describe("verifyCmnistRun: honest runs", () => {
  it("the colour reader scores as expected (so the bound is tried away from p = 0.5)", () => {
    expect(readerClaims.trainAccuracy).toBeGreaterThan(0.8);
    expect(readerClaims.testAccuracy).toBeLessThan(0.15);
  });

  it("accepts an honest run on 200 different random subsets (no false rejection)", () => {
    const gaps: number[] = [];
    for (let drawSeed = 0; drawSeed < 200; drawSeed++) {
      const weights = drawSeed % 4 === 3 ? init : reader;
      const claims = drawSeed % 4 === 3 ? initClaims : readerClaims;
      const verdict = verifyCmnistRun(request(protocol, 0, weights, claims, drawSeed));
      expect(verdict.status, verdict.message).toBe("accepted");
      expect(verdict.recomputed!.trainImagesChecked).toBe(SUBSET);
      gaps.push(Math.abs(verdict.recomputed!.testAccuracy! - claims.testAccuracy) / cmnistAccuracyBound(claims.testAccuracy, SUBSET, TEST_IMAGES));
    }
    // The subsets really differ: the measured accuracy moves from draw to draw, well inside the bound.
    expect(new Set(gaps).size).toBeGreaterThan(20);
    expect(Math.max(...gaps)).toBeLessThan(0.6);
  });

  it("checks a set smaller than the subset whole, to 1/N", () => {
    const verdict = verifyCmnistRun({ ...request(protocol, 0, reader, readerClaims), subset: { trainSize: 10_000, testSize: 10_000, draw: seeded(0) } });
    expect(verdict.status).toBe("accepted");
    expect(verdict.recomputed).toMatchObject({ ...readerClaims, trainImagesChecked: 2000, testImagesChecked: TEST_IMAGES });
    const off = { ...readerClaims, testAccuracy: readerClaims.testAccuracy + 2 / TEST_IMAGES };
    expect(reasonOf({ ...request(protocol, 0, reader, off), subset: { trainSize: 10_000, testSize: 10_000, draw: seeded(0) } })).toBe("claims_mismatch");
  });

  it("accepts the grayscale oracle (196 inputs) and refuses a coloured network's weights for it", () => {
    const oracle = small(16, 1000, cmnistOracle);
    const weights = cmnistInitialWeights(cmnistMlpSpec(oracle.model), 3);
    expect(weights.length).toBe(196 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
    expect(reasonOf(request(oracle, 0, weights, honestClaims(oracle, 0, weights)))).toBe("accepted");
    expect(reasonOf(request(oracle, 0, init, initClaims))).toBe("weights_shape");
  });
});

describe("verifyCmnistRun: rejections", () => {
  it("rejects inflated accuracy claims", () => {
    for (let drawSeed = 0; drawSeed < 20; drawSeed++) {
      expect(reasonOf(request(protocol, 0, reader, { ...readerClaims, testAccuracy: readerClaims.testAccuracy + 0.2 }, drawSeed))).toBe("claims_mismatch");
      expect(reasonOf(request(protocol, 0, reader, { ...readerClaims, trainAccuracy: 1 }, drawSeed))).toBe("claims_mismatch");
    }
    const verdict = verifyCmnistRun(request(protocol, 0, reader, { ...readerClaims, testAccuracy: 0.5 }));
    expect(verdict.status === "rejected" && verdict.message).toMatch(/Test accuracy: the submission claims 50\.00 %.*800 randomly chosen of the 2,000 images/);
  });

  it("rejects a wrong weight count and a non-finite weight", () => {
    expect(reasonOf(request(protocol, 0, reader.subarray(1), readerClaims))).toBe("weights_shape");
    expect(reasonOf(request(protocol, 0, new Float32Array([...reader, 0]), readerClaims))).toBe("weights_shape");
    for (const bad of [Number.NaN, Infinity]) {
      const weights = reader.slice();
      weights[123] = bad;
      expect(reasonOf(request(protocol, 0, weights, readerClaims))).toBe("weights_not_finite");
    }
  });

  it("rejects claims outside [0, 1] and claims that do not name exactly the two accuracies", () => {
    for (const claims of [
      { ...readerClaims, trainAccuracy: 1.2 },
      { ...readerClaims, testAccuracy: -0.01 },
      { trainAccuracy: readerClaims.trainAccuracy },
      { ...readerClaims, finalLoss: 0.3 },
      { ...readerClaims, testAccuracy: null },
    ]) {
      expect(reasonOf(request(protocol, 0, reader, claims))).toBe("claims_shape");
    }
  });

  it("rejects weights fitted to another restart's training set, and accepts them for their own restart", () => {
    // A memoriser of restart 1's 200 training images: hidden unit j fires only on image j, and votes its label.
    const p = small(200, 100);
    const { train } = fullSets(p, 1);
    const params = mlpParams(cmnistMlpSpec(p.model));
    const weights = new Float32Array(params.reduce((n, t) => n + t.size, 0));
    const [w1, b1, w2, w3, b3] = [["weight", 1], ["bias", 1], ["weight", 2], ["weight", 3], ["bias", 3]].map(([role, layer]) => findParam(params, role as "weight", layer as number)!);
    for (let j = 0; j < 200; j++) {
      const x = train.images.subarray(j * 392, (j + 1) * 392);
      let norm = 0;
      for (let i = 0; i < 392; i++) {
        weights[w1!.offset + i * 200 + j] = x[i]!;
        norm += x[i]! * x[i]!;
      }
      weights[b1!.offset + j] = -norm / 2;
      weights[w2!.offset + j * 200 + j] = 1;
      weights[w3!.offset + j] = train.labels[j]! ? 1 : -1;
    }
    weights[b3!.offset] = -1e-3;
    const claims = honestClaims(p, 1, weights);
    expect(claims.trainAccuracy).toBeGreaterThan(0.95);
    const onRestart0 = honestClaims(p, 0, weights).trainAccuracy;
    expect(Math.abs(onRestart0 - claims.trainAccuracy)).toBeGreaterThan(0.3);
    for (let drawSeed = 0; drawSeed < 10; drawSeed++) {
      const sampled = (seed: number) => ({ ...request(p, seed, weights, claims, drawSeed), subset: { trainSize: 150, testSize: 150, draw: seeded(drawSeed) } });
      expect(reasonOf(sampled(0))).toBe("claims_mismatch");
      expect(reasonOf(sampled(1))).toBe("accepted");
    }
  });

  it("rejects a malformed loss history and accepts the trainer's own", async () => {
    const expected = cmnistHistorySteps(protocol.training.steps, protocol.evidence.historyEvery).length;
    const good = Array.from({ length: expected }, (_, k) => 0.7 - k / 1000);
    const withHistory = (lossHistory: number[]) => ({ ...request(protocol, 0, reader, readerClaims), lossHistory });
    expect(reasonOf(withHistory(good))).toBe("accepted");
    for (const bad of [good.slice(1), [...good, 0.1], [], good.map((v, k) => (k === 3 ? Number.NaN : v)), good.map((v, k) => (k === 5 ? -0.1 : v)), good.map((v, k) => (k === 0 ? Infinity : v))]) {
      expect(reasonOf(withHistory(bad))).toBe("evidence_shape");
    }

    // The length rule is the trainer's: 7 steps recorded every 3 → steps 0, 3, 6; 8 steps → 0, 3, 6, 7.
    await useNodeBackend("cpu");
    const { train } = fullSets(small(4, 10), 0);
    const envs = [0, 1].map((e) => ({ images: train.images.subarray(e * 10 * 392, (e + 1) * 10 * 392), labels: train.labels.subarray(e * 10, (e + 1) * 10) }));
    for (const steps of [7, 8]) {
      const tiny: CmnistProtocol = { ...small(4, 10), training: { ...cmnistErm.training, steps }, evidence: { historyEvery: 3 } };
      const result = await trainCmnist({ protocol: tiny, envs, initialWeights: cmnistInitialWeights(cmnistMlpSpec(tiny.model), 0) });
      expect(result.historySteps).toEqual(cmnistHistorySteps(steps, 3));
      const tinyClaims = honestClaims(tiny, 0, result.weights);
      expect(reasonOf({ ...request(tiny, 0, result.weights, tinyClaims), lossHistory: result.lossHistory })).toBe("accepted");
    }
  });
});

describe("drawSubset", () => {
  it("draws distinct sorted positions, uniformly, and refuses a draw out of range", () => {
    const counts = new Array<number>(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) {
      const subset = drawSubset(10, 3, seeded(seed));
      expect(new Set(subset).size).toBe(3);
      expect([...subset]).toEqual([...subset].sort((a, b) => a - b));
      for (const q of subset) counts[q]!++;
    }
    for (const c of counts) expect(Math.abs(c - 600)).toBeLessThan(90); // 2,000 × 3/10 each, sd ≈ 20
    expect([...drawSubset(4, 9, seeded(0))]).toEqual([0, 1, 2, 3]);
    expect(() => drawSubset(10, 3, () => 10)).toThrow(RangeError);
    expect(() => drawSubset(10, 3, () => 0.5)).toThrow(RangeError);
  });
});
