// Why: times a few full-batch Colored-MNIST steps of a protocol before its run starts, with the trainer the run
// uses, on stand-in images of the run's exact shapes (a dense step costs the same whatever the pixels), so the
// Lab can say how long the run takes on this machine without downloading the dataset first.
import * as tf from "@tensorflow/tfjs-core";
import { cmnistStep, createCmnistTrainer, type CmnistTrainEnv } from "../../../shared/nn/cmnist-train";
import { CMNIST_PIXELS, cmnistInitialWeights, cmnistMlpSpec } from "../../../shared/nn/cmnist-model";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";

/** Images per training environment when the protocol trains on whole environments. */
const IMAGES_PER_ENV = 25_000;
/** After the first timed step, more steps are timed until about this much time has gone (at least one more when cheap). */
export const TIMING_BUDGET_MS = 3000;
/** Never more than this many timed steps (reduced protocols' steps take milliseconds). */
export const MAX_TIMED_STEPS = 20;

/** Environments of the protocol's sizes, filled with a fixed pattern (sparse "ink" in one colour channel, labels alternating). */
export function standInEnvs(protocol: CmnistProtocol): CmnistTrainEnv[] {
  const n = protocol.data.examplesPerEnv ?? IMAGES_PER_ENV;
  return protocol.data.trainEnvs.map((_, env) => {
    const images = new Float32Array(n * 2 * CMNIST_PIXELS);
    const labels = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = (i + env) % 2;
      const channel = (i * 7 + env) % 2;
      const base = i * 2 * CMNIST_PIXELS + channel * CMNIST_PIXELS;
      for (let p = (i * 13) % 3; p < CMNIST_PIXELS; p += 3) images[base + p] = ((i + p) % 255) / 255;
    }
    return { images, labels };
  });
}

/** How many steps to time after the first: enough to fill TIMING_BUDGET_MS at the first step's pace, within MAX_TIMED_STEPS. */
export const moreSteps = (firstStepMs: number): number =>
  Math.max(0, Math.min(MAX_TIMED_STEPS - 1, Math.floor(TIMING_BUDGET_MS / Math.max(firstStepMs, 1e-3)) - 1));

export interface CmnistTiming {
  readonly timedSteps: number;
  readonly msPerStep: number;
}

/**
 * One warm-up step (kernel compilation, first allocations), then timed steps on the backend tfjs is set to;
 * each batch of steps ends with a read-back so a GPU's queued work is counted. `onStep(done, planned)` reports progress.
 */
export async function timeCmnistSteps(
  protocol: CmnistProtocol,
  chunkSize: number | undefined,
  onStep: (done: number, planned: number | null) => void = () => {},
): Promise<CmnistTiming> {
  const trainer = createCmnistTrainer(protocol, standInEnvs(protocol), cmnistInitialWeights(cmnistMlpSpec(protocol.model), 0), chunkSize);
  const run = async (from: number, count: number): Promise<void> => {
    let last: tf.Scalar | null = null;
    for (let t = from; t < from + count; t++) {
      const { loss, envStats } = cmnistStep(trainer, t);
      envStats.dispose();
      last?.dispose();
      last = loss;
    }
    if (last) {
      await last.data();
      last.dispose();
    }
  };
  try {
    await run(0, 1);
    onStep(0, null);
    let started = performance.now();
    await run(1, 1);
    const first = performance.now() - started;
    const more = moreSteps(first);
    onStep(1, 1 + more);
    started = performance.now();
    await run(2, more);
    const rest = performance.now() - started;
    onStep(1 + more, 1 + more);
    return { timedSteps: 1 + more, msPerStep: (first + rest) / (1 + more) };
  } finally {
    trainer.dispose();
  }
}
