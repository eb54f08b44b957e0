// How long a run will take, said in time before it starts: a rough figure from the run's arithmetic at rates
// GS Lab measured (a CPU through wasm) or assumes (a GPU), then a timing of a few steps on this machine's
// backend projected onto the whole run, the words that introduce the run, and whether it needs a GPU.
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import type { MoonsProtocol } from "../../../shared/protocols/types";
import { fusedSupports } from "../../../shared/kernels/moons-kernel";
import { formatCount, formatRoughDuration } from "../format";
import { cmnistFlopsPerStep, flopsPerStep, formatFlops } from "../recipe";
import type { EstimateResult } from "../train/messages";

/** The protocols whose runs train a network step by step (the toy model computes in a blink). */
export type TimedProtocol = MoonsProtocol | CmnistProtocol;

/** Runs of at least this much arithmetic in all are timed as soon as they are chosen (fig3-longer, fig3-deeper). */
export const LONG_RUN_FLOP = 1e11;
/** Networks of at least this much arithmetic per step are GPU work (the 5-layer net: ≈1.4 GFLOP). */
export const GPU_STEP_FLOP = 1e8;
/** Over this much time on a CPU a run "needs a GPU". */
export const NEEDS_GPU_MS = 15 * 60_000;

export const totalFlops = (protocol: MoonsProtocol): number => flopsPerStep(protocol) * protocol.training.steps;
export const isLongRun = (protocol: MoonsProtocol): boolean => totalFlops(protocol) >= LONG_RUN_FLOP;
export const needsGpu = (protocol: MoonsProtocol): boolean => flopsPerStep(protocol) >= GPU_STEP_FLOP;

export const stepFlopsOf = (protocol: TimedProtocol): number => (protocol.family === "two-moons" ? flopsPerStep(protocol) : cmnistFlopsPerStep(protocol));

/** A processor as an estimate models it: useful FLOP/s on big products, and a floor per step (dispatches, small kernels). */
export interface Rate {
  readonly flopsPerSecond: number;
  readonly stepFloorMs: number;
}

/**
 * One CPU core through tfjs ops on wasm, as measured here: a full Colored-MNIST ERM step (62 GFLOP as counted
 * here) in 2.0 s (`npm run bench -- compare`), and a step of a network the fused kernel does not cover (the
 * 5-layer net) no faster than about 3 ms however small its arithmetic (per-op overhead).
 */
export const CPU_RATE: Rate = { flopsPerSecond: 3e10, stepFloorMs: 3 };
/**
 * One CPU core on the fused two-moons kernel (the 2-H-1 nets, fusedSupports): many steps per call, so no
 * per-op floor; the 2-500-1 step ran 10,600 steps/s in Node and 12,200 in headless Chromium here (2026-12-04
 * compare run), ≈ 3e10 FLOP/s by flopsPerStep's count. The floor stands for the call and evidence overheads.
 */
export const FUSED_CPU_RATE: Rate = { flopsPerSecond: 3e10, stepFloorMs: 0.02 };

/** The CPU rate a protocol's runs train at: the fused kernel's for the nets it covers, tfjs ops' otherwise. */
export const cpuRate = (protocol: TimedProtocol): Rate => (protocol.family === "two-moons" && fusedSupports(protocol) ? FUSED_CPU_RATE : CPU_RATE);
/** A mid-range GPU through WebGPU or WebGL: an assumption (1 TFLOP/s sustained, 1 ms per step of dispatches), not a measurement. */
export const GPU_RATE: Rate = { flopsPerSecond: 1e12, stepFloorMs: 1 };

export const msPerStepAt = (protocol: TimedProtocol, rate: Rate): number => Math.max(rate.stepFloorMs, (1000 * stepFlopsOf(protocol)) / rate.flopsPerSecond);
export const runMsAt = (protocol: TimedProtocol, rate: Rate): number => msPerStepAt(protocol, rate) * protocol.training.steps;

/** Backends that run on a GPU when the machine has one (or on a software emulation of one, which is far slower). */
export const isGpuBackend = (backend: string): boolean => backend === "webgpu" || backend === "webgl";

/** The whole run projected from a timing. */
export const projectedMs = (protocol: TimedProtocol, result: EstimateResult): number => result.msPerStep * protocol.training.steps;

/** What the run takes on a CPU: the timing when it was taken on one, else the reference rate's figure. */
function cpuMs(protocol: TimedProtocol, timing: EstimateResult | null): number {
  return timing && !isGpuBackend(timing.backend) ? projectedMs(protocol, timing) : runMsAt(protocol, cpuRate(protocol));
}

/** The words that introduce a run, from how long it takes (timed here, or on a CPU by the reference rate). */
export function runLengthWords(protocol: TimedProtocol, timing: EstimateResult | null): string {
  const ms = timing ? projectedMs(protocol, timing) : runMsAt(protocol, cpuRate(protocol));
  if (ms < 60_000) return "A short run";
  if (ms < NEEDS_GPU_MS) return "A run of a few minutes";
  return "A long run";
}

export function formatMsPerStep(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  return `${ms >= 10 ? ms.toPrecision(3) : ms.toFixed(2)} ms`;
}

/** A GPU is named in the rough figure only where it would be more than this many times faster (small networks are bound by per-step overheads on every backend). */
const GPU_WORTH_NAMING = 3;

/** "≈ 1 h 10 min on a typical CPU (wasm), ≈ 2 min on a GPU, going by the arithmetic (≈62 GFLOP per step, 2,001 steps)." */
export function roughSentence(protocol: TimedProtocol): string {
  const cpu = runMsAt(protocol, cpuRate(protocol));
  const gpu = runMsAt(protocol, GPU_RATE);
  // "≈ 3 s", but "under a second" without the "≈".
  const about = (ms: number): string => (ms < 1000 ? formatRoughDuration(ms) : `≈ ${formatRoughDuration(ms)}`);
  const onGpu = cpu > GPU_WORTH_NAMING * gpu ? `, ${about(gpu)} on a GPU` : "";
  return `${about(cpu)} on a typical CPU (wasm)${onGpu}, going by the arithmetic (≈${formatFlops(stepFlopsOf(protocol))} per step, ${formatCount(protocol.training.steps)} steps).`;
}

/** "On wasm here: 2.01 s per step (2 steps timed), so ≈ 1 h 5 min for 2,001 steps." */
export function projectionSentence(protocol: TimedProtocol, result: EstimateResult): string {
  return `On ${result.backend} here: ${formatMsPerStep(result.msPerStep)} per step (${result.timedSteps} ${result.timedSteps === 1 ? "step" : "steps"} timed), so ≈ ${formatRoughDuration(projectedMs(protocol, result))} for ${formatCount(protocol.training.steps)} steps, plus a little for the live plots.`;
}

/**
 * The "needs a GPU" note, or null: when the run takes over NEEDS_GPU_MS on a CPU (timed here, or by the
 * reference rate), what a GPU would change; when it was timed on a GPU backend and still takes that long,
 * that this GPU may be emulated or slow.
 */
export function gpuNote(protocol: TimedProtocol, timing: EstimateResult | null): string | null {
  const gpu = formatRoughDuration(runMsAt(protocol, GPU_RATE));
  if (timing && isGpuBackend(timing.backend)) {
    const here = projectedMs(protocol, timing);
    return here < NEEDS_GPU_MS
      ? null
      : `Even on ${timing.backend} this takes ≈ ${formatRoughDuration(here)} here: this GPU is slow or emulated in software. A mid-range GPU would take about ${gpu}.`;
  }
  if (cpuMs(protocol, timing) < NEEDS_GPU_MS) return null;
  const choice = "Pick WebGPU or WebGL as the backend if this machine has one; otherwise you can still run it here, pausing when you like.";
  return timing ? `Needs a GPU: a GPU would take about ${gpu} instead. ${choice}` : `Needs a GPU: over ${formatRoughDuration(NEEDS_GPU_MS)} on a CPU. ${choice}`;
}
