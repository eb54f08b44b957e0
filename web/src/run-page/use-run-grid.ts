// A verified two-moons run's decision function on the figure grid: its final weights downloaded, then its
// output computed in a worker of its own (grid.worker.ts), which ends with the component.
import { useEffect, useState } from "preact/hooks";
import type { MlpSpec } from "../../../shared/nn/mlp";
import { api } from "../api";
import type { GridRequest, GridResponse } from "./grid.worker";

export type GridState =
  | { readonly status: "weights" }
  | { readonly status: "computing" }
  | { readonly status: "ok"; readonly grid: Float32Array; readonly ms: number }
  | { readonly status: "error"; readonly error: unknown };

/** `runId` null: nothing to compute (the weights are not served). */
export function useRunGrid(runId: string | null, model: MlpSpec): GridState & { readonly retry: () => void } {
  const [state, setState] = useState<GridState>({ status: "weights" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (runId === null) return;
    let live = true;
    const worker = new Worker(new URL("./grid.worker.ts", import.meta.url), { type: "module", name: "gs-lab-run-grid" });
    worker.onmessage = (event: MessageEvent<GridResponse>) => {
      const response = event.data;
      setState(response.kind === "grid" ? { status: "ok", grid: response.grid, ms: response.ms } : { status: "error", error: new Error(`Computing the boundary failed: ${response.message}.`) });
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      setState({ status: "error", error: new Error(`The boundary worker failed: ${event.message || "it could not start"}.`) });
    };
    setState({ status: "weights" });
    api.runWeights(runId).then(
      (weights) => {
        if (!live) return;
        setState({ status: "computing" });
        worker.postMessage({ model, weights } satisfies GridRequest, { transfer: [weights.buffer] });
      },
      (error: unknown) => live && setState({ status: "error", error }),
    );
    return () => {
      live = false;
      worker.terminate();
    };
  }, [runId, attempt]);
  return { ...state, retry: () => setAttempt((n) => n + 1) };
}
