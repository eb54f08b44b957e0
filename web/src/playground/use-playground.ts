// The playground's controller: one worker per session (a new one for new settings or a reset), commands to
// it, and "Save & share" (a snapshot of the paused session posted as an exploration).
import { useCallback, useEffect, useReducer, useRef, useState } from "preact/hooks";
import { PLAYGROUND_MAX_STEPS, type PlaygroundParams } from "../../../shared/protocols/playground";
import { api } from "../api";
import { serializeError } from "../errors";
import type { BackendChoice } from "../routes";
import type { FromPlayground, PlaygroundCommand, PlaygroundSnapshot, ToPlayground } from "./playground-messages";
import { canSave, initialPlayground, reducePlayground, type PlaygroundState } from "./playground-state";

export interface PlaygroundControls {
  readonly state: PlaygroundState;
  command(command: PlaygroundCommand): void;
  reset(): void;
  save(title: string): Promise<void>;
}

export function usePlayground(params: PlaygroundParams, backend: BackendChoice): PlaygroundControls {
  const [state, dispatch] = useReducer(reducePlayground, initialPlayground);
  const [attempt, setAttempt] = useState(0);
  const worker = useRef<Worker | null>(null);
  const snapshotWaiter = useRef<((snapshot: PlaygroundSnapshot) => void) | null>(null);
  const latest = useRef(state);
  latest.current = state;
  const paramsKey = JSON.stringify(params);

  useEffect(() => {
    dispatch({ type: "restart" });
    const session = new Worker(new URL("./playground.worker.ts", import.meta.url), { type: "module", name: "gs-lab-playground" });
    session.onmessage = (event: MessageEvent<FromPlayground>) => {
      const message = event.data;
      if (message.type === "snapshot") snapshotWaiter.current?.(message);
      else dispatch({ type: "worker", message });
    };
    session.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      dispatch({
        type: "worker",
        message: {
          type: "error",
          error: { kind: "other", name: "WorkerError", message: `The playground's worker stopped: ${event.message || "it could not be loaded"}.` },
        },
      });
    };
    session.postMessage({ type: "start", params, maxSteps: PLAYGROUND_MAX_STEPS, backend } satisfies ToPlayground);
    worker.current = session;
    return () => {
      session.terminate();
      worker.current = null;
    };
  }, [paramsKey, backend, attempt]);

  const command = useCallback((message: PlaygroundCommand) => worker.current?.postMessage(message satisfies ToPlayground), []);
  const reset = useCallback(() => setAttempt((n) => n + 1), []);

  const save = useCallback(
    async (title: string) => {
      const session = worker.current;
      if (!session || !canSave(latest.current)) return;
      dispatch({ type: "save-start" });
      try {
        const snapshot = await new Promise<PlaygroundSnapshot>((resolve) => {
          snapshotWaiter.current = resolve;
          session.postMessage({ type: "snapshot" } satisfies ToPlayground);
        });
        const trimmed = title.trim();
        const exploration = await api.saveExploration({
          params,
          steps: snapshot.step,
          ...(trimmed ? { title: trimmed.slice(0, 80) } : {}),
          weights: Array.from(snapshot.weights),
          lossHistory: snapshot.lossHistory,
        });
        dispatch({ type: "saved", exploration });
      } catch (error) {
        dispatch({ type: "save-failed", error: serializeError(error) });
      } finally {
        snapshotWaiter.current = null;
      }
    },
    [paramsKey],
  );

  return { state, command, reset, save };
}
