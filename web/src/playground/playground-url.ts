// The playground's state in its URL (/playground?margin=0.1&reg=sd&lambda=0.003&lr=0.01&seed=0, or
// ?exploration=<id> for a saved one): parsed within the server's bounds, defaults for anything invalid.
import { PlaygroundParamsSchema, SEED_MAX } from "../../../shared/api";
import { PLAYGROUND_DEFAULTS, type PlaygroundParams, type Regularizer } from "../../../shared/protocols/playground";

export interface PlaygroundRoute {
  readonly params: PlaygroundParams;
  /** A saved exploration to show instead of a fresh run. */
  readonly exploration: string | null;
}

/** The regulariser as the URL spells it. */
const REG_IN_URL: Record<Regularizer, string> = { none: "none", "weight-decay": "wd", sd: "sd" };
const REG_FROM_URL: Readonly<Record<string, Regularizer>> = { none: "none", wd: "weight-decay", "weight-decay": "weight-decay", sd: "sd" };

export const EXPLORATION_ID = /^ex_[0-9a-f-]{36}$/;
const DECIMAL = /^-?(0|[1-9][0-9]*)?(\.[0-9]+)?(e-?[0-9]+)?$/;

/** A number from the query inside [min, max], or `fallback`. */
function boundedNumber(value: string | null, fallback: number, min: number, max: number): number {
  if (value === null || value === "" || !DECIMAL.test(value)) return fallback;
  const number = Number(value);
  return Number.isFinite(number) && number >= min && number <= max ? number : fallback;
}

const shape = PlaygroundParamsSchema.shape;
const rangeOf = (schema: { minValue: number | null; maxValue: number | null }): [number, number] => [
  schema.minValue ?? -Infinity,
  schema.maxValue ?? Infinity,
];

export function parsePlaygroundQuery(query: URLSearchParams): PlaygroundRoute {
  const d = PLAYGROUND_DEFAULTS;
  const seedText = query.get("seed");
  const seed = seedText !== null && /^\d{1,10}$/.test(seedText) && Number(seedText) <= SEED_MAX ? Number(seedText) : d.seed;
  const exploration = query.get("exploration");
  return {
    params: {
      margin: boundedNumber(query.get("margin"), d.margin, ...rangeOf(shape.margin)),
      regularizer: REG_FROM_URL[query.get("reg") ?? ""] ?? d.regularizer,
      lambda: boundedNumber(query.get("lambda"), d.lambda, ...rangeOf(shape.lambda)),
      lr: boundedNumber(query.get("lr"), d.lr, ...rangeOf(shape.lr)),
      seed,
    },
    exploration: exploration && EXPLORATION_ID.test(exploration) ? exploration : null,
  };
}

export function playgroundUrl(params: PlaygroundParams): string {
  const query = new URLSearchParams({
    margin: String(params.margin),
    reg: REG_IN_URL[params.regularizer],
    lambda: String(params.lambda),
    lr: String(params.lr),
    seed: String(params.seed),
  });
  return `/playground?${query}`;
}

export const explorationUrl = (id: string): string => `/playground?exploration=${encodeURIComponent(id)}`;
