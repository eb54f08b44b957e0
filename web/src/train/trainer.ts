// The page's side of training: starts one Web Worker per job, forwards its messages, pauses, resumes and
// cancels it, and terminates it once the job has ended so its tfjs memory is released.
import type { BackendChoice } from "../routes";
import { TERMINAL_MESSAGES, type FromWorker, type ToWorker, type TrainJob } from "./messages";

export interface TrainingHandle {
  /** Asks the worker to stop; it answers "cancelled" (or is terminated if it does not within 3 s). */
  cancel(): void;
  /** Asks the worker to wait after the step it is in (Colored MNIST); it checkpoints first. */
  pause(): void;
  resume(): void;
  /** Terminates the worker without waiting (page left). */
  dispose(): void;
}

export function startTraining(job: TrainJob, backend: BackendChoice, onMessage: (message: FromWorker) => void): TrainingHandle {
  const worker = new Worker(new URL("./train.worker.ts", import.meta.url), { type: "module", name: "gs-lab-training" });
  let finished = false;
  let cancelTimer: ReturnType<typeof setTimeout> | undefined;
  const finish = (message: FromWorker): void => {
    if (finished) return;
    finished = true;
    clearTimeout(cancelTimer);
    worker.terminate();
    onMessage(message);
  };
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    if (finished) return;
    if (TERMINAL_MESSAGES.has(event.data.type)) finish(event.data);
    else onMessage(event.data);
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    finish({
      type: "error",
      error: { kind: "other", name: "WorkerError", message: `The training worker stopped: ${event.message || "it could not be loaded"}.` },
    });
  };
  const start: ToWorker = { type: "start", job, backend, origin: window.location.origin };
  worker.postMessage(start);
  return {
    cancel() {
      if (finished) return;
      worker.postMessage({ type: "cancel" } satisfies ToWorker);
      cancelTimer = setTimeout(() => finish({ type: "cancelled" }), 3000);
    },
    pause() {
      if (!finished) worker.postMessage({ type: "pause" } satisfies ToWorker);
    },
    resume() {
      if (!finished) worker.postMessage({ type: "resume" } satisfies ToWorker);
    },
    dispose() {
      finished = true;
      clearTimeout(cancelTimer);
      worker.terminate();
    },
  };
}
