// Every page's state lives in its URL (TensorFlow Playground style): this module parses locations into
// routes and builds the links, so a rerun, a board or a benchmark is always one shareable address.
import { BACKENDS, SEED_MAX, type Backend } from "../../shared/api";

export type BackendChoice = "auto" | Backend;
export const BACKEND_CHOICES: readonly BackendChoice[] = ["auto", ...BACKENDS];

export interface LabParams {
  readonly protocol: string | null;
  readonly backend: BackendChoice;
  readonly seed: number | null;
}

export interface BenchParams {
  readonly backend: BackendChoice;
  readonly steps: number;
}

export type Route =
  | { readonly page: "home" }
  | { readonly page: "lab"; readonly params: LabParams }
  | { readonly page: "leaderboard" }
  | { readonly page: "board"; readonly protocolId: string }
  | { readonly page: "run"; readonly runId: string }
  | { readonly page: "bench"; readonly params: BenchParams }
  | { readonly page: "not-found"; readonly path: string };

export const BENCH_DEFAULT_STEPS = 200;
export const BENCH_MAX_STEPS = 100_000;

export function parseBackend(value: string | null): BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(value ?? "") ? (value as BackendChoice) : "auto";
}

/** A seed from the URL, or null when it is absent or not a valid seed. */
export function parseSeed(value: string | null): number | null {
  if (value === null || !/^\d{1,10}$/.test(value)) return null;
  const seed = Number(value);
  return seed <= SEED_MAX ? seed : null;
}

function parseSteps(value: string | null): number {
  if (value === null || !/^\d{1,6}$/.test(value)) return BENCH_DEFAULT_STEPS;
  return Math.min(Math.max(Number(value), 1), BENCH_MAX_STEPS);
}

const PROTOCOL_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function parseLabParams(search: URLSearchParams): LabParams {
  const protocol = search.get("protocol");
  return {
    protocol: protocol && PROTOCOL_ID.test(protocol) ? protocol : null,
    backend: parseBackend(search.get("backend")),
    seed: parseSeed(search.get("seed")),
  };
}

/** The route of a pathname + query string (e.g. location.pathname and location.search). */
export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  const query = new URLSearchParams(search);
  if (path === "/") return { page: "home" };
  if (path === "/lab") return { page: "lab", params: parseLabParams(query) };
  if (path === "/leaderboard") return { page: "leaderboard" };
  if (path === "/bench") return { page: "bench", params: { backend: parseBackend(query.get("backend")), steps: parseSteps(query.get("steps")) } };
  const board = /^\/leaderboard\/([^/]+)$/.exec(path);
  if (board && PROTOCOL_ID.test(decodeURIComponent(board[1]!))) return { page: "board", protocolId: decodeURIComponent(board[1]!) };
  const run = /^\/runs\/([^/]+)$/.exec(path);
  if (run) return { page: "run", runId: decodeURIComponent(run[1]!) };
  return { page: "not-found", path };
}

export function labUrl(params: Partial<LabParams> = {}): string {
  const query = new URLSearchParams();
  if (params.protocol) query.set("protocol", params.protocol);
  if (params.backend && params.backend !== "auto") query.set("backend", params.backend);
  if (params.seed !== undefined && params.seed !== null) query.set("seed", String(params.seed));
  const text = query.toString();
  return text ? `/lab?${text}` : "/lab";
}

/** The one-click rerun of a run: the same protocol and seed in the Lab. */
export const rerunUrl = (protocolId: string, seed: number): string => labUrl({ protocol: protocolId, seed });
export const boardUrl = (protocolId: string): string => `/leaderboard/${encodeURIComponent(protocolId)}`;
export const runUrl = (runId: string): string => `/runs/${encodeURIComponent(runId)}`;
export const benchUrl = (params: Partial<BenchParams> = {}): string => {
  const query = new URLSearchParams();
  if (params.backend) query.set("backend", params.backend);
  if (params.steps) query.set("steps", String(params.steps));
  const text = query.toString();
  return text ? `/bench?${text}` : "/bench";
};
