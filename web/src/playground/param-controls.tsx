// The playground's settings: margin slider, regulariser and its strength, learning rate and seed. Every
// committed change rewrites the URL (which restarts the session); values outside the server's bounds are
// not committed.
import { useEffect, useState } from "preact/hooks";
import { PlaygroundParamsSchema } from "../../../shared/api";
import type { PlaygroundParams, Regularizer } from "../../../shared/protocols/playground";
import { navigate } from "../router";
import { playgroundUrl } from "./playground-url";

const REGULARIZERS: ReadonlyArray<{ value: Regularizer; label: string }> = [
  { value: "none", label: "none" },
  { value: "weight-decay", label: "weight decay" },
  { value: "sd", label: "Spectral Decoupling" },
];

const bounds = PlaygroundParamsSchema.shape;

/** The number typed into an input if it is within [min, max], else null. */
function withinBounds(text: string, min: number | null, max: number | null): number | null {
  const value = Number(text);
  return text.trim() !== "" && Number.isFinite(value) && value >= (min ?? -Infinity) && value <= (max ?? Infinity) ? value : null;
}

export function ParamControls({ params }: { readonly params: PlaygroundParams }) {
  const [margin, setMargin] = useState(params.margin);
  useEffect(() => setMargin(params.margin), [params.margin]);
  const commit = (next: Partial<PlaygroundParams>): void => navigate(playgroundUrl({ ...params, ...next }), { replace: true });
  const numberField = (key: "lambda" | "lr" | "seed", text: string): void => {
    const schema = key === "seed" ? { minValue: 0, maxValue: null } : bounds[key];
    const value = withinBounds(text, schema.minValue, schema.maxValue);
    if (value !== null && (key !== "seed" || Number.isInteger(value))) commit({ [key]: value });
  };

  return (
    <div class="controls playground-controls">
      <label>
        <span>
          Margin Δ = <output data-testid="margin-value">{margin.toFixed(2)}</output>
        </span>
        <input
          type="range"
          data-testid="margin-slider"
          min={bounds.margin.minValue ?? -0.5}
          max={bounds.margin.maxValue ?? 0.5}
          step={0.05}
          value={margin}
          onInput={(e) => setMargin(Number(e.currentTarget.value))}
          onChange={(e) => commit({ margin: Number(e.currentTarget.value) })}
        />
        <span class="hint">Negative: the moons overlap. Positive: a gap opens, and gradient starvation straightens the boundary.</span>
      </label>
      <label>
        Regulariser
        <select
          data-testid="regularizer-select"
          value={params.regularizer}
          onChange={(e) => commit({ regularizer: e.currentTarget.value as Regularizer })}
        >
          {REGULARIZERS.map((r) => (
            <option value={r.value} key={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        <span class="hint">Weight decay adds λ·θ to SGD's gradient; Spectral Decoupling adds λ·mean(ŷ²) to the loss.</span>
      </label>
      <label>
        Strength λ
        <input
          type="number"
          data-testid="lambda-input"
          min={bounds.lambda.minValue ?? 0}
          max={bounds.lambda.maxValue ?? 0.1}
          step="any"
          value={params.lambda}
          disabled={params.regularizer === "none"}
          onChange={(e) => numberField("lambda", e.currentTarget.value)}
        />
        <span class="hint">0 to 0.1; the paper's SD uses 0.003.</span>
      </label>
      <label>
        Learning rate
        <input
          type="number"
          data-testid="lr-input"
          min={bounds.lr.minValue ?? 1e-4}
          max={bounds.lr.maxValue ?? 0.5}
          step="any"
          value={params.lr}
          onChange={(e) => numberField("lr", e.currentTarget.value)}
        />
        <span class="hint">SGD with momentum 0.9, full batch; the paper uses 0.01.</span>
      </label>
      <label>
        Seed
        <input
          type="number"
          data-testid="seed-input"
          min={0}
          step={1}
          value={params.seed}
          onChange={(e) => numberField("seed", e.currentTarget.value)}
        />
        <span class="hint">The data and the initial weights, exactly as in the Lab.</span>
      </label>
    </div>
  );
}
