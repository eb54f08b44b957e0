// The playground's controller: one worker per session (a new one for new settings or a reset), commands to
// it, and "Save & share" (a snapshot of the paused session posted as an exploration). A session that new
// settings replace is paused and kept, with its state, so that going back to its settings (Undo, or the
// browser's Back) resumes it where it was instead of starting over.
import { useCallback, useEffect, useReducer, useRef, useState } from "preact/hooks";
import { PLAYGROUND_MAX_STEPS, type PlaygroundParams } from "../../../shared/protocols/playground";
import { api } from "../api";
import { serializeError } from "../errors";
import type { BackendChoice } from "../routes";
import type { FromPlayground, PlaygroundCommand, PlaygroundSnapshot, ToPlayground } from "./playground-messages";
import { canSave, initialPlayground, reducePlayground, type PlaygroundState } from "./playground-state";
import { rememberSaved } from "./saved-explorations";

export interface PlaygroundControls {
  readonly state: PlaygroundState;
  command(command: PlaygroundCommand): void;
  reset(): void;
  save(title: string): Promise<void>;
  /** The session the last settings change replaced, kept to go back to (null when it had taken no step). */
  readonly replaced: { readonly params: PlaygroundParams; readonly step: number } | null;
}

interface Session {
  readonly key: string;
  readonly params: PlaygroundParams;
  readonly worker: Worker;
  state: PlaygroundState;
}

export function usePlayground(params: PlaygroundParams, backend: BackendChoice): PlaygroundControls {
  const [state, dispatch] = useReducer(reducePlayground, initialPlayground);
  const [attempt, setAttempt] = useState(0);
  const [replaced, setReplaced] = useState<PlaygroundControls["replaced"]>(null);
  const current = useRef<Session | null>(null);
  /** The one replaced session kept for going back. */
  const kept = useRef<Session | null>(null);
  const snapshotWaiter = useRef<((snapshot: PlaygroundSnapshot) => void) | null>(null);
  const latest = useRef(state);
  latest.current = state;
  const paramsKey = `${JSON.stringify(params)}|${backend}`;

  /** Routes a session's messages to the page while it is the current one; a kept session keeps its own state up to date. */
  const listen = (session: Session): void => {
    session.worker.onmessage = (event: MessageEvent<FromPlayground>) => {
      const message = event.data;
      if (current.current !== session) {
        if (message.type !== "snapshot") session.state = reducePlayground(session.state, { type: "worker", message });
        return;
      }
      if (message.type === "snapshot") snapshotWaiter.current?.(message);
      else dispatch({ type: "worker", message });
    };
    session.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      if (current.current !== session) return;
      const message = `The playground's worker stopped: ${event.message || "it could not be loaded"}.`;
      dispatch({ type: "worker", message: { type: "error", error: { kind: "other", name: "WorkerError", message } } });
    };
  };

  // New settings: keep the session they replace (paused) when it had trained, and resume a kept one of these settings.
  useEffect(() => {
    const previous = current.current;
    if (previous) {
      previous.state = latest.current;
      previous.worker.postMessage({ type: "pause" } satisfies ToPlayground);
      if (previous.state.step > 0 && previous.key !== paramsKey) {
        if (kept.current && kept.current !== previous) kept.current.worker.terminate();
        kept.current = previous;
      } else previous.worker.terminate();
    }
    const back = kept.current?.key === paramsKey ? kept.current : null;
    if (back) {
      kept.current = previous && previous !== back && previous.state.step > 0 ? previous : null;
      current.current = back;
      listen(back);
      dispatch({ type: "restore", state: back.state });
    } else {
      dispatch({ type: "restart" });
      const worker = new Worker(new URL("./playground.worker.ts", import.meta.url), { type: "module", name: "gs-lab-playground" });
      const session: Session = { key: paramsKey, params, worker, state: initialPlayground };
      current.current = session;
      listen(session);
      worker.postMessage({ type: "start", params, maxSteps: PLAYGROUND_MAX_STEPS, backend } satisfies ToPlayground);
    }
    const other = kept.current;
    setReplaced(other ? { params: other.params, step: other.state.step } : null);
  }, [paramsKey]);

  // Reset: the current session starts over (the kept one stays).
  useEffect(() => {
    if (attempt === 0 || !current.current) return;
    const old = current.current;
    old.worker.terminate();
    dispatch({ type: "restart" });
    const worker = new Worker(new URL("./playground.worker.ts", import.meta.url), { type: "module", name: "gs-lab-playground" });
    const session: Session = { key: old.key, params: old.params, worker, state: initialPlayground };
    current.current = session;
    listen(session);
    worker.postMessage({ type: "start", params: old.params, maxSteps: PLAYGROUND_MAX_STEPS, backend } satisfies ToPlayground);
  }, [attempt]);

  useEffect(
    () => () => {
      current.current?.worker.terminate();
      kept.current?.worker.terminate();
    },
    [],
  );

  const command = useCallback((message: PlaygroundCommand) => current.current?.worker.postMessage(message satisfies ToPlayground), []);
  const reset = useCallback(() => setAttempt((n) => n + 1), []);

  const save = useCallback(
    async (title: string) => {
      const session = current.current;
      if (!session || !canSave(latest.current)) return;
      dispatch({ type: "save-start" });
      try {
        const snapshot = await new Promise<PlaygroundSnapshot>((resolve) => {
          snapshotWaiter.current = resolve;
          session.worker.postMessage({ type: "snapshot" } satisfies ToPlayground);
        });
        const trimmed = title.trim();
        const exploration = await api.saveExploration({
          params: session.params,
          steps: snapshot.step,
          ...(trimmed ? { title: trimmed.slice(0, 80) } : {}),
          weights: Array.from(snapshot.weights),
          lossHistory: snapshot.lossHistory,
        });
        rememberSaved({ id: exploration.id, title: exploration.title ?? null, steps: exploration.steps, createdAt: exploration.createdAt });
        dispatch({ type: "saved", exploration });
      } catch (error) {
        dispatch({ type: "save-failed", error: serializeError(error) });
      } finally {
        snapshotWaiter.current = null;
      }
    },
    [],
  );

  return { state, command, reset, save, replaced };
}
