// How the benchmark pages write an adapter and a figure, one way for the board, a result and a comparison.
import type { BenchFacets } from "../../../shared/bench-api";

/** "nvidia · ampere · NVIDIA A100" — the adapter as the board groups it. */
export function adapterText(facets: BenchFacets): string {
  const parts = [facets.gpuVendor === "none" ? "no GPU" : facets.gpuVendor, facets.gpuArchitecture, facets.adapter].filter(Boolean);
  return parts.join(" · ");
}

export const formatFigure = (value: number): string => (value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toPrecision(3));
