// The MNIST pack for a figure page: loaded (from Cache Storage or a checked download) once `enabled`,
// with download progress in bytes for the progress bar; the download stops when the page goes away.
import { useCallback, useEffect, useState } from "preact/hooks";
import type { MnistPack } from "../../../shared/data/mnist-pack";
import { MNIST_PACK_MANIFEST } from "../../../shared/data/mnist-pack-manifest";
import { loadMnistPack } from "../data/dataset-cache";

export type PackState =
  | { readonly status: "idle" }
  | { readonly status: "loading"; readonly received: number; readonly total: number }
  | { readonly status: "ok"; readonly pack: MnistPack; readonly fromCache: boolean }
  | { readonly status: "error"; readonly error: unknown };

export function useMnistPack(enabled: boolean): PackState & { readonly reload: () => void } {
  const [state, setState] = useState<PackState>({ status: "idle" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    setState({ status: "loading", received: 0, total: MNIST_PACK_MANIFEST.bytes });
    loadMnistPack({
      signal: abort.signal,
      onProgress: ({ received, total }) => {
        if (!abort.signal.aborted) setState({ status: "loading", received, total });
      },
    }).then(
      ({ pack, fromCache }) => !abort.signal.aborted && setState({ status: "ok", pack, fromCache }),
      (error: unknown) => !abort.signal.aborted && setState({ status: "error", error }),
    );
    return () => abort.abort();
  }, [enabled, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
