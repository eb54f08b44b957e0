// Test support: trajectory checkpoints for a two-moons run built with the server's own float64 replay, as a
// client's float32 checkpoints would be (values rounded to float32), with the run's true loss at every step.
// The server replays every segment of the protocols it replays itself, so their honest chains are complete
// (the whole run: seconds for Fig. 1, tens of seconds for 10,000 steps; callers memoise them). For protocols
// whose segments peers replay, a stand-in chain (`standInSteps` real steps per segment) passes the Worker's
// cheap checks; the tests' peers answer with the run's own segment ends. `real` makes only some segments real
// and leaves placeholders (the initial weights and a fresh optimiser) elsewhere: forged chains for the attack suite.
import type { MoonsData } from "../data/moons";
import { replaySegment, trainingLoss, type TrainingState } from "../metrics/replay";
import { checkpointLayout } from "../metrics/trajectory";
import { trajectorySegments } from "../protocols/evidence";
import type { MoonsProtocol } from "../protocols/types";

export interface ChainPlan {
  readonly protocol: MoonsProtocol;
  readonly seed: number;
  readonly data: MoonsData;
  readonly initialWeights: Float32Array;
  /** The segments (trajectorySegments indices) replayed for real; "all" for a complete honest run. */
  readonly real: readonly number[] | "all";
  /** The final weights when the last segment is not real (e.g. a cheaper stand-in trained elsewhere). */
  readonly fallbackFinal: Float32Array;
  /** Train only this many steps of each real segment (a stand-in chain, labelled with the segment's steps). */
  readonly standInSteps?: number;
  /** Real segments trained in full all the same (what the server's own replay of a disputed segment must find). */
  readonly wholeSegments?: readonly number[];
}

export interface Chain {
  /** Every checkpoint, concatenated (checkpointLayout). */
  readonly checkpoints: Float32Array;
  readonly finalWeights: Float32Array;
  /** Each checkpoint's step, its weights and its training loss (what the loss history must say at that step). */
  readonly points: ReadonlyArray<{ readonly step: number; readonly weights: Float32Array; readonly loss: number }>;
  /** The replay's training loss before each step of every real segment (NaN elsewhere): the true loss history. */
  readonly losses: Float64Array;
}

export function buildChain(plan: ChainPlan): Chain {
  const { protocol, seed, data } = plan;
  const layout = checkpointLayout(protocol);
  if (!layout) throw new Error(`${protocol.id} takes no trajectory checkpoints`);
  const segments = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery!);
  const real = plan.real === "all" ? new Set(segments.keys()) : new Set(plan.real);
  const checkpoints = new Float32Array(layout.steps.length * layout.size);
  const losses = new Float64Array(protocol.training.steps).fill(Number.NaN);
  let state: TrainingState = { step: 0, weights: plan.initialWeights, optimizerState: null };
  let finalWeights = plan.fallbackFinal;
  segments.forEach(([from, to], k) => {
    const isLast = k === segments.length - 1;
    // A placeholder checkpoint (never the end of a replayed segment): the initial weights and a fresh optimiser.
    let weights: ArrayLike<number> = plan.initialWeights;
    let optimizerState: ArrayLike<number> | null = null;
    if (real.has(k)) {
      const steps = plan.standInSteps === undefined || plan.wholeSegments?.includes(k) ? to - from : Math.min(plan.standInSteps, to - from);
      const replayed = replaySegment(protocol, data, seed, { ...state, step: from }, steps);
      losses.set(replayed.losses, from);
      weights = replayed.weights;
      optimizerState = replayed.optimizerState;
    }
    if (isLast) {
      if (real.has(k)) finalWeights = Float32Array.from(weights);
      return;
    }
    const base = k * layout.size;
    checkpoints.set(Float32Array.from(weights), base);
    if (optimizerState) checkpoints.set(Float32Array.from(optimizerState), base + layout.weights);
    state = { step: to, weights: checkpoints.subarray(base, base + layout.weights), optimizerState: checkpoints.subarray(base + layout.weights, base + layout.size) };
  });
  const points = layout.steps.map((step, k) => {
    const weights = checkpoints.slice(k * layout.size, k * layout.size + layout.weights);
    return { step, weights, loss: trainingLoss(protocol, data, seed, weights, step) };
  });
  return { checkpoints, finalWeights, points, losses };
}
