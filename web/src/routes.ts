// Every page's state lives in its URL (TensorFlow Playground style): this module parses locations into
// routes and builds the links, so a rerun, a board, a figure or a benchmark is always one shareable address.
import { BACKENDS, SEED_MAX, type Backend } from "../../shared/api";
import { BOARD_PAGE_DEFAULT, BOARD_PAGE_MAX, BoardSortSchema, CursorSchema, ENVIRONMENT_DIMENSIONS, FacetQuerySchema, type BoardSort, type FacetQuery } from "../../shared/board-api";
import { facetEntries, toQueryString } from "../../shared/client/query-string";
import { findProtocol } from "../../shared/protocols/registry";
import { parsePlaygroundQuery, type PlaygroundRoute } from "./playground/playground-url";
// ---- benchmarks (the benchmark board's routes: web/src/benchmarks-url.ts) ----
import { parseBenchmarksRoute, type BenchmarksRoute } from "./benchmarks-url";
// ---- end benchmarks ----

export type BackendChoice = "auto" | Backend;
export const BACKEND_CHOICES: readonly BackendChoice[] = ["auto", ...BACKENDS];

export interface LabParams {
  readonly protocol: string | null;
  readonly backend: BackendChoice;
  readonly seed: number | null;
}

export type BenchMode = "single" | "compare" | "replay";

/** The replay-tolerance measurement's choice (?mode=replay&seeds=0-2&segments=1,8). */
export interface ReplayBenchParams {
  /** The seeds whose honest wasm runs are replayed. */
  readonly seeds: readonly number[];
  /** Which segments of each run (indices into trajectorySegments). */
  readonly segments: readonly number[];
}

export interface BenchParams {
  /** "replay" mode: the one backend to replay on, or "auto" for all of wasm, cpu, WebGL and WebGPU. */
  readonly backend: BackendChoice;
  /** Steps to train ("single", "compare"); a replay trains the protocol's whole run. */
  readonly steps: number;
  /** "compare": `seeds` seeds one at a time, then batched into one computation; "replay": see `replay`. */
  readonly mode: BenchMode;
  readonly seeds: number;
  readonly replay: ReplayBenchParams;
  /** "single" mode: the two-moons protocol whose step is timed (seed 0). */
  readonly protocolId: string;
}

/** The two NTK components the Fig. 2 page plots (the paper's k = 1 and k = 6 by default). */
export type ComponentPair = readonly [number, number];

export type FigureId = "fig2" | "fig3" | "table1" | "fig4" | "fig6";
export const FIGURE_IDS: readonly FigureId[] = ["fig2", "fig3", "table1", "fig4", "fig6"];

export type Route =
  | { readonly page: "home" }
  | { readonly page: "lab"; readonly params: LabParams }
  | { readonly page: "leaderboard"; readonly params: LeaderboardParams }
  | { readonly page: "board"; readonly protocolId: string; readonly params: BoardParams }
  /** A contributor's record, by the 12-hex public id of their key (never by display name); `cursor`: their runs' page. */
  | { readonly page: "contributor"; readonly contributorId: string; readonly cursor: string | null }
  | { readonly page: "run"; readonly runId: string }
  /** /compare?runs=a,b,…: the runs to compare side by side (see parseCompareRuns). */
  | { readonly page: "compare"; readonly runs: CompareRuns }
  /** Replay workunits: segments of other contributors' runs, trained on this machine's `backend`. */
  | { readonly page: "replay"; readonly backend: BackendChoice }
  | { readonly page: "bench"; readonly params: BenchParams }
  | { readonly page: "fig2"; readonly components: ComponentPair }
  | { readonly page: "fig3" }
  | { readonly page: "table1" }
  /** `runs`: the verified run shown for a protocol, where the reader picked one (protocol id → run id). */
  | { readonly page: "fig4"; readonly runs: ReadonlyMap<string, string> }
  | { readonly page: "fig6" }
  | { readonly page: "playground"; readonly params: PlaygroundRoute }
  // ---- benchmarks ----
  | BenchmarksRoute
  // ---- end benchmarks ----
  | { readonly page: "not-found"; readonly path: string };

export const BENCH_DEFAULT_STEPS = 200;
/** The protocol the benchmark times unless ?protocol= names another two-moons protocol. */
export const BENCH_DEFAULT_PROTOCOL = "fig1-margin-pos";
export const BENCH_MAX_STEPS = 100_000;
export const BENCH_DEFAULT_SEEDS = 10;
export const BENCH_MAX_SEEDS = 64;
export const BENCH_REPLAY_DEFAULTS: ReplayBenchParams = { seeds: [0], segments: [1, 8] };
export const BENCH_REPLAY_MAX_SEEDS = 16;
export const BENCH_REPLAY_MAX_SEGMENTS = 20;
/** Components of |z| that Fig. 2 v2 runs record (NTK_COMPONENTS). */
export const NTK_COMPONENT_COUNT = 32;
export const PAPER_COMPONENTS: ComponentPair = [1, 6];

export function parseBackend(value: string | null): BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(value ?? "") ? (value as BackendChoice) : "auto";
}

/** A seed from the URL, or null when it is absent or not a valid seed. */
export function parseSeed(value: string | null): number | null {
  if (value === null || !/^\d{1,10}$/.test(value)) return null;
  const seed = Number(value);
  return seed <= SEED_MAX ? seed : null;
}

/** A whole number from the URL clamped to [min, max], or `fallback` when it is absent or not digits. */
function parseBounded(value: string | null, fallback: number, min: number, max: number): number {
  if (value === null || !/^\d{1,6}$/.test(value)) return fallback;
  return Math.min(Math.max(Number(value), min), max);
}

/**
 * "0-2" → [0, 1, 2]; "0,3,5" → [0, 3, 5]; "2-4,8" → [2, 3, 4, 8] (sorted, without repeats); null when malformed
 * or longer than `max`.
 */
export function parseNumberList(value: string | null, max: number, parse: (text: string) => number | null = parseSeed): number[] | null {
  if (value === null || value.length > 200) return null;
  const numbers = new Set<number>();
  for (const part of value.split(",")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    const from = match ? parse(match[1]!) : null;
    const to = match?.[2] === undefined ? from : parse(match[2]);
    if (from === null || to === null || to < from || to - from >= max) return null;
    for (let n = from; n <= to; n++) numbers.add(n);
    if (numbers.size > max) return null;
  }
  return [...numbers].sort((a, b) => a - b);
}

/** The inverse of parseNumberList: runs of consecutive numbers as "a-b". */
export function formatNumberList(numbers: readonly number[]): string {
  const parts: string[] = [];
  for (let k = 0; k < numbers.length; ) {
    let end = k;
    while (end + 1 < numbers.length && numbers[end + 1] === numbers[end]! + 1) end++;
    parts.push(end === k ? String(numbers[k]) : `${numbers[k]}-${numbers[end]}`);
    k = end + 1;
  }
  return parts.join(",");
}

const parseSegment = (text: string): number | null => (/^\d{1,4}$/.test(text) ? Number(text) : null);

/** The replay benchmark's seed and segment lists ("0-2", "1,8"), each `fallback`'s where malformed. */
export function parseReplayParams(seeds: string | null, segments: string | null, fallback = BENCH_REPLAY_DEFAULTS): ReplayBenchParams {
  return {
    seeds: parseNumberList(seeds, BENCH_REPLAY_MAX_SEEDS) ?? fallback.seeds,
    segments: parseNumberList(segments, BENCH_REPLAY_MAX_SEGMENTS, parseSegment) ?? fallback.segments,
  };
}

export function parseBenchParams(query: URLSearchParams): BenchParams {
  const mode = query.get("mode");
  const replay = mode === "replay";
  return {
    backend: parseBackend(query.get("backend")),
    steps: parseBounded(query.get("steps"), BENCH_DEFAULT_STEPS, 1, BENCH_MAX_STEPS),
    mode: mode === "compare" || replay ? mode : "single",
    // ?seeds= counts seeds in compare mode and lists them in replay mode.
    seeds: replay ? BENCH_DEFAULT_SEEDS : parseBounded(query.get("seeds"), BENCH_DEFAULT_SEEDS, 1, BENCH_MAX_SEEDS),
    replay: replay ? parseReplayParams(query.get("seeds"), query.get("segments")) : BENCH_REPLAY_DEFAULTS,
    protocolId: findProtocol(query.get("protocol") ?? "")?.family === "two-moons" ? query.get("protocol")! : BENCH_DEFAULT_PROTOCOL,
  };
}

/** "k=1,6": two distinct components in 0..31; anything else gives the paper's pair. */
export function parseComponents(value: string | null): ComponentPair {
  const match = /^(\d{1,2}),(\d{1,2})$/.exec(value ?? "");
  if (!match) return PAPER_COMPONENTS;
  const pair = [Number(match[1]), Number(match[2])] as const;
  return pair.every((k) => k < NTK_COMPONENT_COUNT) ? pair : PAPER_COMPONENTS;
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
  if (path === "/leaderboard") return { page: "leaderboard", params: parseLeaderboardParams(query) };
  if (path === "/replay") return { page: "replay", backend: parseBackend(query.get("backend")) };
  if (path === "/bench") return { page: "bench", params: parseBenchParams(query) };
  if (path === "/figures/fig2") return { page: "fig2", components: parseComponents(query.get("k")) };
  if (path === "/figures/fig3") return { page: "fig3" };
  if (path === "/figures/table1") return { page: "table1" };
  if (path === "/figures/fig4") return { page: "fig4", runs: parseFig4Runs(query.get("runs")) };
  if (path === "/figures/fig6") return { page: "fig6" };
  if (path === "/playground") return { page: "playground", params: parsePlaygroundQuery(query) };
  const board = /^\/leaderboard\/([^/]+)$/.exec(path);
  if (board && PROTOCOL_ID.test(decodeURIComponent(board[1]!))) return { page: "board", protocolId: decodeURIComponent(board[1]!), params: parseBoardParams(query) };
  const contributor = /^\/contributors\/([0-9a-f]{12})$/.exec(path);
  if (contributor) return { page: "contributor", contributorId: contributor[1]!, cursor: parseCursor(query.get("cursor")) };
  if (path === "/compare") return { page: "compare", runs: parseCompareRuns(query.get("runs")) };
  const run = /^\/runs\/([^/]+)$/.exec(path);
  if (run) return { page: "run", runId: decodeURIComponent(run[1]!) };
  // ---- benchmarks ----
  const benchmarks = parseBenchmarksRoute(path, query);
  if (benchmarks) return benchmarks;
  // ---- end benchmarks ----
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
export const runUrl = (runId: string): string => `/runs/${encodeURIComponent(runId)}`;
export const replayUrl = (backend: BackendChoice = "auto"): string => (backend === "auto" ? "/replay" : `/replay?backend=${backend}`);

export const benchUrl = (params: Partial<BenchParams> = {}): string => {
  const query = new URLSearchParams();
  if (params.backend) query.set("backend", params.backend);
  if (params.mode === "replay") {
    const replay = params.replay ?? BENCH_REPLAY_DEFAULTS;
    query.set("mode", "replay");
    query.set("seeds", formatNumberList(replay.seeds));
    query.set("segments", formatNumberList(replay.segments));
    return `/bench?${query.toString().replaceAll("%2C", ",")}`;
  }
  if (params.steps) query.set("steps", String(params.steps));
  if (params.mode !== "compare" && params.protocolId && params.protocolId !== BENCH_DEFAULT_PROTOCOL) query.set("protocol", params.protocolId);
  if (params.mode === "compare") {
    query.set("seeds", String(params.seeds ?? BENCH_DEFAULT_SEEDS));
    query.set("mode", "compare");
  }
  const text = query.toString();
  return text ? `/bench?${text}` : "/bench";
};

export function figureUrl(figure: FigureId, components?: ComponentPair): string {
  const path = `/figures/${figure}`;
  if (figure !== "fig2" || !components || (components[0] === PAPER_COMPONENTS[0] && components[1] === PAPER_COMPONENTS[1])) return path;
  return `${path}?k=${components[0]},${components[1]}`;
}

/** The page of one paper figure or table name ("Fig. 2" → fig2, "Table 1" → table1), or null where there is none. */
export function pageOfFigureName(name: string): FigureId | null {
  const match = /^(Fig\.|Table)\s*(\d+)$/.exec(name.trim());
  if (!match) return null;
  const id = `${match[1] === "Table" ? "table" : "fig"}${match[2]}`;
  return (FIGURE_IDS as readonly string[]).includes(id) ? (id as FigureId) : null;
}

/**
 * The figure pages of a paper figure label, in the label's order: "Fig. 3" → [fig3], "Table 1, Fig. 4" →
 * [table1, fig4] (a protocol can reproduce several of the paper's figures and tables at once).
 */
export function figurePagesOf(figureLabel: string): FigureId[] {
  return figureLabel
    .split(",")
    .map(pageOfFigureName)
    .filter((id): id is FigureId => id !== null);
}

/** The first figure page of a paper figure label ("Fig. 2" → /figures/fig2), or null where there is none. */
export function figurePageOf(figureLabel: string): FigureId | null {
  return figurePagesOf(figureLabel)[0] ?? null;
}

/** How a figure page is named in links: "Fig. 4", "Table 1". */
export const figureName = (figure: FigureId): string => (figure.startsWith("table") ? `Table ${figure.slice(5)}` : `Fig. ${figure.slice(3)}`);

export const RUN_ID = /^run_[0-9a-f-]{36}$/;

/** "cmnist-erm:run_…,cmnist-sd:run_…" → protocol id → run id; malformed pairs are dropped. */
export function parseFig4Runs(value: string | null): ReadonlyMap<string, string> {
  const runs = new Map<string, string>();
  for (const pair of (value ?? "").split(",").slice(0, 20)) {
    const [protocolId, runId] = pair.split(":");
    if (protocolId && runId && PROTOCOL_ID.test(protocolId) && RUN_ID.test(runId)) runs.set(protocolId, runId);
  }
  return runs;
}

/** The Fig. 4 page showing these runs (the newest run for every protocol not listed). */
export function fig4Url(runs: ReadonlyMap<string, string>): string {
  const text = [...runs].map(([protocolId, runId]) => `${protocolId}:${runId}`).join(",");
  return text ? `/figures/fig4?runs=${encodeURIComponent(text).replaceAll("%3A", ":").replaceAll("%2C", ",")}` : "/figures/fig4";
}

// ---- run and compare pages ----------------------------------------------------------------------

/** The most runs one comparison shows (each is a column, a curve and a picture). */
export const COMPARE_MAX_RUNS = 8;

/** What ?runs= named: the run ids to compare, in order, and what was dropped with why. */
export interface CompareRuns {
  readonly ids: readonly string[];
  /** Entries that are not run ids (shown to the reader, never fetched). */
  readonly malformed: readonly string[];
  /** Valid ids beyond COMPARE_MAX_RUNS. */
  readonly dropped: readonly string[];
}

/** "run_a,run_b" → ids in order without repeats, at most COMPARE_MAX_RUNS; malformed entries reported, not fetched. */
export function parseCompareRuns(value: string | null): CompareRuns {
  const ids: string[] = [];
  const malformed: string[] = [];
  const dropped: string[] = [];
  // A bounded read: at most 4 × the maximum entries, each at most 80 characters shown back.
  const entries = (value ?? "").slice(0, 4 * COMPARE_MAX_RUNS * 41).split(",").map((e) => e.trim()).filter((e) => e !== "");
  for (const entry of entries) {
    if (!RUN_ID.test(entry)) {
      if (malformed.length < COMPARE_MAX_RUNS) malformed.push(entry.slice(0, 80));
    }
    else if (ids.includes(entry) || dropped.includes(entry)) continue;
    else if (ids.length < COMPARE_MAX_RUNS) ids.push(entry);
    else dropped.push(entry);
  }
  return { ids, malformed, dropped };
}

/** The comparison of these runs (run ids need no escaping: they are letters, digits, "_" and "-"). */
export function compareUrl(runIds: readonly string[]): string {
  const ids = runIds.filter((id) => RUN_ID.test(id));
  return ids.length ? `/compare?runs=${ids.join(",")}` : "/compare";
}

// ---- boards: the leaderboard's, a board's and a contributor's state in their URLs ----------------

export type SortOrder = "asc" | "desc";
/** How the leaderboard orders protocols: the paper's figure order (grouped by figure), a column, or one metric (`metric:<key>`). */
export const LEADERBOARD_SORTS = ["figure", "title", "runs", "seeds", "contributors"] as const;
export type LeaderboardSort = (typeof LEADERBOARD_SORTS)[number] | `metric:${string}`;
export const SEARCH_MAX_CHARS = 80;

export interface LeaderboardParams {
  /** At most one environment dimension, and the lowest trust level (FacetQuerySchema). */
  readonly facet: FacetQuery;
  readonly sort: LeaderboardSort;
  readonly order: SortOrder;
  /** Words to find in a protocol's title, id or figure ("" for every protocol). */
  readonly q: string;
}

export interface BoardParams {
  readonly facet: FacetQuery;
  readonly sort: BoardSort;
  readonly order: SortOrder;
  /** Runs per page (1 to BOARD_PAGE_MAX). */
  readonly limit: number;
  /** The runs page after this keyset cursor; null: the first page. */
  readonly cursor: string | null;
  /** The cursors of the pages between the first and this one, oldest first: where "Newer" goes back to. */
  readonly prev: readonly string[];
}

/** How many earlier pages a board's URL remembers for "Newer" (past them, "Newer" goes to the first page). */
export const PAGE_TRAIL_MAX = 20;

/** Past the current page: its next cursor becomes the page, the current one joins the trail. */
export const nextPage = (params: BoardParams, nextCursor: string): Partial<BoardParams> => ({
  cursor: nextCursor,
  prev: params.cursor === null ? [] : [...params.prev, params.cursor].slice(-PAGE_TRAIL_MAX),
});

/** Back one page: the trail's last cursor (the first page when the trail is empty). */
export const newerPage = (params: BoardParams): Partial<BoardParams> => ({ cursor: params.prev.at(-1) ?? null, prev: params.prev.slice(0, -1) });

/** A column header's next order: a first click sorts seeds up and times, dates and metrics from the largest; a second click reverses. */
export function nextSortOrder(sort: BoardSort, current: { readonly sort: BoardSort; readonly order: SortOrder }): SortOrder {
  if (current.sort === sort) return current.order === "desc" ? "asc" : "desc";
  return sort === "seed" ? "asc" : "desc";
}

/** Names ascend, counts and metrics descend, unless the URL says otherwise. */
export const defaultLeaderboardOrder = (sort: LeaderboardSort): SortOrder => (sort === "figure" || sort === "title" ? "asc" : "desc");
export const LEADERBOARD_DEFAULTS: LeaderboardParams = { facet: {}, sort: "figure", order: "asc", q: "" };
export const BOARD_DEFAULTS: BoardParams = { facet: {}, sort: "createdAt", order: "desc", limit: BOARD_PAGE_DEFAULT, cursor: null, prev: [] };

const isMetricSort = (sort: string): sort is `metric:${string}` => sort.startsWith("metric:") && BoardSortSchema.safeParse(sort).success;

/**
 * The facet of a page's URL, every value checked with the API's own schema: invalid values are dropped, and of
 * several environment dimensions only the first (in ENVIRONMENT_DIMENSIONS order) is kept, as the API takes one.
 */
export function parseFacetQuery(query: URLSearchParams): FacetQuery {
  const shape = FacetQuerySchema.shape;
  const facet: Record<string, string> = {};
  const dimension = ENVIRONMENT_DIMENSIONS.find((d) => shape[d].safeParse(query.get(d) ?? undefined).success && query.get(d) !== null);
  if (dimension) facet[dimension] = query.get(dimension)!;
  const trust = query.get("trust");
  if (trust !== null && shape.trust.safeParse(trust).success) facet.trust = trust;
  return FacetQuerySchema.parse(facet);
}

/** The applied environment facet as one select value ("backend=webgpu"), "" for none. */
export function facetChoice(facet: FacetQuery): string {
  const dimension = ENVIRONMENT_DIMENSIONS.find((d) => facet[d] !== undefined);
  return dimension ? `${dimension}=${facet[dimension]}` : "";
}

/** The facet with the environment a select value names (none where it is invalid), trust kept. */
export const withFacetChoice = (facet: FacetQuery, choice: string): FacetQuery =>
  parseFacetQuery(new URLSearchParams(`${choice}&${toQueryString([["trust", facet.trust]]).slice(1)}`));

/** The facet with another trust level ("" or an invalid one: none), environment kept. */
export const withTrust = (facet: FacetQuery, trust: string): FacetQuery => parseFacetQuery(new URLSearchParams(`${facetChoice(facet)}&${toQueryString([["trust", trust]]).slice(1)}`));

const parseOrder = (value: string | null, fallback: SortOrder): SortOrder => (value === "asc" || value === "desc" ? value : fallback);
const parseCursor = (value: string | null): string | null => (value !== null && CursorSchema.safeParse(value).success ? value : null);

export function parseLeaderboardParams(query: URLSearchParams): LeaderboardParams {
  const rawSort = query.get("sort") ?? "";
  const sort: LeaderboardSort = (LEADERBOARD_SORTS as readonly string[]).includes(rawSort) || isMetricSort(rawSort) ? (rawSort as LeaderboardSort) : "figure";
  const q = (query.get("q") ?? "").replace(/\s+/g, " ").trim().slice(0, SEARCH_MAX_CHARS);
  return { facet: parseFacetQuery(query), sort, order: parseOrder(query.get("order"), defaultLeaderboardOrder(sort)), q };
}

export function parseBoardParams(query: URLSearchParams): BoardParams {
  const sort = BoardSortSchema.safeParse(query.get("sort") ?? undefined);
  return {
    facet: parseFacetQuery(query),
    sort: sort.success ? sort.data : BOARD_DEFAULTS.sort,
    order: parseOrder(query.get("order"), BOARD_DEFAULTS.order),
    limit: parseBounded(query.get("limit"), BOARD_DEFAULTS.limit, 1, BOARD_PAGE_MAX),
    ...parsePageTrail(query),
  };
}

/** The page's cursor and its trail; a trail without a cursor, or with a malformed entry, is dropped. */
function parsePageTrail(query: URLSearchParams): Pick<BoardParams, "cursor" | "prev"> {
  const cursor = parseCursor(query.get("cursor"));
  const prev = (query.get("prev") ?? "").split(",").filter(Boolean);
  const valid = cursor !== null && prev.length <= PAGE_TRAIL_MAX && prev.every((c) => parseCursor(c) !== null);
  return { cursor, prev: valid ? prev : [] };
}

/** A page's query string, with the ":" of `metric:<key>` left readable. */
const pageQuery = (entries: Parameters<typeof toQueryString>[0]): string => toQueryString(entries).replaceAll("%3A", ":");

/** The leaderboard's address; defaults are left out, so the plain page is plain `/leaderboard`. */
export function leaderboardUrl(params: Partial<LeaderboardParams> = {}): string {
  const { facet, sort, order, q } = { ...LEADERBOARD_DEFAULTS, ...params };
  return `/leaderboard${pageQuery([...facetEntries(facet), ["sort", sort === "figure" ? null : sort], ["order", order === defaultLeaderboardOrder(sort) ? null : order], ["q", q]])}`;
}

/** A protocol's board, with its facet, runs order and page when given (defaults left out). */
export function boardUrl(protocolId: string, params: Partial<BoardParams> = {}): string {
  const { facet, sort, order, limit, cursor, prev } = { ...BOARD_DEFAULTS, ...params };
  const query = pageQuery([
    ...facetEntries(facet),
    ["sort", sort === BOARD_DEFAULTS.sort ? null : sort],
    ["order", order === BOARD_DEFAULTS.order ? null : order],
    ["limit", limit === BOARD_DEFAULTS.limit ? null : limit],
    ["cursor", cursor],
    ["prev", cursor === null ? null : prev.join(",")],
  ]);
  return `/leaderboard/${encodeURIComponent(protocolId)}${query.replaceAll("%2C", ",")}`;
}

export const contributorUrl = (contributorId: string, cursor: string | null = null): string =>
  `/contributors/${encodeURIComponent(contributorId)}${toQueryString([["cursor", cursor]])}`;

