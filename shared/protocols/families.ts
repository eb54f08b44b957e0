// Each experiment family's verifiable core: its dataset, parameter count, seeded initial weights, metric
// recomputation and replay. The Worker verifies any protocol through this table without knowing its family.
import { twoMoons, type MoonsData } from "../data/moons";
import { replayMoonsLosses } from "../metrics/replay";
import { evaluateMoons, TWO_MOONS_METRICS } from "../metrics/two-moons";
import { initialWeights } from "../nn/init";
import { mlpParamCount } from "../nn/mlp";
import type { MetricDefinition, Protocol } from "./types";

export interface FamilyEvaluation {
  readonly metrics: Readonly<Record<string, number | null>>;
  /** Output on the 100×100 figure grid, for the seed-averaged picture. */
  readonly grid: Float32Array;
}

export interface ExperimentFamily {
  readonly metrics: readonly MetricDefinition[];
  paramCount(protocol: Protocol): number;
  dataset(protocol: Protocol, seed: number): MoonsData;
  initialWeights(protocol: Protocol, seed: number): Float32Array;
  evaluate(protocol: Protocol, data: MoonsData, weights: Float32Array): FamilyEvaluation;
  /** Loss at each of the first `steps` steps, recomputed independently of the client's trainer. */
  replayLosses(protocol: Protocol, data: MoonsData, seed: number, steps: number): Float64Array;
}

const twoMoonsFamily: ExperimentFamily = {
  metrics: TWO_MOONS_METRICS,
  paramCount: (protocol) => mlpParamCount(protocol.model),
  dataset: (protocol, seed) => twoMoons(seed, protocol.data, protocol.data.nSamples, protocol.data.noise),
  initialWeights: (protocol, seed) => initialWeights(protocol.model, seed),
  evaluate: (protocol, data, weights) => evaluateMoons(protocol, data, weights),
  replayLosses: (protocol, data, seed, steps) => replayMoonsLosses(protocol, data, initialWeights(protocol.model, seed), steps),
};

export const FAMILIES: Readonly<Record<Protocol["family"], ExperimentFamily>> = {
  "two-moons": twoMoonsFamily,
};

export const familyOf = (protocol: Protocol): ExperimentFamily => FAMILIES[protocol.family];
