// GET /api/openapi.json (the OpenAPI 3.1 document, worker/openapi/document.ts) and GET /api/docs (the page
// rendered from it). The page is the one API answer that is HTML: docsPolicy gives it its own CSP (inline
// style, nothing else), over the `default-src 'none'` of every other /api answer.
import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { docsPage } from "../openapi/docs-page";
import { openApiDocument } from "../openapi/document";

export const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Mounted before the /api/* security headers, so it runs after them and sets the page's own policy. */
export const docsPolicy: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.res.headers.get("content-type")?.startsWith("text/html")) c.res.headers.set("Content-Security-Policy", DOCS_CSP);
};

export const apiDocRoutes = new Hono<AppEnv>()
  .get("/openapi.json", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(openApiDocument());
  })
  .get("/docs", async (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.html(await docsPage(openApiDocument(), new URL(c.req.url).origin, new Date()));
  });
