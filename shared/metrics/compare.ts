// How close is close enough: the tolerances the verifier applies to claimed numbers, in one place so the
// client can check its own submission with exactly the server's rule before sending it.

export interface Tolerance {
  readonly abs: number;
  readonly rel: number;
}

/**
 * Replayed loss versus the loss a client reports for the same step. The client trains in float32 on its
 * own backend; the server replays in float64. The largest gap measured over the first 20 steps of every
 * two-moons protocol, seeds 0-9, on the wasm and cpu backends (shared/metrics/replay.test.ts prints it) is
 * below 1e-6; WebGPU (SwiftShader) is checked in e2e. The tolerance leaves two orders of magnitude of room
 * while a wrong seed, protocol or initialisation moves the losses by 1e-3 or more.
 */
export const REPLAY_TOLERANCE: Tolerance = { abs: 1e-4, rel: 1e-4 };

export function withinTolerance(claimed: number | null, actual: number | null, tolerance: Tolerance): boolean {
  if (claimed === null || actual === null) return claimed === actual;
  return Math.abs(claimed - actual) <= tolerance.abs + tolerance.rel * Math.abs(actual);
}
