// Times a few steps of the chosen protocol on the chosen backend in a worker of its own (started by hand,
// or at once for long two-moons runs): the training worker's estimate job for two-moons networks, the
// Colored-MNIST timing worker for Colored MNIST; drops the timing when the protocol or the backend changes.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { SerializedError } from "../errors";
import type { BackendChoice } from "../routes";
import { type EstimateResult } from "../train/messages";
import { startTraining } from "../train/trainer";
import type { TimingRequest } from "./cmnist-timing.worker";
import type { TimingMessage } from "./timing-messages";

export type EstimateState =
  | { readonly status: "idle" }
  | { readonly status: "running"; readonly step: number; readonly steps: number | null }
  | { readonly status: "done"; readonly result: EstimateResult }
  | { readonly status: "error"; readonly error: SerializedError };

interface TimingHandle {
  dispose(): void;
}

/** Two-moons: the training worker's estimate job, its messages narrowed to a timing's. */
function timeMoons(protocolId: string, backend: BackendChoice, onMessage: (message: TimingMessage) => void): TimingHandle {
  return startTraining({ kind: "estimate", protocolId }, backend, (message) => {
    if (message.type === "progress") onMessage({ type: "step", step: message.step, steps: message.steps });
    else if (message.type === "estimate-done" || message.type === "error") onMessage(message);
  });
}

/** Colored MNIST: a timing worker of its own, ended once it has answered. */
function timeCmnist(protocolId: string, backend: BackendChoice, onMessage: (message: TimingMessage) => void): TimingHandle {
  const worker = new Worker(new URL("./cmnist-timing.worker.ts", import.meta.url), { type: "module", name: "gs-lab-timing" });
  worker.onmessage = (event: MessageEvent<TimingMessage>) => {
    if (event.data.type !== "step") worker.terminate();
    onMessage(event.data);
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    worker.terminate();
    onMessage({ type: "error", error: { kind: "other", name: "WorkerError", message: `The timing worker stopped: ${event.message || "it could not be loaded"}.` } });
  };
  worker.postMessage({ protocolId, backend } satisfies TimingRequest);
  return { dispose: () => worker.terminate() };
}

/**
 * `auto` starts the timing as soon as the inputs settle; `blocked` (a run is training) stops any timing
 * in flight so that the two never compete for the same processor.
 */
export function useEstimate(
  protocolId: string,
  family: "two-moons" | "colored-mnist",
  backend: BackendChoice,
  auto: boolean,
  blocked: boolean,
): { state: EstimateState; start: () => void } {
  const [state, setState] = useState<EstimateState>({ status: "idle" });
  const handle = useRef<TimingHandle | null>(null);

  const stop = useCallback(() => {
    handle.current?.dispose();
    handle.current = null;
  }, []);

  const start = useCallback(() => {
    stop();
    setState({ status: "running", step: 0, steps: null });
    const onMessage = (message: TimingMessage): void => {
      if (message.type === "step") setState({ status: "running", step: message.step, steps: message.steps });
      else {
        handle.current = null;
        setState(message.type === "estimate-done" ? { status: "done", result: message.result } : { status: "error", error: message.error });
      }
    };
    handle.current = (family === "colored-mnist" ? timeCmnist : timeMoons)(protocolId, backend, onMessage);
  }, [protocolId, family, backend, stop]);

  // A new protocol or backend: the old timing says nothing about it.
  useEffect(() => {
    stop();
    setState({ status: "idle" });
  }, [protocolId, backend, stop]);

  useEffect(() => {
    if (blocked) {
      if (handle.current) {
        stop();
        setState({ status: "idle" });
      }
    } else if (auto && state.status === "idle") start();
  }, [auto, blocked, state.status, start, stop]);

  useEffect(() => stop, [stop]);

  return { state, start };
}
