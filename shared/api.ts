// The zod schemas of every request and response of the GS Lab API, shared by the Worker (which validates
// what it receives) and the web and command-line clients (which build what they send).
import { z } from "zod";

export const SEED_MAX = 2 ** 32 - 1;
/** Upper bounds on what a client may send; the Worker enforces them before parsing anything. */
export const LIMITS = {
  requestBytes: 2 * 1024 * 1024,
  metaBytes: 1024 * 1024,
  contributorChars: 40,
  historyValues: 100_001,
  firstLosses: 100,
} as const;

export const BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export const BackendSchema = z.enum(BACKENDS);
export type Backend = z.infer<typeof BackendSchema>;

const ProtocolIdSchema = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, "protocol ids are lowercase words joined by '-'");
const SeedSchema = z.int().min(0).max(SEED_MAX);
const finite = z.number().refine(Number.isFinite, "must be a finite number");

// ---- protocols -------------------------------------------------------------------------------------

export const ClaimCheckSchema = z.object({
  text: z.string(),
  metric: z.string(),
  relation: z.enum(["<", ">"]),
  otherProtocolId: ProtocolIdSchema,
});

export const ProtocolSchema = z.object({
  id: ProtocolIdSchema,
  version: z.int().positive(),
  family: z.literal("two-moons"),
  title: z.string(),
  figure: z.string(),
  paperRef: z.string(),
  summary: z.string(),
  codeNote: z.string().optional(),
  data: z.object({ nSamples: z.int(), noise: finite, margin: finite, rotationDegrees: finite }),
  model: z.object({ layerSizes: z.array(z.int().positive()) }),
  training: z.object({
    steps: z.int().positive(),
    optimizer: z.object({ kind: z.literal("sgd"), lr: finite, momentum: finite, weightDecay: finite }),
    sdCoef: finite,
  }),
  evidence: z.object({ replaySteps: z.int().nonnegative(), historyEvery: z.int().positive() }),
  claims: z.array(ClaimCheckSchema),
});

export const MetricDefinitionSchema = z.object({
  key: z.string(),
  label: z.string(),
  description: z.string(),
  tolerance: z.object({ abs: finite, rel: finite }),
  nullable: z.boolean(),
  digits: z.int(),
});

export const ProtocolInfoSchema = z.object({
  protocol: ProtocolSchema,
  metrics: z.array(MetricDefinitionSchema),
  paramCount: z.int(),
});
export const ProtocolsResponseSchema = z.object({ protocols: z.array(ProtocolInfoSchema) });
export type ProtocolInfo = z.infer<typeof ProtocolInfoSchema>;

// ---- datasets --------------------------------------------------------------------------------------

/** Query numbers in one canonical spelling only (no "", "0x10", "1e3", " 5"), so one dataset has one URL. */
const queryInteger = z.string().regex(/^(0|[1-9][0-9]*)$/, "must be a non-negative integer written in decimal digits").transform(Number);
const queryDecimal = z.string().regex(/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/, "must be a decimal number such as -0.1").transform(Number);

export const MoonsDatasetQuerySchema = z.object({
  seed: queryInteger.pipe(SeedSchema),
  margin: queryDecimal.pipe(z.number().min(-1).max(1)).default(0),
  rotation: queryDecimal.pipe(z.number().min(-360).max(360)).default(0),
  raw: z.enum(["0", "1"]).default("0"),
  n: queryInteger.pipe(z.int().min(2).max(5000)).default(300),
  noise: queryDecimal.pipe(z.number().min(0).max(1)).default(0.1),
});

export const MoonsDatasetSchema = z.object({
  seed: SeedSchema,
  margin: finite,
  rotation: finite,
  raw: z.boolean(),
  noise: finite,
  n: z.int(),
  /** Points as [x1, x2]; JSON numbers round-trip float64 exactly. */
  x: z.array(z.tuple([finite, finite])),
  y: z.array(z.union([z.literal(0), z.literal(1)])),
  /** SHA-256 of the canonical bytes (shared/data/digest.ts). */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});
export type MoonsDatasetResponse = z.infer<typeof MoonsDatasetSchema>;

// ---- workunits -------------------------------------------------------------------------------------

export const WorkunitRequestSchema = z.strictObject({ protocolId: ProtocolIdSchema });

export const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "malformed token");

export const WorkunitSchema = z.object({
  workunitId: z.string(),
  token: TokenSchema,
  protocolId: ProtocolIdSchema,
  protocolVersion: z.int().positive(),
  seed: SeedSchema,
  expiresAt: z.iso.datetime(),
  datasetUrl: z.string(),
  datasetDigest: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Workunit = z.infer<typeof WorkunitSchema>;

// ---- run submission --------------------------------------------------------------------------------

export const EnvironmentSchema = z.strictObject({
  backend: BackendSchema,
  tfjsVersion: z.string().max(32),
  client: z.enum(["web", "cli"]),
  adapter: z.string().max(200).optional(),
  userAgent: z.string().max(400),
});
export type Environment = z.infer<typeof EnvironmentSchema>;

/**
 * The JSON part ("meta") of a multipart submission; the other part ("weights") is the final weights as
 * little-endian float32 in mlpParams order.
 */
export const RunMetaSchema = z.strictObject({
  token: TokenSchema,
  protocolId: ProtocolIdSchema,
  protocolVersion: z.int().positive(),
  seed: SeedSchema,
  contributor: z.string().trim().min(1).max(LIMITS.contributorChars).optional(),
  claimed: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/, "metric names are letters and digits"), finite.nullable()),
  firstLosses: z.array(finite).max(LIMITS.firstLosses),
  lossHistory: z.array(finite).max(LIMITS.historyValues),
  environment: EnvironmentSchema,
  timings: z.strictObject({ trainMs: z.number().nonnegative().max(1e9), steps: z.int().positive() }),
});
export type RunMeta = z.infer<typeof RunMetaSchema>;

export const REJECTION_REASONS = [
  "malformed",
  "payload_too_large",
  "unsupported_media_type",
  "unknown_protocol",
  "token_invalid",
  "token_used",
  "token_expired",
  "workunit_mismatch",
  "weights_shape",
  "weights_not_finite",
  "evidence_shape",
  "evidence_mismatch",
  "claims_shape",
  "replay_mismatch",
  "claims_mismatch",
] as const;
export const RejectionReasonSchema = z.enum(REJECTION_REASONS);
export type RejectionReason = z.infer<typeof RejectionReasonSchema>;

const MetricValuesSchema = z.record(z.string(), z.number().nullable());

export const RunRecordSchema = z.object({
  id: z.string(),
  protocolId: ProtocolIdSchema,
  protocolVersion: z.int(),
  seed: SeedSchema,
  status: z.enum(["accepted", "rejected"]),
  reason: RejectionReasonSchema.nullable(),
  message: z.string(),
  contributor: z.string().nullable(),
  claimed: MetricValuesSchema,
  recomputed: MetricValuesSchema.nullable(),
  environment: EnvironmentSchema,
  trainMs: z.number(),
  createdAt: z.iso.datetime(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export const ErrorResponseSchema = z.object({
  error: z.object({ reason: z.union([RejectionReasonSchema, z.enum(["not_found", "internal"])]), message: z.string() }),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

// ---- leaderboard -----------------------------------------------------------------------------------

export const StatSchema = z.object({ mean: z.number(), std: z.number(), n: z.int() });
export type Stat = z.infer<typeof StatSchema>;

export const ClaimVerdictSchema = ClaimCheckSchema.extend({
  value: StatSchema.nullable(),
  other: StatSchema.nullable(),
  /** null until both protocols have verified runs. */
  holds: z.boolean().nullable(),
});

export const LeaderboardEntrySchema = z.object({
  protocolId: ProtocolIdSchema,
  protocolVersion: z.int(),
  title: z.string(),
  figure: z.string(),
  runs: z.int(),
  seeds: z.int(),
  contributors: z.int(),
  /** Mean ± population std over seeds of the per-seed mean of each metric. */
  metrics: z.record(z.string(), StatSchema.nullable()),
  claims: z.array(ClaimVerdictSchema),
});
export type LeaderboardEntry = z.infer<typeof LeaderboardEntrySchema>;
export const LeaderboardResponseSchema = z.object({ protocols: z.array(LeaderboardEntrySchema) });

export const RunSummarySchema = z.object({
  id: z.string(),
  seed: SeedSchema,
  contributor: z.string().nullable(),
  backend: BackendSchema,
  recomputed: MetricValuesSchema,
  trainMs: z.number(),
  createdAt: z.iso.datetime(),
});

export const ProtocolBoardSchema = z.object({
  entry: LeaderboardEntrySchema,
  runs: z.array(RunSummarySchema),
  /** Seed-averaged output on the 100×100 figure grid (mean over seeds of the per-seed mean), or null. */
  boundary: z.object({ seeds: z.int(), grid: z.array(z.number()) }).nullable(),
});
export type ProtocolBoard = z.infer<typeof ProtocolBoardSchema>;
