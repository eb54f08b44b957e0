// The playground's settings: margin slider, regulariser and its strength, learning rate and seed. Every
// committed change adds a history entry (so the browser's Back undoes it), which moves the session to the new
// settings; a number outside the server's bounds is not committed and the field says why, keeping what was typed.
import { useEffect, useState } from "preact/hooks";
import { PlaygroundParamsSchema } from "../../../shared/api";
import type { PlaygroundParams, Regularizer } from "../../../shared/protocols/playground";
import { navigate } from "../router";
import { checkField, FIELD_BOUNDS, type NumberField } from "./playground-fields";
import { playgroundUrl } from "./playground-url";

const REGULARIZERS: ReadonlyArray<{ value: Regularizer; label: string }> = [
  { value: "none", label: "none" },
  { value: "weight-decay", label: "weight decay" },
  { value: "sd", label: "Spectral Decoupling" },
];

const bounds = PlaygroundParamsSchema.shape;

/** Goes to new settings as a history entry of their own, where the page is now (not scrolled to the top). */
export function goToSettings(params: PlaygroundParams): void {
  const y = window.scrollY;
  navigate(playgroundUrl(params));
  window.scrollTo(0, y);
}

interface FieldProps {
  readonly field: NumberField;
  readonly label: string;
  readonly hint: string;
  readonly value: number;
  readonly step: string;
  readonly disabled?: boolean;
  readonly onCommit: (value: number) => void;
}

/** A number input that shows its own error and keeps the text typed until it is valid or the settings change. */
function NumberInput({ field, label, hint, value, step, disabled = false, onCommit }: FieldProps) {
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(String(value));
    setError(null);
  }, [value]);
  const hintId = `${field}-hint`;
  return (
    <label>
      {label}
      <input
        type="number"
        data-testid={`${field}-input`}
        min={FIELD_BOUNDS[field].min}
        max={FIELD_BOUNDS[field].max}
        step={step}
        value={text}
        disabled={disabled}
        aria-invalid={error !== null}
        aria-describedby={hintId}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={(e) => {
          const check = checkField(field, e.currentTarget.value, value);
          setError(check.ok ? null : check.message);
          if (check.ok && check.value !== value) onCommit(check.value);
        }}
      />
      <span id={hintId} class={error ? "hint bad" : "hint"} data-testid={`${field}-hint`} role={error ? "alert" : undefined}>
        {error ?? hint}
      </span>
    </label>
  );
}

export function ParamControls({ params }: { readonly params: PlaygroundParams }) {
  const [margin, setMargin] = useState(params.margin);
  useEffect(() => setMargin(params.margin), [params.margin]);
  const commit = (next: Partial<PlaygroundParams>): void => goToSettings({ ...params, ...next });
  const regularised = params.regularizer !== "none";

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
      <NumberInput
        field="lambda"
        label="Strength λ"
        hint={regularised ? "0 to 0.1; the paper's SD uses 0.003." : "No regulariser is on: pick one above to set its strength."}
        value={params.lambda}
        step="any"
        disabled={!regularised}
        onCommit={(lambda) => commit({ lambda })}
      />
      <NumberInput
        field="lr"
        label="Learning rate"
        hint="1e-4 to 0.5: SGD with momentum 0.9, full batch; the paper uses 0.01."
        value={params.lr}
        step="any"
        onCommit={(lr) => commit({ lr })}
      />
      <NumberInput
        field="seed"
        label="Seed"
        hint="The data and the initial weights, exactly as in the Lab."
        value={params.seed}
        step="1"
        onCommit={(seed) => commit({ seed })}
      />
    </div>
  );
}
