// The export of verified runs (GET /api/export/runs.csv and runs.json) and its citation: the columns, defined
// once here and used by the Worker's CSV and JSON writers, the API docs page and the tests; the licence text;
// the BibTeX of the paper and of the board itself.
import { z } from "zod";
import { ProtocolIdSchema } from "./api";
import { MNIST_PACK_MANIFEST } from "./data/mnist-pack-manifest";

export type ExportColumnType = "string" | "integer" | "number" | "datetime" | "url";

export interface ExportColumn {
  readonly name: string;
  readonly type: ExportColumnType;
  /** Whether the cell may be empty (CSV) or null (JSON). */
  readonly nullable: boolean;
  readonly description: string;
  /** Where the value comes from. */
  readonly computed: string;
}

/** The fixed columns, in order; the metric columns (metricColumn) follow them. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { name: "run_id", type: "string", nullable: false, description: "The run's id.", computed: "Assigned by the server when it stored the run (run_<uuid>)." },
  { name: "protocol_id", type: "string", nullable: false, description: "The frozen protocol the run followed (GET /api/protocols).", computed: "From the workunit the server issued." },
  { name: "protocol_version", type: "integer", nullable: false, description: "The protocol's version; a changed recipe is a new version.", computed: "From the workunit the server issued." },
  { name: "seed", type: "integer", nullable: false, description: "The seed of the data, the initial weights and every shuffle.", computed: "Chosen by the server in the workunit; never by the contributor." },
  {
    name: "trust",
    type: "string",
    nullable: false,
    description: "The run's own evidence level: replayed (segments of its training trajectory were replayed, by the server or by peers) or recomputed (its metrics were recomputed from its weights). A seed's quorum (reproduced or disputed) is shown on the protocol's board.",
    computed: "From the server's trajectory replay and the peers' replay verdicts.",
  },
  { name: "backend", type: "string", nullable: false, description: "The tfjs backend it trained on: webgpu, webgl, wasm or cpu.", computed: "As the client reported it." },
  { name: "gpu_vendor", type: "string", nullable: false, description: "The GPU vendor (none for CPU backends, software for SwiftShader and other software adapters).", computed: "Parsed from the reported adapter string (shared/environment-facets.ts)." },
  { name: "gpu_architecture", type: "string", nullable: true, description: "The WebGPU adapter's architecture word (e.g. ampere), where the adapter names one.", computed: "Parsed from the reported adapter string." },
  { name: "browser", type: "string", nullable: false, description: "The browser (node for the command-line client).", computed: "Parsed from the reported user agent." },
  { name: "os", type: "string", nullable: false, description: "The operating system.", computed: "Parsed from the reported user agent." },
  {
    name: "contributor_id",
    type: "string",
    nullable: true,
    description: "The contributor's public id: the first 12 hex digits of the hash of their secret key (GET /api/contributors/{id}). Empty for anonymous runs.",
    computed: "The server hashes the key sent with the run; the key is never stored.",
  },
  { name: "display_name", type: "string", nullable: true, description: "The display name sent with the run. Anyone can type any name: the contributor_id is the identity.", computed: "As submitted (normalised); user-supplied text." },
  { name: "train_ms", type: "integer", nullable: false, description: "Training time in milliseconds, as the client measured it.", computed: "As the client reported it (not verified)." },
  { name: "created_at", type: "datetime", nullable: false, description: "When the server stored the run (ISO 8601, UTC).", computed: "The server's clock." },
  { name: "run_url", type: "url", nullable: false, description: "The run's page.", computed: "This deployment's origin + /runs/{run_id}." },
  { name: "weights_url", type: "url", nullable: false, description: "The run's final weights, little-endian float32 (GET /api/runs/{id}/weights).", computed: "This deployment's origin + /api/runs/{run_id}/weights." },
];

/** The column of a metric: the value the server recomputed from the run's weights. */
export const metricColumn = (key: string): ExportColumn => ({
  name: `metric_${key}`,
  type: "number",
  nullable: true,
  description: `The metric ${key} (GET /api/protocols names and describes it).`,
  computed: "Recomputed by the server from the run's submitted weights on its own copy of the data (never the client's claim).",
});

/** Every column of an export whose protocols record these metric keys: the fixed columns, then one per metric. */
export const exportColumns = (metricKeys: readonly string[]): ExportColumn[] => [...EXPORT_COLUMNS, ...metricKeys.map(metricColumn)];

/** One exported run: column name → value (null: empty). */
export type ExportRow = Readonly<Record<string, string | number | null>>;

export const GS_LAB_TERMS =
  "GS Lab results (this export: run ids, seeds, metrics the server recomputed, environments, contributor public ids and display names) are offered under the Creative Commons Attribution 4.0 International licence (CC BY 4.0): reuse them freely, citing the board (citation.board) and the paper (citation.bibtex).";

export const EXPORT_LICENCE = {
  results: GS_LAB_TERMS,
  mnist: MNIST_PACK_MANIFEST.terms,
} as const;

/** The paper GS Lab reproduces. */
export const PAPER_BIBTEX = `@inproceedings{pezeshki2021gradient,
  title     = {Gradient Starvation: A Learning Proclivity in Neural Networks},
  author    = {Pezeshki, Mohammad and Kaba, S{\\'e}kou-Oumar and Bengio, Yoshua and Courville, Aaron and Precup, Doina and Lajoie, Guillaume},
  booktitle = {Advances in Neural Information Processing Systems},
  volume    = {34},
  year      = {2021},
  eprint    = {2011.09468},
  archivePrefix = {arXiv},
  url       = {https://arxiv.org/abs/2011.09468}
}`;

/** "Cite this board": a @misc entry with the day it was read and the deployment's URL. */
export function boardBibtex(origin: string, at: Date): string {
  const day = at.toISOString().slice(0, 10);
  const key = `gslab${day.replaceAll("-", "")}`;
  return `@misc{${key},
  title        = {{GS Lab}: crowd-reproduced, server-verified results of \`\`Gradient Starvation''},
  howpublished = {\\url{${origin}/leaderboard}},
  note         = {Leaderboard of verified runs, accessed ${day}. Export: ${origin}/api/export/runs.json},
  year         = {${day.slice(0, 4)}}
}`;
}

export const CitationSchema = z.object({ bibtex: z.string(), board: z.string() });
export type Citation = z.infer<typeof CitationSchema>;

/** GET /api/export/runs.{csv,json}?protocol=<id>: one protocol's runs, or every protocol's (the one dump). */
export const ExportQuerySchema = z.strictObject({ protocol: ProtocolIdSchema.optional() });

const ExportColumnSchema = z.object({
  name: z.string(),
  type: z.enum(["string", "integer", "number", "datetime", "url"]),
  nullable: z.boolean(),
  description: z.string(),
  computed: z.string(),
});

/** The JSON export (streamed by the Worker in this field order). */
export const ExportDocumentSchema = z.object({
  /** The protocol exported; null for the dump of every protocol. */
  protocol: ProtocolIdSchema.nullable(),
  columns: z.array(ExportColumnSchema),
  /** The metric keys of the metric columns (in the dump, the union over the protocols). */
  metricKeys: z.array(z.string()),
  licence: z.object({ results: z.string(), mnist: z.string() }),
  citation: CitationSchema,
  generatedAt: z.iso.datetime(),
  runs: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
});
export type ExportDocument = z.infer<typeof ExportDocumentSchema>;
