// Times a few steps of the chosen protocol on the chosen backend in a worker of its own (started by hand,
// or at once for long runs), and drops the timing when the protocol or the backend changes.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { SerializedError } from "../errors";
import type { BackendChoice } from "../routes";
import { TERMINAL_MESSAGES, type EstimateResult } from "../train/messages";
import { startTraining, type TrainingHandle } from "../train/trainer";

export type EstimateState =
  | { readonly status: "idle" }
  | { readonly status: "running"; readonly step: number; readonly steps: number | null }
  | { readonly status: "done"; readonly result: EstimateResult }
  | { readonly status: "error"; readonly error: SerializedError };

/**
 * `auto` starts the timing as soon as the inputs settle; `blocked` (a run is training) stops any timing
 * in flight so that the two never compete for the same processor.
 */
export function useEstimate(
  protocolId: string,
  backend: BackendChoice,
  auto: boolean,
  blocked: boolean,
): { state: EstimateState; start: () => void } {
  const [state, setState] = useState<EstimateState>({ status: "idle" });
  const handle = useRef<TrainingHandle | null>(null);

  const stop = useCallback(() => {
    handle.current?.dispose();
    handle.current = null;
  }, []);

  const start = useCallback(() => {
    stop();
    setState({ status: "running", step: 0, steps: null });
    handle.current = startTraining({ kind: "estimate", protocolId }, backend, (message) => {
      if (TERMINAL_MESSAGES.has(message.type)) handle.current = null;
      if (message.type === "progress") setState({ status: "running", step: message.step, steps: message.steps });
      else if (message.type === "estimate-done") setState({ status: "done", result: message.result });
      else if (message.type === "error") setState({ status: "error", error: message.error });
      else if (message.type === "cancelled") setState({ status: "idle" });
    });
  }, [protocolId, backend, stop]);

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
