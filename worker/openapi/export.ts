// OpenAPI: the export of verified runs and its citation (worker/routes/export.ts); columns: shared/export-api.ts.
import { z } from "zod";
import { CitationSchema, EXPORT_COLUMNS, ExportDocumentSchema, ExportQuerySchema } from "../../shared/export-api";
import { errors, json, MALFORMED, named, RATE_LIMITED, type Registry } from "./common";

const COLUMNS = `Columns: ${EXPORT_COLUMNS.map((c) => c.name).join(", ")}, then metric_<key> per metric key (the dump: the union over protocols). GET /api/docs describes each.`;
const STREAMED = "Every counted run (accepted, fully checked, not hidden), oldest first, streamed; served as an attachment, cached 60 s.";

export function register(registry: Registry): void {
  const errorsOf = errors({ 400: MALFORMED, 404: "No protocol has that id.", 429: `${RATE_LIMITED} (10 exports a minute per address.)` });
  registry.registerPath({
    method: "get",
    path: "/api/export/runs.csv",
    tags: ["export"],
    summary: "Every verified run as CSV (one protocol, or the dump of all)",
    description: `${STREAMED} RFC 4180 with a header row; a text cell starting with = + - @ tab or CR gets a leading ' (display names are user-supplied). ${COLUMNS}`,
    request: { query: ExportQuerySchema },
    responses: { 200: { description: "text/csv", content: { "text/csv": { schema: z.string() } } }, ...errorsOf },
  });
  registry.registerPath({
    method: "get",
    path: "/api/export/runs.json",
    tags: ["export"],
    summary: "Every verified run as JSON, with its columns, licence and citation",
    description: `${STREAMED} ${COLUMNS}`,
    request: { query: ExportQuerySchema },
    responses: { 200: json("The export.", named("ExportDocument", ExportDocumentSchema)), ...errorsOf },
  });
  registry.registerPath({
    method: "get",
    path: "/api/export/citation",
    tags: ["export"],
    summary: "BibTeX of the paper, and a dated 'cite this board' entry",
    responses: { 200: json("The two entries.", named("Citation", CitationSchema)) },
  });
}
