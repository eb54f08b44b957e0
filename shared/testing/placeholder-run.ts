// Test and benchmark support: a two-moons submission that passes every check the server makes itself but
// whose trajectory was never trained — the weights after the replayed first steps, checkpoints that are
// placeholders (the initial weights, a fresh optimiser) tied to a loss history that agrees with them. For
// protocols whose segments peers replay it is accepted, and an honest peer's replay then disagrees with it.
import type { RunMeta } from "../api";
import { replayMoons } from "../metrics/replay";
import { historySteps } from "../protocols/evidence";
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
  const weights = Float32Array.from(replay.weights);
  const firstLosses = Array.from(replay.losses);
  const chain = buildChain({ protocol, seed, data, initialWeights, real: [], fallbackFinal: weights });
  const metrics = twoMoonsFamily.evaluate(protocol, data, weights).metrics;
  const steps = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  const lossHistory = steps.map((step, k) =>
    step < firstLosses.length ? firstLosses[step]! : k === steps.length - 1 ? metrics.finalLoss! : (chain.points.find((p) => p.step === step)?.loss ?? firstLosses.at(-1)!),
  );
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
