// Why: Worker tests need Colored-MNIST submissions that pass the server's own chain check
// (shared/metrics/cmnist-subsample.ts) without minutes of real training per seed: a chain in which Adam trains
// only the last layer (a linear probe on the initial network's features, every step of the protocol's schedule,
// in float64), with the loss history its own objective at every recorded step. It is honest about itself — every
// number is what those weights score — but it is NOT the protocol's recipe, so a peer replaying any segment
// refutes it; tests that need a peer to agree answer with the run's own checkpoints.
import { coloredMnistInputs, coloredMnistPlan, type CmnistEnvPlan } from "../data/colored-mnist";
import type { MnistPack } from "../data/mnist-pack";
import { objectiveAt, type StepObjective } from "../protocols/cmnist-step-objective";
import { cmnistHistorySteps } from "../metrics/cmnist-verify";
import { checkpointLayout } from "../metrics/trajectory";
import { cmnistInitialWeights, cmnistMlpSpec, modelInputs } from "../nn/cmnist-model";
import { findParam, mlpParams } from "../nn/mlp";
import type { CmnistProtocol } from "../protocols/colored-mnist";

export interface CmnistTestChain {
  readonly finalWeights: Float32Array;
  /** The layout of shared/metrics/trajectory.ts: per checkpoint, the weights then Adam's first and second moments. */
  readonly checkpoints: Float32Array;
  readonly lossHistory: number[];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const bce = (z: number, y: number): number => Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z)));

/** ReLU(W2·ReLU(W1·x + b1) + b2) for `count` inputs (mlpParams' layout: W [in, out] row-major, then b). */
function hiddenFeatures(sizes: readonly number[], weights: Float64Array, inputs: Float32Array, count: number): Float64Array {
  const [width, h1, h2] = sizes as [number, number, number];
  const out = new Float64Array(count * h2);
  const first = new Float64Array(h1);
  const [w1, b1, w2, b2] = [0, width * h1, width * h1 + h1, width * h1 + h1 + h1 * h2];
  for (let k = 0; k < count; k++) {
    for (let j = 0; j < h1; j++) first[j] = weights[b1 + j]!;
    for (let i = 0; i < width; i++) {
      const x = inputs[k * width + i]!;
      if (x === 0) continue;
      for (let j = 0; j < h1; j++) first[j] = first[j]! + x * weights[w1 + i * h1 + j]!;
    }
    const row = out.subarray(k * h2, (k + 1) * h2);
    for (let j = 0; j < h2; j++) row[j] = weights[b2 + j]!;
    for (let i = 0; i < h1; i++) {
      const a = Math.max(first[i]!, 0);
      if (a === 0) continue;
      for (let j = 0; j < h2; j++) row[j] = row[j]! + a * weights[w2 + i * h2 + j]!;
    }
    for (let j = 0; j < h2; j++) row[j] = Math.max(row[j]!, 0);
  }
  return out;
}

/** Restart `seed`'s chain for `protocol` (its training environments must fit memory: the reduced protocols). */
export function cmnistTestChain(protocol: CmnistProtocol, seed: number, pack: MnistPack): CmnistTestChain {
  const spec = cmnistMlpSpec(protocol.model);
  const params = mlpParams(spec);
  const layout = checkpointLayout(protocol)!;
  const optimizer = protocol.training.optimizer;
  if (optimizer.kind !== "adam") throw new Error("Colored MNIST trains with Adam");
  const hidden = protocol.model.hidden;
  const w3 = findParam(params, "weight", 3)!.offset;
  const b3 = findParam(params, "bias", 3)!.offset;
  const initial = cmnistInitialWeights(spec, seed);
  const weights = Float64Array.from(initial);
  // The features the last layer reads: ReLU of the second layer, fixed since only the last layer trains.
  const envs = (coloredMnistPlan(pack.labels, seed).slice(0, 2) as CmnistEnvPlan[]).map((plan) => {
    const count = Math.min(protocol.data.examplesPerEnv ?? plan.labels.length, plan.labels.length);
    const positions = Uint32Array.from({ length: count }, (_, k) => k);
    const inputs = modelInputs(protocol.model, coloredMnistInputs(pack, plan, positions));
    return { features: hiddenFeatures(spec.layerSizes, weights, inputs, count), labels: Array.from(positions, (p) => (plan.labels[p]! > 0.5 ? 1 : 0)), count };
  });
  const total = envs.reduce((n, e) => n + e.count, 0);
  let sumOfSquaresFront = 0;
  for (let i = 0; i < w3; i++) sumOfSquaresFront += weights[i]! * weights[i]!;

  // The objective and its gradient in the last layer's hidden + 1 parameters.
  const evaluate = (objective: StepObjective): { value: number; grad: Float64Array } => {
    const grad = new Float64Array(hidden + 1);
    const R: number[] = [];
    const G: number[] = [];
    const M: number[] = [];
    const dR: Float64Array[] = [];
    const dG: Float64Array[] = [];
    const dM: Float64Array[] = [];
    for (const env of envs) {
      let [r, g, m] = [0, 0, 0];
      const [gr, gg, gm] = [new Float64Array(hidden + 1), new Float64Array(hidden + 1), new Float64Array(hidden + 1)];
      for (let k = 0; k < env.count; k++) {
        let z = weights[b3]!;
        for (let j = 0; j < hidden; j++) z += env.features[k * hidden + j]! * weights[w3 + j]!;
        const y = env.labels[k]!;
        const s = sigmoid(z);
        r += bce(z, y);
        g += (s - y) * z;
        m += z * z;
        // d/dz of the three per-example terms: σ − y, σ(1 − σ)z + σ − y, 2z.
        const [er, eg, em] = [s - y, s * (1 - s) * z + s - y, 2 * z];
        for (let j = 0; j <= hidden; j++) {
          const x = j === hidden ? 1 : env.features[k * hidden + j]!;
          gr[j] = gr[j]! + er * x;
          gg[j] = gg[j]! + eg * x;
          gm[j] = gm[j]! + em * x;
        }
      }
      const n = env.count;
      R.push(r / n), G.push(g / n), M.push(m / n);
      dR.push(gr.map((v) => v / n)), dG.push(gg.map((v) => v / n)), dM.push(gm.map((v) => v / n));
    }
    let lastSquares = 0;
    for (let j = 0; j <= hidden; j++) lastSquares += weights[w3 + j]! ** 2;
    let value: number;
    if (objective.kind === "pooled") {
      value = envs.reduce((acc, env, e) => acc + (env.count / total) * (objective.bce * R[e]! + objective.sd * M[e]!), 0);
      envs.forEach((env, e) => {
        for (let j = 0; j <= hidden; j++) grad[j] = grad[j]! + (env.count / total) * (objective.bce * dR[e]![j]! + objective.sd * dM[e]![j]!);
      });
    } else {
      const irm = objective.kind === "irm";
      value = objective.risk * (R[0]! + R[1]!) + objective.penalty * (irm ? G[0]! ** 2 + G[1]! ** 2 : (R[0]! - R[1]!) ** 2) + objective.l2 * (sumOfSquaresFront + lastSquares);
      for (let j = 0; j <= hidden; j++) {
        const penalty = irm ? 2 * G[0]! * dG[0]![j]! + 2 * G[1]! * dG[1]![j]! : 2 * (R[0]! - R[1]!) * (dR[0]![j]! - dR[1]![j]!);
        grad[j] = objective.risk * (dR[0]![j]! + dR[1]![j]!) + objective.penalty * penalty + 2 * objective.l2 * weights[w3 + j]!;
      }
    }
    return { value, grad };
  };

  const { steps } = protocol.training;
  const recorded = new Set(cmnistHistorySteps(steps, protocol.evidence.historyEvery));
  const lossHistory: number[] = [];
  const checkpoints = new Float32Array(layout.steps.length * layout.size);
  const n = layout.weights;
  const m = new Float64Array(hidden + 1);
  const v = new Float64Array(hidden + 1);
  const index = (j: number) => (j === hidden ? b3 : w3 + j);
  for (let step = 0; step < steps; step++) {
    const k = layout.steps.indexOf(step);
    if (k >= 0) {
      const base = k * layout.size;
      checkpoints.set(Float32Array.from(weights), base);
      for (let j = 0; j <= hidden; j++) {
        checkpoints[base + n + index(j)] = m[j]!;
        checkpoints[base + 2 * n + index(j)] = v[j]!;
      }
    }
    const { value, grad } = evaluate(objectiveAt(protocol.training, step));
    if (recorded.has(step)) lossHistory.push(value);
    const t = step + 1;
    for (let j = 0; j <= hidden; j++) {
      m[j] = optimizer.beta1 * m[j]! + (1 - optimizer.beta1) * grad[j]!;
      v[j] = optimizer.beta2 * v[j]! + (1 - optimizer.beta2) * grad[j]! ** 2;
      const update = (optimizer.lr * (m[j]! / (1 - optimizer.beta1 ** t))) / (Math.sqrt(v[j]! / (1 - optimizer.beta2 ** t)) + optimizer.eps);
      weights[index(j)] = Math.fround(weights[index(j)]! - update);
    }
  }
  return { finalWeights: Float32Array.from(weights), checkpoints, lossHistory };
}
