// Why: what a typed playground number means — a value within the server's bounds to use, or a message the field
// shows while the session keeps its current value — so an out-of-range entry is never silently replaced.
import { PlaygroundParamsSchema, SEED_MAX } from "../../../shared/api";
import { formatCoefficient } from "../recipe";

export type NumberField = "lambda" | "lr" | "seed";

const shape = PlaygroundParamsSchema.shape;

/** Each field's bounds, as the server checks them (the seed: a whole number in 0..SEED_MAX). */
export const FIELD_BOUNDS: Readonly<Record<NumberField, { readonly min: number; readonly max: number }>> = {
  lambda: { min: shape.lambda.minValue ?? 0, max: shape.lambda.maxValue ?? 0.1 },
  lr: { min: shape.lr.minValue ?? 1e-4, max: shape.lr.maxValue ?? 0.5 },
  seed: { min: 0, max: SEED_MAX },
};

const NAMES: Readonly<Record<NumberField, string>> = { lambda: "λ", lr: "The learning rate", seed: "The seed" };

export type FieldCheck = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

/** `text` as typed into `field`: its value, or why it cannot be used (with what is used meanwhile). */
export function checkField(field: NumberField, text: string, current: number): FieldCheck {
  const { min, max } = FIELD_BOUNDS[field];
  const keeping = ` Still using ${formatCoefficient(current)}.`;
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === "" || !Number.isFinite(value)) return { ok: false, message: `${NAMES[field]} must be a number.${keeping}` };
  if (field === "seed" && !Number.isInteger(value)) return { ok: false, message: `${NAMES[field]} must be a whole number.${keeping}` };
  if (value < min) return { ok: false, message: `${NAMES[field]} must be at least ${formatCoefficient(min)}.${keeping}` };
  if (value > max) return { ok: false, message: `${NAMES[field]} must be at most ${formatCoefficient(max)}.${keeping}` };
  return { ok: true, value };
}
