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
