// How long a run will take, said honestly before it starts: the arithmetic per step, whether it needs a
// GPU, and the projection of a few steps timed on the chosen backend onto the whole run.
import type { MoonsProtocol } from "../../../shared/protocols/types";
import { formatCount, formatDuration } from "../format";
import { flopsPerStep, formatFlops } from "../recipe";
import type { EstimateResult } from "../train/messages";

/** Runs of at least this much arithmetic in all are timed as soon as they are chosen (fig3-longer, fig3-deeper). */
export const LONG_RUN_FLOP = 1e11;
/** Networks of at least this much arithmetic per step are GPU work (the 5-layer net: ≈1.4 GFLOP). */
export const GPU_STEP_FLOP = 1e8;

export const totalFlops = (protocol: MoonsProtocol): number => flopsPerStep(protocol) * protocol.training.steps;
export const isLongRun = (protocol: MoonsProtocol): boolean => totalFlops(protocol) >= LONG_RUN_FLOP;
export const needsGpu = (protocol: MoonsProtocol): boolean => flopsPerStep(protocol) >= GPU_STEP_FLOP;

export function formatMsPerStep(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  return `${ms >= 10 ? ms.toPrecision(3) : ms.toFixed(2)} ms`;
}

/** "≈2.7 MFLOP per step, 27 GFLOP for the 10,000 steps." */
export function arithmeticSentence(protocol: MoonsProtocol): string {
  return `≈${formatFlops(flopsPerStep(protocol))} per step, ${formatFlops(totalFlops(protocol))} for the ${formatCount(protocol.training.steps)} steps.`;
}

/** "On wasm here: 3.10 ms per step (200 steps timed), so about 31.0 s for 10,000 steps." */
export function projectionSentence(protocol: MoonsProtocol, result: EstimateResult): string {
  const total = result.msPerStep * protocol.training.steps;
  return `On ${result.backend} here: ${formatMsPerStep(result.msPerStep)} per step (${result.timedSteps} steps timed), so about ${formatDuration(total)} for ${formatCount(protocol.training.steps)} steps, plus a little for the live plots.`;
}
