// The facet controls of the leaderboard and the boards: where the runs ran (one environment dimension at a time,
// as the API takes it, with each value's run count from /api/leaderboard/facets) and the lowest trust level a
// seed must have. The choice goes into the page's URL through `onChange`.
import type { FacetCounts, FacetQuery } from "../../../shared/board-api";
import { ENVIRONMENT_DIMENSIONS, type EnvironmentDimension } from "../../../shared/board-api";
import { formatCount } from "../format";
import { facetChoice, withFacetChoice, withTrust } from "../routes";

export const DIMENSION_LABELS: Readonly<Record<EnvironmentDimension, string>> = {
  backend: "Backend",
  gpuVendor: "GPU vendor",
  gpuArchitecture: "GPU architecture",
  browser: "Browser",
  os: "Operating system",
};

/** How a facet value reads where the bare word would puzzle. */
const VALUE_LABELS: Readonly<Record<string, string>> = { "gpuVendor=none": "no GPU (wasm, cpu)", "gpuVendor=software": "software renderer", "gpuVendor=other": "other GPU" };

const TRUST_LABELS = { "": "every counted run", replayed: "replayed or better", reproduced: "reproduced by a quorum" } as const;

interface Props {
  readonly facet: FacetQuery;
  /** Null while loading or when the counts could not be loaded: only the applied value is offered then. */
  readonly counts: FacetCounts | null;
  readonly onChange: (facet: FacetQuery) => void;
}

export function FacetControls({ facet, counts, onChange }: Props) {
  const choice = facetChoice(facet);
  const listed = (dimension: EnvironmentDimension) => {
    const values = [...(counts?.dimensions[dimension] ?? [])];
    const applied = facet[dimension];
    if (applied !== undefined && !values.some((v) => v.value === applied)) values.unshift({ value: applied, runs: 0 });
    return values;
  };
  return (
    <div class="facet-controls" role="group" aria-label="Narrow the results">
      <label>
        Ran on{" "}
        <select data-testid="facet-select" value={choice} title="Run counts are over every protocol" onChange={(event) => onChange(withFacetChoice(facet, event.currentTarget.value))}>
          <option value="">any environment</option>
          {ENVIRONMENT_DIMENSIONS.map((dimension) => {
            const values = listed(dimension);
            return values.length === 0 ? null : (
              <optgroup key={dimension} label={DIMENSION_LABELS[dimension]}>
                {values.map((v) => (
                  <option key={v.value} value={`${dimension}=${v.value}`}>
                    {VALUE_LABELS[`${dimension}=${v.value}`] ?? v.value} ({formatCount(v.runs)} {v.runs === 1 ? "run" : "runs"})
                  </option>
                ))}
              </optgroup>
            );
          })}
        </select>
      </label>
      <label>
        Trust{" "}
        <select
          data-testid="trust-select"
          value={facet.trust ?? ""}
          onChange={(event) => onChange(withTrust(facet, event.currentTarget.value))}
        >
          {Object.entries(TRUST_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
