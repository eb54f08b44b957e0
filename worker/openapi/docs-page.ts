// The API docs page (GET /api/docs): server-rendered from the OpenAPI document — every route with its
// parameters, body and responses, the named schemas, the export columns and the citation. hono's html helper
// escapes every interpolated value; the page has no scripts and loads nothing (its CSP allows inline style only).
import { html } from "hono/html";
import { boardBibtex, EXPORT_COLUMNS, EXPORT_LICENCE, PAPER_BIBTEX } from "../../shared/export-api";
import type { OpenApiDocument } from "./document";

/** The parts of a schema object the page describes. */
interface Schema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly items?: Schema;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly format?: string;
  readonly contentMediaType?: string;
  readonly description?: string;
}
interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly description?: string;
  readonly schema?: Schema;
}
interface Media {
  readonly schema?: Schema;
}
interface Operation {
  readonly tags?: readonly string[];
  readonly summary?: string;
  readonly description?: string;
  readonly security?: readonly Record<string, unknown>[];
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, Media>> };
  readonly responses?: Readonly<Record<string, { readonly description?: string; readonly content?: Readonly<Record<string, Media>> }>>;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** A schema in a few words: its component's name, its enum, or its type and constraints. */
export function schemaLabel(schema: Schema | undefined): string {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").at(-1)!;
  if (schema.enum) return schema.enum.map(String).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" or ") : ((schema.type as string | undefined) ?? "any");
  if (type === "array") return `array of ${schemaLabel(schema.items)}`;
  const details = [
    schema.format,
    schema.contentMediaType,
    schema.pattern && `pattern ${schema.pattern}`,
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.maximum !== undefined && `≤ ${schema.maximum}`,
    schema.default !== undefined && `default ${JSON.stringify(schema.default)}`,
  ].filter((d): d is string => typeof d === "string" && d.length > 0);
  return details.length > 0 ? `${type} (${details.join(", ")})` : type;
}

const anchor = (method: string, path: string): string => `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, "-");

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1f24;overflow-wrap:anywhere}
h1{font-size:1.6rem}h3 code{font-size:1rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccd}h3{font-size:1.05rem;margin:1.8rem 0 .3rem}
code,pre{font:13px/1.4 ui-monospace,monospace}pre{white-space:pre-wrap;background:#f4f5f7;padding:.6rem;border-radius:4px}
.m{display:inline-block;min-width:3.2rem;font-weight:700}.get{color:#0a6b2d}.post{color:#8a4b00}
.t{overflow-x:auto}table{border-collapse:collapse;width:100%;margin:.4rem 0}td,th{border:1px solid #dde;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f4f5f7}nav ul{columns:18rem}details{margin:.3rem 0}summary{cursor:pointer}
`;

function operationSection(path: string, method: string, op: Operation) {
  const params = op.parameters ?? [];
  const body = Object.entries(op.requestBody?.content ?? {});
  const responses = Object.entries(op.responses ?? {});
  return html`<section id="${anchor(method, path)}">
    <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${path}</code></h3>
    <p>${op.summary ?? ""}</p>
    ${op.description ? html`<p>${op.description}</p>` : ""}
    ${op.security?.length ? html`<p>Authorisation: bearer token (${op.security.flatMap((s) => Object.keys(s)).join(", ")}).</p>` : ""}
    ${params.length
      ? html`<div class="t"><table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr>
          ${params.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${p.required ? "yes" : "no"}</td><td><code>${schemaLabel(p.schema)}</code></td><td>${p.description ?? p.schema?.description ?? ""}</td></tr>`)}
        </table></div>`
      : ""}
    ${body.length ? html`<p>Body: ${body.map(([type, media], k) => html`${k > 0 ? ", " : ""}<code>${type}</code> ${schemaLabel(media.schema)}`)}</p>` : ""}
    <div class="t"><table><tr><th>status</th><th>meaning</th><th>content</th></tr>
      ${responses.map(
        ([status, response]) =>
          html`<tr><td>${status}</td><td>${response.description ?? ""}</td><td>${Object.entries(response.content ?? {}).map(([type, media]) => html`<code>${type}</code> ${schemaLabel(media.schema)} `)}</td></tr>`,
      )}
    </table></div>
  </section>`;
}

export function docsPage(document: OpenApiDocument, origin: string, now: Date) {
  const paths = (document.paths ?? {}) as unknown as Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  const operations = Object.entries(paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m]! })));
  const tags = [...new Set(operations.map((o) => o.op.tags?.[0] ?? "other"))];
  const schemas = Object.entries(document.components?.schemas ?? {});
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>GS Lab API</title><style>${STYLE}</style></head>
<body>
<h1>GS Lab API</h1>
<p>${document.info.description ?? ""}</p>
<p>OpenAPI ${document.openapi} document: <a href="/api/openapi.json">/api/openapi.json</a> (generated from the shared zod schemas). ${operations.length} routes.</p>
<nav><ul>${operations.map(({ path, method }) => html`<li><a href="#${anchor(method, path)}">${method.toUpperCase()} ${path}</a></li>`)}</ul></nav>
${tags.map((tag) => html`<h2>${tag}</h2>${operations.filter((o) => (o.op.tags?.[0] ?? "other") === tag).map((o) => operationSection(o.path, o.method, o.op))}`)}
<h2 id="export-columns">Export columns</h2>
<p><code>GET /api/export/runs.csv</code> and <code>runs.json</code> (<code>?protocol=&lt;id&gt;</code>, or every protocol) write these columns, in this order, then one <code>metric_&lt;key&gt;</code> column per metric key.</p>
<div class="t"><table><tr><th>column</th><th>type</th><th>empty?</th><th>meaning</th><th>how computed</th></tr>
${EXPORT_COLUMNS.map((c) => html`<tr><td><code>${c.name}</code></td><td>${c.type}</td><td>${c.nullable ? "may be empty" : "never"}</td><td>${c.description}</td><td>${c.computed}</td></tr>`)}
<tr><td><code>metric_&lt;key&gt;</code></td><td>number</td><td>may be empty</td><td>One per metric key of the protocol (the dump: the union over protocols; <code>GET /api/protocols</code> describes each).</td><td>Recomputed by the server from the run's weights, never the client's claim.</td></tr>
</table></div>
<h2 id="licence">Licence</h2>
<p>${EXPORT_LICENCE.results}</p><p>${EXPORT_LICENCE.mnist}</p>
<h2 id="citation">Citation</h2>
<p>The paper:</p><pre>${PAPER_BIBTEX}</pre>
<p>This board (<code>GET /api/export/citation</code>):</p><pre>${boardBibtex(origin, now)}</pre>
<h2 id="schemas">Schemas</h2>
${schemas.map(([name, schema]) => html`<details id="schema-${name}"><summary><code>${name}</code></summary><pre>${JSON.stringify(schema, null, 2)}</pre></details>`)}
</body></html>`;
}
