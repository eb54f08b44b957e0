// The OpenAPI document against the app (worker/openapi/document.test.ts validates it, in Node): it lists exactly
// the routes hono registered — a route missing from the document, or a documented route that does not exist,
// fails here — and GET /api/openapi.json and GET /api/docs serve it.
import { describe, expect, it } from "vitest";
import { EXPORT_COLUMNS } from "../../shared/export-api";
import { app } from "../app";
import { openApiDocument } from "../openapi/document";
import { DOCS_CSP } from "../routes/api-docs";
import { api } from "./helpers";

/** hono's path syntax (":id", ":action{hide|unhide}") as OpenAPI's ("{id}", "{action}"). */
const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");

const registered = (): string[] =>
  [...new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`))].sort();

const documented = (): string[] =>
  Object.entries(openApiDocument().paths ?? {})
    .flatMap(([path, item]) => Object.keys(item ?? {}).filter((k) => ["get", "post", "put", "patch", "delete"].includes(k)).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();

describe("the OpenAPI document", () => {
  it("documents every route the app registers, and no route it does not", () => {
    expect(registered().length).toBeGreaterThan(20);
    expect(documented()).toEqual(registered());
  });

  it("names every path parameter of a route in its parameters", () => {
    for (const [path, item] of Object.entries(openApiDocument().paths ?? {})) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const operation of Object.values(item ?? {}) as { parameters?: { in: string; name: string }[] }[]) {
        const inPath = (operation.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        expect({ path, params: inPath.sort() }).toEqual({ path, params: [...names].sort() });
      }
    }
  });
});

describe("GET /api/openapi.json and GET /api/docs", () => {
  it("serves the document as JSON", async () => {
    const response = await api("/api/openapi.json");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it("serves a page of every route, the export columns and the citation, with a CSP that allows inline style only", async () => {
    const response = await api("/api/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toBe(DOCS_CSP);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const page = await response.text();
    expect(page).not.toMatch(/<script|<link|<img|src=/i);
    for (const route of documented()) {
      const [method, path] = route.split(" ");
      expect(page).toContain(`<span class="m ${method!.toLowerCase()}">${method}</span> <code>${path}</code>`);
    }
    for (const column of EXPORT_COLUMNS) expect(page).toContain(`<code>${column.name}</code>`);
    expect(page).toContain("Gradient Starvation: A Learning Proclivity in Neural Networks");
    expect(page).toContain("http://gs.test/leaderboard");
    // Everything is escaped: the schemas' JSON shows its quotes as entities.
    expect(page).toContain("&quot;type&quot;: &quot;object&quot;");
    // Other API answers keep the strict policy.
    expect((await api("/api/protocols")).headers.get("content-security-policy")).toMatch(/default-src 'none'/);
  });
});
