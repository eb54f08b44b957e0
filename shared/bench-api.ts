// The benchmark board's API contract (zod, shared by the Worker and the web client): benchmark workunits, the
// submission of one backend's suite (timings, environment and the computed end states the server checks), and
// the board's reads (grouped results, one result, the cross-backend agreement table).
import { z } from "zod";
import { BackendSchema, EnvironmentSchema, SEED_MAX, TokenSchema } from "./api";
import { BROWSERS, GPU_VENDORS, OPERATING_SYSTEMS } from "./environment-facets";

/** The suite's items: the two-moons step (1 lane, 10 lanes batched), the Colored-MNIST step and the matmul GFLOP/s probe. */
export const BENCH_ITEMS = ["moons-1", "moons-10", "cmnist", "matmul"] as const;
export const BenchItemSchema = z.enum(BENCH_ITEMS);
export type BenchItem = z.infer<typeof BenchItemSchema>;

/** What each item measures and in which unit (higher is better for all three). */
export const BENCH_ITEM_INFO: Readonly<Record<BenchItem, { readonly label: string; readonly short: string; readonly unit: string }>> = {
  "moons-1": { label: "two-moons 2-500-1 full-batch step, 1 lane", short: "moons, 1 lane", unit: "steps/s" },
  "moons-10": { label: "the same step, 10 lanes batched", short: "moons, 10 lanes", unit: "run-steps/s" },
  cmnist: { label: "Colored-MNIST ERM 392-300-300-1 full-batch step, 2 × 250 images (reduced, not the paper's 50,000)", short: "Colored MNIST", unit: "steps/s" },
  matmul: { label: "tfjs matMul probe, 1,024 × 1,024", short: "matmul", unit: "GFLOP/s" },
};

/** The suite's fixed recipe: the two-moons protocol stepped, its lanes, and the matmul probe's size and repeats. */
export const BENCH_SUITE = {
  protocolId: "fig1-margin-pos",
  /** Steps of the two-moons items: the server replays two such segments in float64 (≈ 40 ms of CPU each). */
  steps: 200,
  lanes: 10,
  /** n of the n×n · n×n product: 2n³ = 2.1 GFLOP. */
  matmulSize: 1024,
  /** Timed products after one warm-up; the reported time is their median. */
  matmulRepeats: 3,
  /** The Colored-MNIST item: the ERM network's full-batch step on a reduced set (the server replays it in float64, ≈ 0.6 s of CPU). */
  cmnistProtocolId: "cmnist-erm",
  cmnistImagesPerEnv: 250,
  cmnistSteps: 2,
  /** Operand entries are whole numbers in [-matmulRange, matmulRange], so every product entry is exact in float32 (|c| ≤ n·range² = 16,384 < 2²⁴). */
  matmulRange: 4,
} as const;

/** The most steps a benchmark workunit may ask for (the server's replay bound: two segments of this many steps). */
export const BENCH_MAX_STEPS = 250;

export const BenchWorkunitSchema = z.object({
  id: z.string(),
  token: TokenSchema,
  seed: z.int().min(0).max(SEED_MAX),
  steps: z.int().positive().max(BENCH_MAX_STEPS),
  lanes: z.int().positive(),
  matmulSize: z.int().positive(),
  matmulRepeats: z.int().positive(),
  cmnistImagesPerEnv: z.int().positive(),
  cmnistSteps: z.int().positive(),
  expiresAt: z.string(),
});
export type BenchWorkunit = z.infer<typeof BenchWorkunitSchema>;

const finite = z.number().refine(Number.isFinite, "must be a finite number");
/** A positive duration in milliseconds (at most an hour: longer is no benchmark of these items). */
const DurationMs = finite.refine((ms) => ms > 0 && ms <= 3_600_000, "a duration is more than 0 and at most 3,600,000 ms");
/** Little-endian float32 values, base64 (standard alphabet): one lane's final weights. */
const Float32Base64 = z.string().max(16_384).regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64");
/** The Colored-MNIST network's 208,501 float32 weights, base64. */
const CmnistWeightsBase64 = z.string().max(1_200_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64");

export const BenchSubmissionSchema = z.strictObject({
  workunitId: z.string().max(64),
  token: TokenSchema,
  environment: EnvironmentSchema,
  /** One lane of `steps` steps from the workunit's seed: the wall time and the weights it ended with. */
  moons1: z.strictObject({ elapsedMs: DurationMs, weights: Float32Base64 }),
  /** `lanes` lanes (seeds seed, seed+1, …) batched into one computation: the wall time and every lane's final weights. */
  moons10: z.strictObject({ elapsedMs: DurationMs, weights: z.array(Float32Base64).max(16) }),
  /** The Colored-MNIST item: the wall time of its `cmnistSteps` steps and the weights after them. */
  cmnist: z.strictObject({ elapsedMs: DurationMs, weights: CmnistWeightsBase64 }),
  /** The matmul probe: each timed product's wall time, and Σⱼ Cᵢⱼ² of every row i of the product. */
  matmul: z.strictObject({ elapsedMs: z.array(DurationMs).max(16), rowDigests: z.array(finite).max(4096) }),
});
export type BenchSubmission = z.infer<typeof BenchSubmissionSchema>;

/** Where a result ran, as the board groups it (shared/environment-facets.ts) plus the adapter's own description. */
export const BenchFacetsSchema = z.object({
  backend: BackendSchema,
  gpuVendor: z.enum(GPU_VENDORS),
  gpuArchitecture: z.string().nullable(),
  adapter: z.string().nullable(),
  browser: z.enum(BROWSERS),
  os: z.enum(OPERATING_SYSTEMS),
});
export type BenchFacets = z.infer<typeof BenchFacetsSchema>;

/** Each item's figure in its unit (BENCH_ITEM_INFO). */
export const BenchValuesSchema = z.object({ "moons-1": z.number(), "moons-10": z.number(), cmnist: z.number(), matmul: z.number() });
export type BenchValues = z.infer<typeof BenchValuesSchema>;

/** How far the submitted end states lie from the server's float64 recomputation. */
export const BenchAgreementSchema = z.object({
  /** The 1-lane end state: ‖w − w₆₄‖ / ‖w₆₄ − w₀‖ over the trainable weights (shared/metrics/trajectory.ts). */
  moons1: z.number(),
  /** The same for the lane of the batch the server drew after the upload. */
  moons10: z.number(),
  moons10Lane: z.int().nonnegative(),
  /** The Colored-MNIST end state, in the same measure. */
  cmnist: z.number(),
  /** The largest relative error of the rows of the product the server recomputed. */
  matmul: z.number(),
  matmulRows: z.array(z.int().nonnegative()),
});
export type BenchAgreement = z.infer<typeof BenchAgreementSchema>;

export const BenchResultSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  facets: BenchFacetsSchema,
  tfjsVersion: z.string(),
  userAgent: z.string(),
  values: BenchValuesSchema,
  agreement: BenchAgreementSchema,
  /** The raw timings (ms) the values come from, and the server-observed time between issuing and submitting. */
  timings: z.object({ moons1Ms: z.number(), moons10Ms: z.number(), cmnistMs: z.number(), matmulMs: z.array(z.number()), windowMs: z.number() }),
  steps: z.int(),
  lanes: z.int(),
  matmulSize: z.int(),
});
export type BenchResult = z.infer<typeof BenchResultSchema>;

export const BenchAcceptedSchema = z.object({ id: z.string(), result: BenchResultSchema });

/** The board's filters (every one optional), as the URL and GET /api/benchmarks take them. */
export const BenchQuerySchema = z.object({
  backend: BackendSchema.optional(),
  gpuVendor: z.enum(GPU_VENDORS).optional(),
  gpuArchitecture: z.string().max(32).regex(/^[a-z0-9-]+$/).optional(),
  browser: z.enum(BROWSERS).optional(),
  os: z.enum(OPERATING_SYSTEMS).optional(),
  item: BenchItemSchema.optional(),
});
export type BenchQuery = z.infer<typeof BenchQuerySchema>;

export const BenchStatSchema = z.object({ median: z.number(), p10: z.number(), p90: z.number(), n: z.int() });
export type BenchStat = z.infer<typeof BenchStatSchema>;

export const BenchGroupSchema = z.object({
  facets: BenchFacetsSchema,
  /** Per item (only the filtered one when `item` is set). */
  items: z.partialRecord(BenchItemSchema, BenchStatSchema),
  n: z.int(),
});
export type BenchGroup = z.infer<typeof BenchGroupSchema>;

/** Per backend × GPU vendor: the end states' deviation from the float64 recomputation, per two-moons item. */
export const AgreementRowSchema = z.object({
  backend: BackendSchema,
  gpuVendor: z.enum(GPU_VENDORS),
  item: BenchItemSchema,
  median: z.number(),
  max: z.number(),
  n: z.int(),
});
export type AgreementRow = z.infer<typeof AgreementRowSchema>;

export const BenchListEntrySchema = z.object({ id: z.string(), createdAt: z.string(), facets: BenchFacetsSchema, values: BenchValuesSchema });

export const BenchBoardSchema = z.object({
  groups: z.array(BenchGroupSchema),
  agreement: z.array(AgreementRowSchema),
  /** The newest matching results, each with its page. */
  recent: z.array(BenchListEntrySchema),
  /** How many results the figures come from, and the cap on that (the newest `cap` matching results). */
  rows: z.int(),
  cap: z.int(),
  capped: z.boolean(),
});
export type BenchBoard = z.infer<typeof BenchBoardSchema>;
