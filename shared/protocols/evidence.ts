// What a run reports as evidence of its training, shared by the trainer that records it, the verifier
// that checks it and the pages that plot it.

/**
 * The step each loss-history value belongs to: 0, every, 2·every, ... below `steps`, then `steps` itself,
 * the loss of the final weights (after the last update).
 */
export function historySteps(steps: number, every: number): number[] {
  const sampled = Array.from({ length: Math.floor((steps - 1) / every) + 1 }, (_, k) => k * every);
  return [...sampled, steps];
}

/** The steps of a run's trajectory checkpoints: every, 2·every, ... strictly between 0 and `steps`. */
export function checkpointSteps(steps: number, every: number): number[] {
  return Array.from({ length: Math.ceil(steps / every) - 1 }, (_, k) => (k + 1) * every);
}

/** The replayable segments of a run: [0, c1), [c1, c2), ..., [c_last, steps), as [from, to) step pairs. */
export function trajectorySegments(steps: number, every: number): Array<readonly [number, number]> {
  const bounds = [0, ...checkpointSteps(steps, every), steps];
  return bounds.slice(1).map((to, k) => [bounds[k]!, to] as const);
}
