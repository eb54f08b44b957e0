// The zod schemas of every request and response of the GS Lab API, shared by the Worker (which validates
// what it receives) and the web and command-line clients (which build what they send).
import { z } from "zod";
import { normaliseName } from "./names";

export const SEED_MAX = 2 ** 32 - 1;
/** Upper bounds on what a client may send; the Worker enforces them before parsing anything. */
export const LIMITS = {
  // The largest submission is Fig. 3's 5-layer net: 753,501 float32 weights (3 MB) and one trajectory
  // checkpoint of weights and momentum (6 MB); the JSON part adds at most metaBytes (registry test).
  requestBytes: 12 * 1024 * 1024,
  metaBytes: 1024 * 1024,
  contributorChars: 40,
  historyValues: 100_001,
  firstLosses: 100,
  seriesCount: 64,
  seriesValues: 20_000,
} as const;

export const BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export const BackendSchema = z.enum(BACKENDS);
export type Backend = z.infer<typeof BackendSchema>;

export const ProtocolIdSchema = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, "protocol ids are lowercase words joined by '-'");
export const SeedSchema = z.int().min(0).max(SEED_MAX);
const finite = z.number().refine(Number.isFinite, "must be a finite number");
/** A display name, normalised (shared/names.ts) before its length is checked: what is stored, compared and shown. */
const ContributorNameSchema = z.string().transform(normaliseName).pipe(z.string().min(1, "a name needs a visible character").max(LIMITS.contributorChars));
const ContributorKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "a contributor key is 43 base64url characters");

// ---- protocols -------------------------------------------------------------------------------------

export const ClaimCheckSchema = z.object({
  text: z.string(),
  metric: z.string(),
  relation: z.enum(["<", ">"]),
  otherProtocolId: ProtocolIdSchema,
});

const ProtocolBaseSchema = z.object({
  id: ProtocolIdSchema,
  version: z.int().positive(),
  title: z.string(),
  figure: z.string(),
  paperRef: z.string(),
  summary: z.string(),
  codeNote: z.string().optional(),
  seeding: z.enum(["seeds", "deterministic"]),
  claims: z.array(ClaimCheckSchema),
});

const OptimizerSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("sgd"), lr: finite, momentum: finite, weightDecay: finite }),
  z.object({ kind: z.literal("adam"), lr: finite, beta1: finite, beta2: finite, eps: finite }),
]);

export const MoonsProtocolSchema = ProtocolBaseSchema.extend({
  family: z.literal("two-moons"),
  data: z.object({ nSamples: z.int(), noise: finite, margin: finite, rotationDegrees: finite }),
  model: z.object({ layerSizes: z.array(z.int().positive()), dropout: finite.optional(), batchNorm: z.boolean().optional() }),
  training: z.object({ steps: z.int().positive(), optimizer: OptimizerSchema, sdCoef: finite }),
  evidence: z.object({
    replaySteps: z.int().nonnegative(),
    historyEvery: z.int().positive(),
    ntkEvery: z.int().positive().optional(),
    checkpointEvery: z.int().positive().optional(),
    segmentReplay: z.enum(["server", "peers"]).optional(),
  }),
});

export const ToyProtocolSchema = ProtocolBaseSchema.extend({
  family: z.literal("toy-dynamics"),
  toy: z.object({
    solver: z.enum(["dual", "primal-wd", "primal-sd"]),
    s1Values: z.array(finite),
    s2: finite,
    delta: finite,
    C: finite,
    steps: z.int().positive(),
    lr: finite,
    coefficient: finite,
  }),
  evidence: z.object({ trajectoryEvery: z.int().positive() }),
});

const AdamSchema = z.object({ kind: z.literal("adam"), lr: finite, beta1: finite, beta2: finite, eps: finite });
const AccuracyReferenceSchema = z.object({
  train: z.object({ mean: finite, std: finite }),
  test: z.object({ mean: finite, std: finite }),
});
const ProbeReferenceSchema = z.object({ accuracy: finite, entropy: finite });

export const CmnistProtocolSchema = ProtocolBaseSchema.extend({
  family: z.literal("colored-mnist"),
  data: z.object({ trainEnvs: z.tuple([z.literal("train-a"), z.literal("train-b")]), examplesPerEnv: z.int().positive().nullable() }),
  model: z.object({ inputs: z.enum(["colour", "grayscale"]), hidden: z.int().positive() }),
  training: z.discriminatedUnion("method", [
    z.object({ method: z.literal("erm"), steps: z.int().positive(), optimizer: AdamSchema }),
    z.object({ method: z.literal("sd"), steps: z.int().positive(), optimizer: AdamSchema, sdCoef: finite, annealStep: z.int().nonnegative() }),
    z.object({
      method: z.enum(["irm", "rex"]),
      steps: z.int().positive(),
      optimizer: AdamSchema,
      penalty: z.object({ l2: finite, weight: finite, annealStep: z.int().nonnegative() }),
    }),
  ]),
  evidence: z.object({ historyEvery: z.int().positive(), checkpointEvery: z.int().positive().optional() }),
  reference: z.object({
    table1: AccuracyReferenceSchema,
    scriptFooter: AccuracyReferenceSchema.nullable(),
    fig4: z
      .object({ digitGray: ProbeReferenceSchema, digitColoured: ProbeReferenceSchema, blankGray: ProbeReferenceSchema, blankColoured: ProbeReferenceSchema })
      .nullable(),
  }),
  reduced: z.object({ note: z.string(), stepFraction: finite }).optional(),
});

export const ProtocolSchema = z.discriminatedUnion("family", [MoonsProtocolSchema, ToyProtocolSchema, CmnistProtocolSchema]);

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

/**
 * A workunit request: the protocol, and optionally the contributor key the run will be submitted with (open
 * workunits are capped per key and per address), and a Cloudflare Turnstile token where the deployment asks for one.
 */
export const WorkunitRequestSchema = z.strictObject({
  protocolId: ProtocolIdSchema,
  contributorKey: ContributorKeySchema.optional(),
  turnstileToken: z.string().min(1).max(2048).optional(),
});
export type WorkunitRequest = z.infer<typeof WorkunitRequestSchema>;

export const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "malformed token");

export const WorkunitSchema = z.object({
  workunitId: z.string(),
  token: TokenSchema,
  protocolId: ProtocolIdSchema,
  protocolVersion: z.int().positive(),
  seed: SeedSchema,
  expiresAt: z.iso.datetime(),
  /** Where the run's data is served and its SHA-256; null for families whose data is not downloaded. */
  datasetUrl: z.string().nullable(),
  datasetDigest: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
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
  contributor: ContributorNameSchema.optional(),
  /** The contributor's secret key (256 random bits, base64url), kept by their browser or CLI; the server stores only its hash. */
  contributorKey: ContributorKeySchema.optional(),
  claimed: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/, "metric names are letters and digits"), finite.nullable()),
  firstLosses: z.array(finite).max(LIMITS.firstLosses),
  lossHistory: z.array(finite).max(LIMITS.historyValues),
  /** Further evidence a family defines (e.g. NTK feature or toy trajectories), by name. */
  series: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, "series names are letters, digits and _"), z.array(finite).max(LIMITS.seriesValues))
    .refine((series) => Object.keys(series).length <= LIMITS.seriesCount, `at most ${LIMITS.seriesCount} series`)
    .optional(),
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
  "trajectory_mismatch",
  "claims_mismatch",
  "implausible_weights",
] as const;
export const RejectionReasonSchema = z.enum(REJECTION_REASONS);
export type RejectionReason = z.infer<typeof RejectionReasonSchema>;

export const MetricValuesSchema = z.record(z.string(), z.number().nullable());

export const ReplaySummarySchema = z.object({
  segments: z.array(z.int().nonnegative()),
  segmentCount: z.int().positive(),
  /** The largest relative deviation of a replayed segment end from the client's checkpoint (shared/metrics/trajectory.ts). */
  deviation: z.number(),
});
export type ReplaySummary = z.infer<typeof ReplaySummarySchema>;

/** One peer's replay of one of the run's segments, as the run page shows it. */
export const PeerReplaySchema = z.object({
  /** Null while a replayer holds the segment but has not answered. */
  agrees: z.boolean().nullable(),
  deviation: z.number().nullable(),
  backend: BackendSchema.nullable(),
  /** The first 12 hex digits of the replayer's identity; "server" for the Worker's own replay settling a dispute. */
  replayerId: z.string(),
  /** The Worker's own float64 replay of the segment (a dispute it settled itself): its verdict is the segment's. */
  byServer: z.boolean(),
});

export const PeerStatusSchema = z.enum(["pending", "replayed", "refuted"]);

/** Segments replayed by other contributors (protocols with evidence.segmentReplay "peers"; shared/metrics/peer-replay.ts). */
export const PeerReplaySummarySchema = z.object({
  status: PeerStatusSchema,
  segmentCount: z.int().positive(),
  segments: z.array(z.object({ segment: z.int().nonnegative(), outcome: z.enum(["pending", "confirmed", "refuted"]), replays: z.array(PeerReplaySchema) })),
});
export type PeerReplaySummary = z.infer<typeof PeerReplaySummarySchema>;

export const RunRecordSchema = z.object({
  id: z.string(),
  protocolId: ProtocolIdSchema,
  protocolVersion: z.int(),
  seed: SeedSchema,
  status: z.enum(["accepted", "rejected"]),
  reason: RejectionReasonSchema.nullable(),
  message: z.string(),
  contributor: z.string().nullable(),
  /** The first 12 hex digits of the contributor's identity; null when anonymous. */
  contributorId: z.string().nullable(),
  claimed: MetricValuesSchema,
  recomputed: MetricValuesSchema.nullable(),
  environment: EnvironmentSchema,
  trainMs: z.number(),
  createdAt: z.iso.datetime(),
  /** Hidden by an admin: kept and served, not counted on the leaderboard. */
  hidden: z.boolean(),
  /** Trajectory evidence: the segments (0-based) the server replayed between the run's checkpoints, of how many; null when none were. */
  replay: ReplaySummarySchema.nullable(),
  /** Segments handed to other contributors' browsers to replay, and what they found; null for protocols the server replays itself. */
  peerReplay: PeerReplaySummarySchema.nullable(),
  /** Whether the run's evidence is fully checked (shared/metrics/counted.ts): false while peers have not replayed it, when refuted or rejected. */
  counted: z.boolean(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/**
 * What a 403 asks the client to solve before it asks again: POST /api/workunits behind Cloudflare Turnstile names
 * the deployment's public site key, for the browser to render the widget with (worker/routes/workunits.ts).
 */
export const ChallengeSchema = z.strictObject({
  kind: z.literal("turnstile"),
  siteKey: z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, "malformed Turnstile site key"),
});
export type Challenge = z.infer<typeof ChallengeSchema>;

export const ErrorResponseSchema = z.object({
  error: z.object({
    reason: z.union([RejectionReasonSchema, z.enum(["not_found", "internal", "forbidden", "rate_limited", "awaiting_peers", "ambiguous"])]),
    message: z.string(),
    challenge: ChallengeSchema.optional(),
  }),
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
  /** Seeds whose counted runs by two keys with earned standing, from different address blocks, agree (shared/metrics/quorum.ts). */
  reproducedSeeds: z.int(),
  /** Seeds where two earned, cross-block runs disagree: flagged, and left out of `metrics` unless the server verified both in full itself. */
  disputedSeeds: z.int(),
  /** Mean ± population std over the undisputed seeds of the per-seed mean of each metric. */
  metrics: z.record(z.string(), StatSchema.nullable()),
  claims: z.array(ClaimVerdictSchema),
});
export type LeaderboardEntry = z.infer<typeof LeaderboardEntrySchema>;
export const LeaderboardResponseSchema = z.object({ protocols: z.array(LeaderboardEntrySchema) });

/** Per run: pending (peers have not replayed it yet: counted nowhere) < recomputed from the weights < replayed (segments of its trajectory too) < reproduced by a quorum; or disputed. */
export const TrustLevelSchema = z.enum(["pending", "recomputed", "replayed", "reproduced", "disputed"]);

export const RunSummarySchema = z.object({
  id: z.string(),
  seed: SeedSchema,
  contributor: z.string().nullable(),
  /** The first 12 hex digits of the contributor's identity (the hash of their key); null when anonymous. */
  contributorId: z.string().nullable(),
  /** Reproduced or disputed: its seed's quorum; otherwise replayed (trajectory segments replayed) or recomputed. */
  trust: TrustLevelSchema,
  /** Whether the run's evidence is fully checked (shared/metrics/counted.ts): only counted runs are drawn, averaged or picked as "a verified run". */
  counted: z.boolean(),
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

export const SeriesAggregateSchema = z.object({
  name: z.string(),
  /** Seeds averaged (each seed's first accepted run). */
  seeds: z.int(),
  mean: z.array(z.number()),
  std: z.array(z.number()),
});
export type SeriesAggregate = z.infer<typeof SeriesAggregateSchema>;

// ---- playground explorations (saved and shared, never counted) -------------------------------------

export const PlaygroundParamsSchema = z.strictObject({
  margin: z.number().min(-0.5).max(0.5),
  regularizer: z.enum(["none", "weight-decay", "sd"]),
  lambda: z.number().min(0).max(0.1),
  lr: z.number().min(1e-4).max(0.5),
  seed: SeedSchema,
});

export const ExplorationRequestSchema = z.strictObject({
  params: PlaygroundParamsSchema,
  steps: z.int().min(1).max(100_000),
  title: z.string().trim().min(1).max(80).optional(),
  /** The 2-500-1 network's final weights (mlpParams order). */
  weights: z.array(finite).length(2001),
  lossHistory: z.array(finite).max(10_001),
});
export type ExplorationRequest = z.infer<typeof ExplorationRequestSchema>;

export const ExplorationSchema = ExplorationRequestSchema.extend({
  id: z.string(),
  /** Metrics the server computed from the weights. */
  metrics: MetricValuesSchema,
  createdAt: z.iso.datetime(),
});
export type Exploration = z.infer<typeof ExplorationSchema>;

// ---- admin moderation (worker/routes/admin.ts) -----------------------------------------------------

/**
 * Why the admin acts (kept in the log); `contributor` names the display name for contributor actions;
 * `contributorId` the identity for contributor-key actions: the 12 hex digits run records and boards give (contributorId), or the full hash.
 */
export const AdminActionRequestSchema = z.strictObject({
  note: z.string().trim().min(1).max(500),
  contributor: ContributorNameSchema.optional(),
  contributorId: z.string().regex(/^(?:[0-9a-f]{12}|[0-9a-f]{64})$/, "a contributor id is the 12 hex digits a run record gives, or the 64 of the full hash").optional(),
});

export const AdminLogEntrySchema = z.object({
  id: z.int(),
  action: z.enum(["hide-run", "unhide-run", "hide-contributor", "unhide-contributor", "hide-contributor-key", "unhide-contributor-key"]),
  target: z.string(),
  note: z.string(),
  createdAt: z.iso.datetime(),
});
export type AdminLogEntry = z.infer<typeof AdminLogEntrySchema>;
export const AdminLogSchema = z.object({ entries: z.array(AdminLogEntrySchema) });

// ---- replay workunits ------------------------------------------------------------------------------

/** Ask for a segment of someone else's run to replay: replayers need an identity (nobody replays their own run). */
export const ReplayRequestSchema = z.strictObject({
  contributorKey: ContributorKeySchema,
  /** Only these protocols (e.g. the ones this machine can afford); default: any. */
  protocolIds: z.array(ProtocolIdSchema).min(1).max(32).optional(),
});
export type ReplayRequest = z.infer<typeof ReplayRequestSchema>;

export const ReplayWorkunitSchema = z.object({
  replayId: z.string().regex(/^rp_[0-9a-f-]{36}$/),
  token: TokenSchema,
  protocolId: ProtocolIdSchema,
  protocolVersion: z.int().positive(),
  seed: SeedSchema,
  segment: z.int().nonnegative(),
  /** The segment: train from the state before step `from` up to step `to`. */
  from: z.int().nonnegative(),
  to: z.int().positive(),
  /** Segment 0 starts from the seed's initial weights and a fresh optimiser; later ones from the run's checkpoint (GET startUrl with the token). */
  startUrl: z.string().nullable(),
  datasetUrl: z.string(),
  datasetDigest: z.string().regex(/^[0-9a-f]{64}$/),
  expiresAt: z.iso.datetime(),
});
export type ReplayWorkunit = z.infer<typeof ReplayWorkunitSchema>;

/** No segment waiting (none at all, or only the asker's own runs'): replay is null. */
export const ReplayLeaseSchema = z.object({ replay: ReplayWorkunitSchema.nullable(), message: z.string() });

/** The JSON part ("meta") of a replay result; the other part ("state") is the end weights then optimiser state, little-endian float32. */
export const ReplayResultMetaSchema = z.strictObject({
  token: TokenSchema,
  environment: EnvironmentSchema,
  timings: z.strictObject({ trainMs: z.number().nonnegative().max(1e9), steps: z.int().positive() }),
});
export type ReplayResultMeta = z.infer<typeof ReplayResultMetaSchema>;

export const ReplayOutcomeSchema = z.object({
  replayId: z.string(),
  runId: z.string(),
  segment: z.int().nonnegative(),
  agrees: z.boolean(),
  deviation: z.number(),
  tolerance: z.number(),
  segmentOutcome: z.enum(["pending", "confirmed", "refuted"]),
  runStatus: PeerStatusSchema,
  message: z.string(),
});
export type ReplayOutcome = z.infer<typeof ReplayOutcomeSchema>;
