// Loading data for a page: a hook that runs an async function when its inputs change, ignores answers
// that arrive after the inputs moved on, and offers a reload for the retry button.
import { useCallback, useEffect, useState } from "preact/hooks";

export type AsyncState<T> =
  | { readonly status: "loading" }
  | { readonly status: "ok"; readonly data: T }
  | { readonly status: "error"; readonly error: unknown };

export function useAsync<T>(load: () => Promise<T>, inputs: readonly unknown[]): AsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setState({ status: "loading" });
    load().then(
      (data) => current && setState({ status: "ok", data }),
      (error: unknown) => current && setState({ status: "error", error }),
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; `inputs` say when it really changed.
  }, [...inputs, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
