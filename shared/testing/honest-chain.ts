// Test support: trajectory checkpoints for a two-moons run built with the server's own float64 replay, as a
// client's float32 checkpoints would be (values rounded to float32). A full honest chain costs the whole run
// (seconds); tests that know which segments the server will replay (its REPLAY_KEY, see keyedSegmentBytes)
// make only those segments real and fill the others with placeholders (the initial weights and a fresh
// optimiser) the server never replays.
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
}

export interface Chain {
  /** Every checkpoint, concatenated (checkpointLayout). */
  readonly checkpoints: Float32Array;
  readonly finalWeights: Float32Array;
  /** Each checkpoint's step, its weights and its training loss (what the loss history must say at that step). */
  readonly points: ReadonlyArray<{ readonly step: number; readonly weights: Float32Array; readonly loss: number }>;
}

export function buildChain(plan: ChainPlan): Chain {
  const { protocol, seed, data } = plan;
  const layout = checkpointLayout(protocol);
  if (!layout) throw new Error(`${protocol.id} takes no trajectory checkpoints`);
  const segments = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery!);
  const real = plan.real === "all" ? new Set(segments.keys()) : new Set(plan.real);
  const checkpoints = new Float32Array(layout.steps.length * layout.size);
  let state: TrainingState = { step: 0, weights: plan.initialWeights, optimizerState: null };
  let finalWeights = plan.fallbackFinal;
  segments.forEach(([from, to], k) => {
    const isLast = k === segments.length - 1;
    // A placeholder checkpoint (never the end of a replayed segment): the initial weights and a fresh optimiser.
    let weights: ArrayLike<number> = plan.initialWeights;
    let optimizerState: ArrayLike<number> | null = null;
    if (real.has(k)) {
      const replayed = replaySegment(protocol, data, seed, { ...state, step: from }, to - from);
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
  return { checkpoints, finalWeights, points };
}
