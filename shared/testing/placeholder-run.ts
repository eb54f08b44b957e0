// Test and benchmark support: a two-moons submission that passes every check the server makes itself but
// whose trajectory was never trained in full — a stand-in chain that trains only the first
// evidence.replaySteps steps of each segment (so it moves and its optimiser state is live), tied to a loss
// history that agrees with it at every checkpoint. For protocols whose segments peers replay it is accepted,
// and an honest peer's replay of any segment then disagrees with it.
import type { RunMeta } from "../api";
import { replayMoons } from "../metrics/replay";
import { historySteps, trajectorySegments } from "../protocols/evidence";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import type { MoonsProtocol } from "../protocols/types";
import { buildChain } from "./honest-chain";

export interface PlaceholderRun {
  readonly meta: Omit<RunMeta, "token">;
  readonly weights: Float32Array;
  readonly checkpoints: Float32Array;
  readonly initialWeights: Float32Array;
}

export function placeholderRun(protocol: MoonsProtocol, seed: number, environment: RunMeta["environment"]): PlaceholderRun {
  const data = twoMoonsFamily.dataset(protocol, seed);
  const initialWeights = twoMoonsFamily.initialWeights(protocol, seed);
  const replay = replayMoons(protocol, data, seed, initialWeights, protocol.evidence.replaySteps);
  const firstLosses = Array.from(replay.losses);
  const chain = buildChain({ protocol, seed, data, initialWeights, real: "all", fallbackFinal: initialWeights, standInSteps: protocol.evidence.replaySteps });
  const weights = chain.finalWeights;
  const metrics = twoMoonsFamily.evaluate(protocol, data, weights).metrics;
  const steps = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  const segments = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery ?? protocol.training.steps);
  const lossHistory = steps.map((step, k) => {
    if (step < firstLosses.length) return firstLosses[step]!;
    if (k === steps.length - 1) return metrics.finalLoss!;
    const checkpoint = chain.points.find((p) => p.step === step);
    if (checkpoint) return checkpoint.loss;
    const trained = chain.losses[step];
    if (trained !== undefined && !Number.isNaN(trained)) return trained;
    // Steps the stand-in did not train: the loss at its segment's start (only a peer's replay can tell).
    const from = segments.find(([a, b]) => a <= step && step < b)?.[0] ?? 0;
    return chain.points.find((p) => p.step === from)?.loss ?? firstLosses.at(-1)!;
  });
  const meta: Omit<RunMeta, "token"> = {
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed,
    claimed: { ...metrics },
    firstLosses,
    lossHistory,
    environment,
    timings: { trainMs: 1000, steps: protocol.training.steps },
  };
  return { meta, weights, checkpoints: chain.checkpoints, initialWeights };
}
