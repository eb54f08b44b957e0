// How long a workunit (or any training job of a protocol) stays open: a few times what the protocol's training
// takes on a slow supported client, clamped, so an unanswered workunit gives its seed back soon instead of after
// a flat 6 hours, and a slow honest client still finishes in time.
//
// The cost model is one step = a fixed per-step cost (kernel launches, where the small two-moons nets spend
// nearly all their time) + parameters × training examples at a conservative throughput. Calibrated on the
// README's measurements (npm run bench, a 2-core machine, no GPU): the 2-500-1 step over 300 points runs at 14
// steps/s on tfjs's cpu backend in headless Chromium (the slowest backend the clients offer) → 70 ms a step;
// the Colored-MNIST full-batch step (208,501 parameters × 50,000 images) takes 2.7 s on tfjs wasm in Node,
// ≈ 3.9e9 parameter·examples a second; the model assumes four times less (browsers, busy machines).
import { familyOf, isCmnist, isMoons, isToy } from "../shared/protocols/families";
import type { Protocol } from "../shared/protocols/types";

/** Seconds of fixed cost per training step (tfjs cpu backend, Chromium: 14 steps/s of the 2-500-1 net). */
export const STEP_OVERHEAD_SECONDS = 0.07;
/** Parameter·examples a second a slow client sustains (about a quarter of tfjs wasm's measured 3.9e9). */
export const PARAM_EXAMPLES_PER_SECOND = 1e9;
/** A workunit lasts this many times the expected training time... */
export const TTL_SAFETY_FACTOR = 3;
/** ...clamped to [15 minutes, 6 hours]: short protocols still leave time to download, train and retry; the longest is bounded. */
export const MIN_TTL_SECONDS = 15 * 60;
export const MAX_TTL_SECONDS = 6 * 3600;

/** Colored-MNIST images per training environment when the protocol uses all of them (examplesPerEnv null). */
const CMNIST_FULL_EXAMPLES_PER_ENV = 25_000;

/** Seconds per step of Fig. 6's toy model: a few scalar operations in plain JavaScript, no tensor library. */
const TOY_STEP_SECONDS = 1e-5;

/** Training steps of the protocol and the seconds one of them takes on a slow client (full batch). */
function stepCost(protocol: Protocol): { steps: number; perStep: number } {
  const tensorStep = (examples: number) => STEP_OVERHEAD_SECONDS + (familyOf(protocol).paramCount(protocol) * examples) / PARAM_EXAMPLES_PER_SECOND;
  if (isMoons(protocol)) return { steps: protocol.training.steps, perStep: tensorStep(protocol.data.nSamples) };
  if (isCmnist(protocol)) {
    return { steps: protocol.training.steps, perStep: tensorStep(protocol.data.trainEnvs.length * (protocol.data.examplesPerEnv ?? CMNIST_FULL_EXAMPLES_PER_ENV)) };
  }
  if (isToy(protocol)) return { steps: protocol.toy.steps * protocol.toy.s1Values.length, perStep: TOY_STEP_SECONDS };
  throw new Error(`no cost model for protocol ${(protocol as Protocol).id}`);
}

/**
 * Expected seconds for `steps` steps of the protocol's training (all of them by default) on a slow supported
 * client: what a workunit's TTL, or a lease on a segment of `steps` steps, is derived from.
 */
export function expectedTrainingSeconds(protocol: Protocol, steps?: number): number {
  const cost = stepCost(protocol);
  return (steps ?? cost.steps) * cost.perStep;
}

/** A TTL (seconds) of TTL_SAFETY_FACTOR × the expected time, clamped to [MIN_TTL_SECONDS, MAX_TTL_SECONDS]. */
export const ttlFor = (expectedSeconds: number): number =>
  Math.round(Math.min(MAX_TTL_SECONDS, Math.max(MIN_TTL_SECONDS, TTL_SAFETY_FACTOR * expectedSeconds)));

/**
 * A workunit's lifetime in seconds: `override` (the WORKUNIT_TTL_SECONDS var, when set to a positive number)
 * or ttlFor(expectedTrainingSeconds(protocol)).
 */
export function workunitTtlSeconds(protocol: Protocol, override?: string): number {
  const forced = override === undefined || override.trim() === "" ? Number.NaN : Number(override);
  if (Number.isFinite(forced) && forced > 0) return Math.round(forced);
  return ttlFor(expectedTrainingSeconds(protocol));
}
