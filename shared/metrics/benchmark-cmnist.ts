// The Colored-MNIST item of the benchmark suite, shared by the browser that times it and the Worker that checks
// it: the ERM protocol's network and its full-batch Adam step on a reduced set (the first images of each training
// environment of the restart the seed names), and that step replayed in float64 (the objective of cmnist.py's
// ERM: the mean over the environments of each one's mean binary cross-entropy).
import { BENCH_SUITE } from "../bench-api";
import { cmnistRestartData, type CmnistSet } from "../data/colored-mnist";
import type { MnistPack } from "../data/mnist-pack";
import { cmnistInitialWeights, cmnistMlpSpec, modelInputs } from "../nn/cmnist-model";
import { mlpParamCount } from "../nn/mlp";
import type { CmnistProtocol } from "../protocols/colored-mnist";
import { findProtocol } from "../protocols/registry";
import { backwardTrain, forwardTrain } from "./mlp-math";
import { optimiserStep, trainableIndices } from "./replay";
import { endDeviation } from "./trajectory";

export function benchCmnistProtocol(): CmnistProtocol {
  const protocol = findProtocol(BENCH_SUITE.cmnistProtocolId);
  if (!protocol || protocol.family !== "colored-mnist") throw new Error(`${BENCH_SUITE.cmnistProtocolId} is not a Colored-MNIST protocol`);
  return protocol;
}

/** The restart a workunit's seed names (the shuffle's seed is 1234 + restart, which must stay a 32-bit number). */
export const benchCmnistRestart = (seed: number): number => seed % 1_000_000;

/** The item's data: the first `imagesPerEnv` images of each training environment of the restart. */
export const benchCmnistData = (pack: MnistPack, seed: number, imagesPerEnv: number): readonly CmnistSet[] => cmnistRestartData(pack, benchCmnistRestart(seed), imagesPerEnv).train;

export const benchCmnistInitialWeights = (protocol: CmnistProtocol, seed: number): Float32Array => cmnistInitialWeights(cmnistMlpSpec(protocol.model), benchCmnistRestart(seed));

/** Floating-point work of one full-batch step over `images` images (forward and backward: ~6 per weight and image). */
export const cmnistStepFlop = (protocol: CmnistProtocol, images: number): number => 6 * mlpParamCount(cmnistMlpSpec(protocol.model)) * images;

/** `steps` full-batch ERM Adam steps in float64 from `initial`; the weights after them. */
export function replayCmnistErm(protocol: CmnistProtocol, train: readonly CmnistSet[], initial: Float32Array, steps: number): Float64Array {
  if (protocol.training.method !== "erm") throw new RangeError(`the benchmark replays ERM only, not ${protocol.training.method}`);
  const spec = cmnistMlpSpec(protocol.model);
  const theta = Float64Array.from(initial);
  const optimizer = optimiserStep(protocol.training.optimizer, theta.length, trainableIndices(protocol), null);
  const inputs = train.map((env) => Float64Array.from(modelInputs(protocol.model, env.images)));
  for (let t = 0; t < steps; t++) {
    const grad = new Float64Array(theta.length);
    train.forEach((env, e) => {
      const trace = forwardTrain(spec, theta, inputs[e]!, null);
      const scale = 1 / (env.labels.length * train.length);
      const outputGradient = trace.outputs.map((z, i) => (1 / (1 + Math.exp(-z)) - env.labels[i]!) * scale);
      const g = backwardTrain(spec, theta, trace, outputGradient, null);
      for (let k = 0; k < g.length; k++) grad[k]! += g[k]!;
    });
    optimizer.update(theta, grad, t);
  }
  return theta;
}

/** How far `weights` lie from the float64 replay (‖w − w₆₄‖ / ‖w₆₄ − w₀‖ over the trainable weights). */
export function cmnistEndDeviation(protocol: CmnistProtocol, train: readonly CmnistSet[], initial: Float32Array, steps: number, weights: Float32Array): number {
  const replayed = replayCmnistErm(protocol, train, initial, steps);
  return endDeviation(protocol, { step: 0, weights: initial, optimizerState: null }, { weights: replayed, optimizerState: new Float64Array(0) }, { weights, optimizerState: null }, steps).weights;
}
