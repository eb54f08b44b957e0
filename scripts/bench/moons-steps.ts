// The two-moons training benchmarks' one implementation (bench sections node, batch and compare): the fig1 recipe's
// 2-500-1 full-batch step through the project's trainer (shared/nn/train.ts), timed by the wall clock around the
// trainer's calls (net set-up and evidence read-backs included), and the Fig. 1 workload as `reproduce -- fig1` trains it.
import { trainBatch, trainMoons, type Lane } from "../../shared/nn/train";
import { moonsProtocol } from "../../shared/protocols/registry";
import type { MoonsProtocol } from "../../shared/protocols/types";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import { selectProtocols } from "../lib/cli";

/** The protocol whose step the step benchmarks time: Fig. 1, Δ = +0.1 (SGD lr 0.01 momentum 0.9, 300 points). */
export const stepProtocol = moonsProtocol("fig1-margin-pos");

/** One lane per seed 0..count-1: the seed's data and initial weights, as the runners build them. */
export function seedLanes(count: number, protocol: MoonsProtocol = stepProtocol): Lane[] {
  return Array.from({ length: count }, (_, seed) => ({ protocol, seed, data: twoMoonsFamily.dataset(protocol, seed), initialWeights: twoMoonsFamily.initialWeights(protocol, seed) }));
}

/**
 * Run-steps per second of `steps` steps of every lane (steps/s for one lane): `batched` trains the lanes as one
 * computation (trainBatch), `sequential` one after another (trainMoons each).
 */
export async function runStepsPerSecond(lanes: readonly Lane[], steps: number, mode: "batched" | "sequential"): Promise<number> {
  const start = performance.now();
  if (mode === "batched") await trainBatch({ lanes, steps });
  else for (const lane of lanes) await trainMoons({ ...lane, steps });
  return (lanes.length * steps * 1000) / (performance.now() - start);
}

/** Kernels compiled and memory allocated before anything is timed. */
export async function warmUp(lanes: readonly Lane[], steps = 20): Promise<void> {
  await trainBatch({ lanes, steps });
}

/** The runs of `npm run reproduce -- fig1 --seeds …` (without --batch): both Fig. 1 protocols, each seed. */
export function fig1Runs(seeds: readonly number[]): Lane[] {
  return selectProtocols("fig1").flatMap((protocol) =>
    seeds.map((seed) => {
      if (protocol.family !== "two-moons") throw new Error(`fig1 selects ${protocol.id}, not a two-moons protocol`);
      return { protocol, seed, data: twoMoonsFamily.dataset(protocol, seed), initialWeights: twoMoonsFamily.initialWeights(protocol, seed) };
    }),
  );
}

/** Seconds of training every run one after another, each for its protocol's full step count (the reproduction's trainMoons calls). */
export async function trainingSeconds(runs: readonly Lane[]): Promise<number> {
  let ms = 0;
  for (const run of runs) {
    const start = performance.now();
    await trainMoons(run);
    ms += performance.now() - start;
  }
  return ms / 1000;
}
