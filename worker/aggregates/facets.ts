// The facets aggregates are kept for: "" (every counted run) and one `<dimension>:<value>` per environment
// dimension a run has (shared/board-api.ts ENVIRONMENT_DIMENSIONS), and the facet a validated query names.
import { ENVIRONMENT_DIMENSIONS, type EnvironmentDimension, type FacetQuery } from "../../shared/board-api";

/** Every counted run of the protocol. */
export const ALL_RUNS = "";

/** The facet columns of a run row (null where the run's environment did not say). */
export interface FacetColumns {
  readonly backend: string;
  readonly gpuVendor: string | null;
  readonly gpuArchitecture: string | null;
  readonly browser: string | null;
  readonly os: string | null;
}

/** The runs table's column of each dimension (board pages filter runs by it). */
export const FACET_COLUMN: Record<EnvironmentDimension, string> = {
  backend: "backend",
  gpuVendor: "gpu_vendor",
  gpuArchitecture: "gpu_architecture",
  browser: "browser",
  os: "os",
};

export const facetKey = (dimension: EnvironmentDimension, value: string): string => `${dimension}:${value}`;

/** The facets a run counts in: every run, and each of its dimensions that has a value. */
export function facetsOfRun(run: FacetColumns): string[] {
  return [ALL_RUNS, ...ENVIRONMENT_DIMENSIONS.flatMap((d) => (run[d] === null ? [] : [facetKey(d, run[d])]))];
}

/** The one dimension a (validated) facet query narrows to, or null. */
export function appliedFacet(query: FacetQuery): { dimension: EnvironmentDimension; value: string } | null {
  const dimension = ENVIRONMENT_DIMENSIONS.find((d) => query[d] !== undefined);
  return dimension ? { dimension, value: String(query[dimension]) } : null;
}

/** The stored facet key of a query ("" when it narrows to none). */
export const facetOfQuery = (query: FacetQuery): string => {
  const applied = appliedFacet(query);
  return applied ? facetKey(applied.dimension, applied.value) : ALL_RUNS;
};

/** The dimension and value of a stored facet key (null for ""). */
export function parseFacetKey(key: string): { dimension: EnvironmentDimension; value: string } | null {
  const at = key.indexOf(":");
  const dimension = key.slice(0, at) as EnvironmentDimension;
  return at > 0 && ENVIRONMENT_DIMENSIONS.includes(dimension) ? { dimension, value: key.slice(at + 1) } : null;
}
