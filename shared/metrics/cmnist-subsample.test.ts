// Why: the Colored-MNIST chain check must pass real honest runs (ERM and IRM, trained here with the app's trainer
// on a synthetic MNIST-shaped pack) and refuse never-trained, copied, spliced and invented chains before any peer.
import { describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import { cmnistRestartData } from "../data/colored-mnist";
import { cmnistInitialWeights, cmnistMlpSpec } from "../nn/cmnist-model";
import { trainCmnist } from "../nn/cmnist-train";
import { cmnistErm, cmnistIrm, cmnistSd, type CmnistProtocol } from "../protocols/colored-mnist";
import { RandomState } from "../rng/random-state";
import { seededDraw, smallCmnistProtocol, syntheticMnistPack } from "../testing/synthetic-mnist";
import { adamMomentBound, adamReach, adamStepBound, checkCmnistChain, hoeffdingDeviation, type CmnistChainRequest } from "./cmnist-subsample";
import { checkpointLayout } from "./trajectory";

const pack = syntheticMnistPack(0x2545f491);
/** A narrow network on half the reduced schedule (so it trains in seconds), `examplesPerEnv` images per env. */
const small = (base: CmnistProtocol, examplesPerEnv: number): CmnistProtocol => smallCmnistProtocol(base, { hidden: 16, examplesPerEnv, stepFraction: 0.05 });
const seeded = seededDraw;

interface Run {
  protocol: CmnistProtocol;
  seed: number;
  checkpoints: Float32Array;
  finalWeights: Float32Array;
  lossHistory: number[];
}

/** wasm, started once (the runs below train one after another on it). */
let backend: Promise<void> | null = null;
let queue: Promise<unknown> = Promise.resolve();

function train(protocol: CmnistProtocol, seed: number): Promise<Run> {
  const run = queue.then(() => trainOne(protocol, seed));
  queue = run;
  return run;
}

async function trainOne(protocol: CmnistProtocol, seed: number): Promise<Run> {
  await (backend ??= useNodeBackend("wasm"));
  const result = await trainCmnist({
    protocol,
    envs: cmnistRestartData(pack, seed, protocol.data.examplesPerEnv).train,
    initialWeights: cmnistInitialWeights(cmnistMlpSpec(protocol.model), seed),
    progressIntervalMs: 60_000,
  });
  return { protocol, seed, checkpoints: result.checkpoints!, finalWeights: result.weights, lossHistory: result.lossHistory };
}

const requestOf = (run: Run, change: Partial<CmnistChainRequest> = {}, drawSeed = 0): CmnistChainRequest => ({
  protocol: run.protocol,
  seed: run.seed,
  layout: checkpointLayout(run.protocol)!,
  checkpoints: run.checkpoints,
  finalWeights: run.finalWeights,
  lossHistory: run.lossHistory,
  pack,
  draw: seeded(drawSeed),
  ...change,
});
const outcome = (request: CmnistChainRequest): string => {
  const result = checkCmnistChain(request);
  return "status" in result ? (result.status === "rejected" ? `rejected:${result.reason}` : "accepted?") : "passed";
};

const erm = small(cmnistErm, 1000);
const irm = small(cmnistIrm, 1000);
/** More images per env than the check evaluates: a subsample (200 per env here). */
const ermWide = small(cmnistErm, 4000);
const runs = { erm: train(erm, 0), irm: train(irm, 1), ermOther: train(erm, 2) };

describe("the Colored-MNIST chain check's bounds", () => {
  it("Adam's step bound holds for adversarial and random gradient sequences, and is tight at step 1", () => {
    const spec = cmnistErm.training.optimizer as Extract<CmnistProtocol["training"]["optimizer"], { kind: "adam" }>;
    expect(adamStepBound(spec, 1)).toBeCloseTo(1, 12);
    const rs = new RandomState(7);
    for (const t of [1, 2, 5, 49, 300]) {
      // The Cauchy–Schwarz extremal sequence g_i ∝ (β1/β2)^(t−i), and random heavy-tailed ones.
      const sequences = [Array.from({ length: t }, (_, i) => (spec.beta1 / spec.beta2) ** (t - 1 - i))];
      for (let k = 0; k < 20; k++) sequences.push(Array.from({ length: t }, () => (rs.randomDouble() - 0.3) * 10 ** (4 * rs.randomDouble())));
      for (const g of sequences) {
        let [m, v] = [0, 0];
        for (const gi of g) [m, v] = [spec.beta1 * m + (1 - spec.beta1) * gi, spec.beta2 * v + (1 - spec.beta2) * gi * gi];
        const update = m / (1 - spec.beta1 ** t) / (Math.sqrt(v / (1 - spec.beta2 ** t)) + spec.eps);
        expect(Math.abs(update)).toBeLessThanOrEqual(adamStepBound(spec, t) * (1 + 1e-9));
        expect(Math.abs(m)).toBeLessThanOrEqual(adamMomentBound(spec, t) * Math.sqrt(v) * (1 + 1e-9));
      }
      // The extremal sequence attains the moment bound.
      const g = sequences[0]!;
      let [m, v] = [0, 0];
      for (const gi of g) [m, v] = [spec.beta1 * m + (1 - spec.beta1) * gi, spec.beta2 * v + (1 - spec.beta2) * gi * gi];
      expect(m / Math.sqrt(v)).toBeCloseTo(adamMomentBound(spec, t), 9);
    }
    expect(adamReach(spec, 0, 49)).toBeLessThan(49 * 8 * spec.lr);
  });

  it("Hoeffding's deviation shrinks as 1/√m", () => {
    expect(hoeffdingDeviation(400, 2) / hoeffdingDeviation(1600, 2)).toBeCloseTo(2, 12);
  });
});

describe("checkCmnistChain: honest runs pass", () => {
  it("passes honest ERM and IRM runs, with each point's objective inside the history's bracket", { timeout: 600_000 }, async () => {
    for (const run of [await runs.erm, await runs.irm, await runs.ermOther]) {
      const result = checkCmnistChain(requestOf(run));
      expect("points" in result, "status" in result ? result.message : "").toBe(true);
      if (!("points" in result)) continue;
      expect(result.points).toHaveLength(4);
      expect(result.points[0]!.objective).toBeCloseTo(run.lossHistory[0]!, 5);
      expect(result.points.at(-1)!.risk).toBeLessThan(result.points[0]!.risk - 0.01);
    }
  });

  it("passes an honest run whose environments are subsampled, on 20 different draws", { timeout: 600_000 }, async () => {
    const run = await train(ermWide, 3);
    for (let drawSeed = 0; drawSeed < 20; drawSeed++) expect(outcome(requestOf(run, { subsample: 200 }, drawSeed))).toBe("passed");
  });
});

describe("checkCmnistChain: refuses never-trained, copied and invented chains", () => {
  it("refuses the initial weights with zero or copied checkpoints and an invented decreasing history", async () => {
    const run = await runs.erm;
    const layout = checkpointLayout(erm)!;
    const init = cmnistInitialWeights(cmnistMlpSpec(erm.model), run.seed);
    const invented = run.lossHistory.map((_, k) => 0.7 - k / 200);
    expect(outcome(requestOf(run, { finalWeights: init, checkpoints: new Float32Array(run.checkpoints.length), lossHistory: invented }))).toMatch(/^rejected:trajectory_mismatch/);
    const copies = new Float32Array(run.checkpoints.length);
    for (let k = 0; k < layout.steps.length; k++) copies.set(init, k * layout.size);
    expect(outcome(requestOf(run, { finalWeights: init, checkpoints: copies, lossHistory: invented }))).toBe("rejected:trajectory_mismatch");
  });

  it("refuses an untrained chain that moves a little, whatever the history says (flat or decreasing)", async () => {
    const run = await runs.erm;
    const layout = checkpointLayout(erm)!;
    const init = cmnistInitialWeights(cmnistMlpSpec(erm.model), run.seed);
    const rs = new RandomState(11);
    const jiggle = (w: Float32Array) => Float32Array.from(w, (x) => x + (rs.randomDouble() - 0.5) * 1e-5);
    const checkpoints = run.checkpoints.slice();
    let previous = init;
    for (let k = 0; k < layout.steps.length; k++) {
      previous = jiggle(previous);
      checkpoints.set(previous, k * layout.size);
    }
    const finalWeights = jiggle(previous);
    const flat = run.lossHistory.map(() => run.lossHistory[0]!);
    const invented = run.lossHistory.map((_, k) => run.lossHistory[0]! - k / 200);
    expect(outcome(requestOf(run, { checkpoints, finalWeights, lossHistory: flat }))).toBe("rejected:evidence_mismatch");
    expect(outcome(requestOf(run, { checkpoints, finalWeights, lossHistory: invented }))).toBe("rejected:evidence_mismatch");
    expect(outcome(requestOf(run, { checkpoints, finalWeights, lossHistory: invented, subsample: 200 }))).toBe("rejected:evidence_mismatch");
  });

  it("refuses another seed's chain, a chain spliced at any link, and checkpoints out of order", async () => {
    const [run, other] = [await runs.erm, await runs.ermOther];
    const layout = checkpointLayout(erm)!;
    expect(outcome(requestOf({ ...other, seed: run.seed }))).toBe("rejected:trajectory_mismatch");
    for (let k = 0; k < layout.steps.length; k++) {
      const spliced = run.checkpoints.slice();
      spliced.set(other.checkpoints.subarray(k * layout.size, (k + 1) * layout.size), k * layout.size);
      expect(outcome(requestOf(run, { checkpoints: spliced }))).toBe("rejected:trajectory_mismatch");
    }
    expect(outcome(requestOf(run, { finalWeights: other.finalWeights }))).toBe("rejected:trajectory_mismatch");
    const swapped = run.checkpoints.slice();
    swapped.set(run.checkpoints.subarray(layout.size, 2 * layout.size), 0);
    swapped.set(run.checkpoints.subarray(0, layout.size), layout.size);
    expect(outcome(requestOf(run, { checkpoints: swapped }))).toMatch(/^rejected:/);
  });

  it("refuses a history that does not belong to the checkpoints, and impossible Adam moments", async () => {
    const run = await runs.irm;
    const layout = checkpointLayout(irm)!;
    expect(outcome(requestOf(run, { lossHistory: run.lossHistory.map((l, k) => (k === 0 ? l * 0.9 : l)) }))).toBe("rejected:evidence_mismatch");
    expect(outcome(requestOf(run, { lossHistory: run.lossHistory.map((l) => l * 0.8) }))).toBe("rejected:evidence_mismatch");
    const moments = run.checkpoints.slice();
    const n = layout.weights;
    moments.fill(0, n, layout.size); // all moments zero
    expect(outcome(requestOf(run, { checkpoints: moments }))).toBe("rejected:trajectory_mismatch");
    const lopsided = run.checkpoints.slice();
    lopsided[n] = 1; // m ≫ √v for weight 0
    lopsided[2 * n] = 1e-12;
    expect(outcome(requestOf(run, { checkpoints: lopsided }))).toBe("rejected:trajectory_mismatch");
  });
});
