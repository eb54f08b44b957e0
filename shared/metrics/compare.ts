// How close is close enough: the tolerances the verifier applies to claimed numbers, in one place so the
// client can check its own submission with exactly the server's rule before sending it.

export interface Tolerance {
  readonly abs: number;
  readonly rel: number;
}

/**
 * Replayed loss versus the loss a client reports for the same step (and the loss history's final value
 * versus the loss of the submitted weights). The client trains in float32 on its own backend; the server
 * replays in float64. Largest gaps measured over the first 20 steps of fig1-margin-pos: 2.6e-7 on wasm,
 * 2.5e-8 on cpu (Node, shared/nn/train.test.ts prints it), 5.3e-8 on WebGPU and 7.9e-8 on WebGL, both on
 * SwiftShader in headless Chromium (the /bench page; e2e/webgpu-smoke.spec.ts). The tolerance leaves over
 * two orders of magnitude of room, while another seed moves the step-0 loss by more than 1e-3.
 */
export const REPLAY_TOLERANCE: Tolerance = { abs: 1e-4, rel: 1e-4 };

export function withinTolerance(claimed: number | null, actual: number | null, tolerance: Tolerance): boolean {
  if (claimed === null || actual === null) return claimed === actual;
  return Math.abs(claimed - actual) <= tolerance.abs + tolerance.rel * Math.abs(actual);
}
