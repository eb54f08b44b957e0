// The physical bounds on a benchmark's timings, in one place with their reasoning: the most FLOP/s each tfjs
// backend can reach on any machine, and the wall time the server saw between issuing a workunit and receiving
// its result. A claimed time shorter than either allows was not measured; the result is refused.
import type { Backend } from "../api";

/**
 * The most float32 FLOP/s a backend can deliver, with a margin above any hardware that exists (2026):
 * - webgpu, webgl: no GPU reaches 2 PFLOP/s of fp32 arithmetic from a browser (the largest data-centre parts
 *   do ~70–80 TFLOP/s of plain fp32 and ~1 PFLOP/s dense TF32 on tensor cores, which tfjs does not use).
 * - wasm: tfjs-wasm's threaded SIMD build runs at most 8 threads (its pool), 128-bit SIMD (4 fp32 lanes), at
 *   best 2 fused multiply-adds a cycle at 6 GHz: 8 · 4 · 2 · 2 · 6e9 ≈ 0.77 TFLOP/s; the ceiling is 2 TFLOP/s.
 * - cpu: tfjs' plain-JavaScript backend is one scalar thread (no SIMD, no FMA): ~4 FLOP a cycle at 6 GHz is
 *   24 GFLOP/s; the ceiling is 100 GFLOP/s. Both CPU ceilings are far below the ~10 TFLOP/s no single machine's
 *   CPUs beat, so they hold even for a claim that tfjs ran differently than it does.
 */
export const PEAK_FLOPS: Readonly<Record<Backend, number>> = {
  webgpu: 2e15,
  webgl: 2e15,
  wasm: 2e12,
  cpu: 1e11,
};

/**
 * Slack on the window check: the client's clocks (performance.now) and the Worker's (Date.now, which does not
 * advance during a request's own CPU time) measure the same interval slightly differently.
 */
export const WINDOW_SLACK_MS = 1000;

/** One timed piece of work: what it is, its floating-point operations and the time claimed for it. */
export interface TimedWork {
  readonly what: string;
  readonly flop: number;
  readonly ms: number;
}

/** Why a set of timings is physically impossible, or null when it is possible. */
export function timingProblem(backend: Backend, work: readonly TimedWork[], windowMs: number): string | null {
  for (const { what, flop, ms } of work) {
    if (!(ms > 0)) return `The ${what} claims a time of ${ms} ms; a measured time is positive.`;
    const flops = flop / (ms / 1000);
    if (flops > PEAK_FLOPS[backend]) {
      return `The ${what} claims ${formatFlops(flops)}, more than any machine's ${backend} backend can do (at most ${formatFlops(PEAK_FLOPS[backend])}).`;
    }
  }
  const total = work.reduce((sum, { ms }) => sum + ms, 0);
  if (total > windowMs + WINDOW_SLACK_MS) {
    return `The timings add up to ${Math.round(total)} ms, but only ${Math.round(windowMs)} ms passed between the workunit's issue and this submission.`;
  }
  return null;
}

export function formatFlops(flops: number): string {
  if (flops >= 1e15) return `${(flops / 1e15).toPrecision(3)} PFLOP/s`;
  if (flops >= 1e12) return `${(flops / 1e12).toPrecision(3)} TFLOP/s`;
  return `${(flops / 1e9).toPrecision(3)} GFLOP/s`;
}
