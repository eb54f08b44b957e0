// A run's recipe as flat key → value rows (as W&B shows a run's config: "training.optimizer.lr" = 1e-4), and
// the diff of several recipes: one row per key any of them has, the rows whose values differ marked, so a
// comparison shows at a glance what was changed between runs.
import type { Protocol } from "../../../shared/protocols/types";
import { formatCoefficient } from "../recipe";

export interface RecipeRow {
  /** The dotted path of the setting in the protocol ("data.margin"), or a run field ("seed"). */
  readonly key: string;
  readonly value: string;
}

/** The parts of a protocol that say how a run computes; its descriptions, claims and paper numbers are not recipe. */
const RECIPE_PARTS = ["data", "model", "training", "toy", "evidence"] as const;
/** Long prose inside a recipe part, left out of the rows (the run page shows it in full). */
const PROSE_KEYS = new Set(["note"]);
/** The most rows one recipe yields (protocols have a few dozen settings; this bounds a malformed one). */
const MAX_ROWS = 200;

function formatSetting(value: unknown): string {
  if (typeof value === "number") return formatCoefficient(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return value;
  if (value === null) return "none";
  if (Array.isArray(value)) return value.map(formatSetting).join(", ");
  return JSON.stringify(value);
}

function flatten(prefix: string, value: unknown, rows: RecipeRow[]): void {
  if (rows.length >= MAX_ROWS) return;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (!PROSE_KEYS.has(key) && inner !== undefined) flatten(`${prefix}.${key}`, inner, rows);
    }
    return;
  }
  rows.push({ key: prefix, value: formatSetting(value) });
}

/** The rows of one run's recipe: protocol, version and seed first, then every setting of the protocol in its own order. */
export function recipeRows(protocol: Protocol, run: { readonly protocolVersion: number; readonly seed: number }): RecipeRow[] {
  const rows: RecipeRow[] = [
    { key: "protocol", value: protocol.id },
    { key: "version", value: String(run.protocolVersion) },
    { key: "family", value: protocol.family },
    { key: "seed", value: String(run.seed) },
  ];
  for (const part of RECIPE_PARTS) {
    const value = (protocol as unknown as Record<string, unknown>)[part];
    if (value !== undefined) flatten(part, value, rows);
  }
  if (protocol.family === "colored-mnist" && protocol.reduced) flatten("reduced", protocol.reduced, rows);
  return rows;
}

export interface DiffRow {
  readonly key: string;
  /** One value per recipe, in order; null where that recipe has no such setting. */
  readonly values: readonly (string | null)[];
  /** Whether the recipes disagree on this row (a missing setting disagrees with a present one). */
  readonly differs: boolean;
}

/** Every key of any recipe (first recipe's order, then each later recipe's new keys), with each recipe's value. */
export function diffRecipes(recipes: readonly (readonly RecipeRow[])[]): DiffRow[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  const lookups = recipes.map((rows) => new Map(rows.map((row) => [row.key, row.value])));
  for (const rows of recipes) {
    for (const { key } of rows) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  return keys.map((key) => {
    const values = lookups.map((lookup) => lookup.get(key) ?? null);
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
}
