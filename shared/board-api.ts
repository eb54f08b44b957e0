// The zod schemas of the read side of the API — faceted leaderboard, sorted and paginated boards, the run
// listing, a run's evidence, contributor pages — shared by the Worker (which validates the query) and the web
// client (which builds the URL and reads the answer). Kept apart from api.ts, which holds the write side.
import { z } from "zod";
import { BackendSchema, LeaderboardEntrySchema, MetricValuesSchema, ProtocolIdSchema, RunSummarySchema, SeedSchema, TrustLevelSchema } from "./api";
import { BROWSERS, GPU_VENDORS, OPERATING_SYSTEMS } from "./environment-facets";

// ---- facets ----------------------------------------------------------------------------------------

/** The environment dimensions a board can be narrowed to (shared/environment-facets.ts computes them from a run). */
export const ENVIRONMENT_DIMENSIONS = ["backend", "gpuVendor", "gpuArchitecture", "browser", "os"] as const;
export type EnvironmentDimension = (typeof ENVIRONMENT_DIMENSIONS)[number];

const GpuArchitectureSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "an architecture is a lower-case word");

/**
 * The facet query of the leaderboard, a board and the run listing: at most one environment dimension at a time
 * (the aggregates are kept per single facet value, so a read never scans runs), plus the lowest trust level a
 * seed must have to count. Unknown parameters are refused, not ignored.
 */
export const FacetQuerySchema = z
  .object({
    backend: BackendSchema.optional(),
    gpuVendor: z.enum(GPU_VENDORS).optional(),
    gpuArchitecture: GpuArchitectureSchema.optional(),
    browser: z.enum(BROWSERS).optional(),
    os: z.enum(OPERATING_SYSTEMS).optional(),
    /** "replayed": only seeds whose runs had trajectory segments replayed or better; "reproduced": only quorum-reproduced seeds. */
    trust: z.enum(["replayed", "reproduced"]).optional(),
  })
  .refine((q) => ENVIRONMENT_DIMENSIONS.filter((d) => q[d] !== undefined).length <= 1, "narrow by one of backend, gpuVendor, gpuArchitecture, browser, os at a time");
export type FacetQuery = z.infer<typeof FacetQuerySchema>;

/** The facet a response was computed for; null: all counted runs. */
export const AppliedFacetSchema = z.object({ dimension: z.enum(ENVIRONMENT_DIMENSIONS), value: z.string() }).nullable();

/** GET /api/leaderboard?backend=webgpu&trust=reproduced */
export const FacetedLeaderboardSchema = z.object({
  facet: AppliedFacetSchema,
  trust: z.enum(["replayed", "reproduced"]).nullable(),
  protocols: z.array(LeaderboardEntrySchema),
  /** Increases with every write that changes any aggregate: the ETag is built from it. */
  version: z.int().nonnegative(),
});
export type FacetedLeaderboard = z.infer<typeof FacetedLeaderboardSchema>;

/** GET /api/leaderboard/facets: every value each dimension takes among counted runs, with its run count. */
export const FacetCountsSchema = z.object({
  dimensions: z.record(z.enum(ENVIRONMENT_DIMENSIONS), z.array(z.object({ value: z.string(), runs: z.int().nonnegative() }))),
  version: z.int().nonnegative(),
});
export type FacetCounts = z.infer<typeof FacetCountsSchema>;

// ---- a protocol's board ----------------------------------------------------------------------------

export const BOARD_PAGE_MAX = 100;
export const BOARD_PAGE_DEFAULT = 50;
/** A board's runs sort by submission time, seed, training time or one of the protocol's metrics (`metric:<key>`). */
export const BoardSortSchema = z.union([z.enum(["createdAt", "seed", "trainMs"]), z.string().regex(/^metric:[A-Za-z][A-Za-z0-9]{0,31}$/)]);
export type BoardSort = z.infer<typeof BoardSortSchema>;
/** An opaque keyset cursor (base64url of the last row's sort key and id): stable under inserts, never an offset. */
export const CursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "malformed cursor");

export const BoardQuerySchema = FacetQuerySchema.and(
  z.object({
    sort: BoardSortSchema.default("createdAt"),
    order: z.enum(["asc", "desc"]).default("desc"),
    limit: z.coerce.number().int().min(1).max(BOARD_PAGE_MAX).default(BOARD_PAGE_DEFAULT),
    cursor: CursorSchema.optional(),
  }),
);
export type BoardQuery = z.infer<typeof BoardQuerySchema>;

/** One seed's point in the per-seed distribution: the mean of its counted runs for each metric (null: none recorded). */
export const SeedPointSchema = z.object({
  seed: SeedSchema,
  runs: z.int().positive(),
  trust: TrustLevelSchema,
  /** Left out of the protocol's mean ± std (a dispute the server did not settle). */
  excluded: z.boolean(),
  means: MetricValuesSchema,
});
export type SeedPoint = z.infer<typeof SeedPointSchema>;

/** GET /api/leaderboard/:protocolId?sort=&order=&limit=&cursor=&<facet> */
export const BoardPageSchema = z.object({
  entry: LeaderboardEntrySchema,
  facet: AppliedFacetSchema,
  /** Every seed of the (faceted) aggregate, lowest seed first, at most SEED_POINTS_MAX of them. */
  seeds: z.array(SeedPointSchema),
  seedsTruncated: z.boolean(),
  runs: z.array(RunSummarySchema),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: CursorSchema.nullable(),
  /** Seed-averaged output on the 100×100 figure grid, or null. */
  boundary: z.object({ seeds: z.int(), grid: z.array(z.number()) }).nullable(),
  version: z.int().nonnegative(),
});
export type BoardPage = z.infer<typeof BoardPageSchema>;
export const SEED_POINTS_MAX = 1000;

// ---- the run listing (GET /api/runs) ---------------------------------------------------------------

export const RUNS_PAGE_MAX = 200;
export const RunsQuerySchema = FacetQuerySchema.and(
  z.object({
    protocol: ProtocolIdSchema.optional(),
    /** The public contributor id: the first 12 hex digits of the key's hash. */
    contributor: z.string().regex(/^[0-9a-f]{12}$/, "a contributor id is 12 hex digits").optional(),
    seed: z.coerce.number().pipe(SeedSchema).optional(),
    /** Counted runs only (default), or every accepted run including pending and refuted ones. */
    counted: z.enum(["true", "false"]).default("true"),
    since: z.iso.datetime().optional(),
    until: z.iso.datetime().optional(),
    limit: z.coerce.number().int().min(1).max(RUNS_PAGE_MAX).default(50),
    cursor: CursorSchema.optional(),
  }),
);
export type RunsQuery = z.infer<typeof RunsQuerySchema>;

/** A listed run: its summary plus its protocol and where it ran. */
export const ListedRunSchema = RunSummarySchema.extend({
  protocolId: ProtocolIdSchema,
  protocolVersion: z.int(),
  gpuVendor: z.enum(GPU_VENDORS),
  gpuArchitecture: z.string().nullable(),
  browser: z.enum(BROWSERS),
  os: z.enum(OPERATING_SYSTEMS),
});
export type ListedRun = z.infer<typeof ListedRunSchema>;
export const RunsPageSchema = z.object({ runs: z.array(ListedRunSchema), nextCursor: CursorSchema.nullable() });
export type RunsPage = z.infer<typeof RunsPageSchema>;

// ---- a run's evidence and a contributor's page -----------------------------------------------------

/** GET /api/runs/:id/evidence: what the run recorded while training (withheld while peers replay it, like its weights). */
export const RunEvidenceSchema = z.object({
  firstLosses: z.array(z.number()),
  lossHistory: z.array(z.number()),
  series: z.record(z.string(), z.array(z.number())),
  timings: z.object({ trainMs: z.number(), steps: z.int() }),
  /**
   * Lists longer than EVIDENCE_POINTS_MAX are thinned to every k-th value plus the last: k per thinned list
   * ("firstLosses", "lossHistory" or "series.<name>"). Absent when nothing was thinned (no protocol's honest evidence is that long).
   */
  sampledEvery: z.record(z.string(), z.int().positive()).optional(),
});
export const EVIDENCE_POINTS_MAX = 2000;
export type RunEvidence = z.infer<typeof RunEvidenceSchema>;

/** GET /api/contributors/:id (the 12-hex public id): a key's record — never looked up by display name. */
export const ContributorPageSchema = z.object({
  contributorId: z.string(),
  /** The display names this key submitted under, most recent first (anyone can type any name; the key is the identity). */
  names: z.array(z.string()),
  runs: z.object({ counted: z.int(), pending: z.int(), refuted: z.int(), rejected: z.int() }),
  standing: z.object({ serverVerifiedRuns: z.int(), weight: z.number(), suspect: z.boolean(), hidden: z.boolean() }),
  replays: z.object({ answered: z.int(), agreed: z.int(), outvoted: z.int() }),
  firstSeen: z.iso.datetime().nullable(),
  lastSeen: z.iso.datetime().nullable(),
});
export type ContributorPage = z.infer<typeof ContributorPageSchema>;

// ---- rebuilding the aggregates (admin) -------------------------------------------------------------

/** POST /api/admin/aggregates/rebuild: `start` marks every seed and key for refresh first. */
export const RebuildRequestSchema = z.strictObject({ start: z.boolean().default(false) });
/** What is left to refresh after the call: call again until both are 0. */
export const RebuildProgressSchema = z.object({ dirtySeeds: z.int().nonnegative(), staleStandings: z.int().nonnegative(), version: z.int().nonnegative() });
export type RebuildProgress = z.infer<typeof RebuildProgressSchema>;
