// Computes a two-moons network's output on the figure's 100×100 grid from a run's final weights off the main
// thread: plain float64 TypeScript (liveGrid) takes a fraction of a second for the paper's 2-500-1 net but
// about half a minute for Fig. 3's 5-layer one, which must not freeze the page.
import type { MlpSpec } from "../../../shared/nn/mlp";
import { liveGrid } from "../train/live-grid";

export interface GridRequest {
  readonly model: MlpSpec;
  readonly weights: Float32Array;
}
export type GridResponse = { readonly kind: "grid"; readonly grid: Float32Array; readonly ms: number } | { readonly kind: "error"; readonly message: string };

self.onmessage = (event: MessageEvent<GridRequest>) => {
  const started = performance.now();
  try {
    const grid = liveGrid(event.data.model, event.data.weights);
    const response: GridResponse = { kind: "grid", grid, ms: performance.now() - started };
    self.postMessage(response, { transfer: [grid.buffer] });
  } catch (error) {
    self.postMessage({ kind: "error", message: error instanceof Error ? error.message : String(error) } satisfies GridResponse);
  }
};
