// OpenAPI: the document itself and its readable page (worker/routes/api-docs.ts).
import { z } from "zod";
import type { Registry } from "./common";

export function register(registry: Registry): void {
  registry.registerPath({
    method: "get",
    path: "/api/openapi.json",
    tags: ["docs"],
    summary: "This OpenAPI 3.1 document, generated from the shared zod schemas",
    responses: { 200: { description: "The document.", content: { "application/json": { schema: z.object({}).catchall(z.unknown()) } } } },
  });
  registry.registerPath({
    method: "get",
    path: "/api/docs",
    tags: ["docs"],
    summary: "The API documentation as a page: every route, the export columns, the citation",
    responses: { 200: { description: "HTML, no scripts.", content: { "text/html": { schema: z.string() } } } },
  });
}
