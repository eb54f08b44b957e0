// The GS Lab API as one hono app: routes are mounted under /api; the web client is served as static assets.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./env";
import { apiError } from "./http";
import "./kernels";
import { adminRoutes } from "./routes/admin";
import { apiDocRoutes, docsPolicy } from "./routes/api-docs";
import { contributorRoutes } from "./routes/contributors";
import { datasetRoutes } from "./routes/datasets";
import { explorationRoutes } from "./routes/explorations";
import { exportRoutes } from "./routes/export";
import { leaderboardRoutes } from "./routes/leaderboard";
import { protocolRoutes } from "./routes/protocols";
import { replayRoutes } from "./routes/replays";
import { runEvidenceRoutes } from "./routes/run-evidence";
import { runListingRoutes } from "./routes/run-listing";
import { runRoutes } from "./routes/runs";
import { workunitRoutes } from "./routes/workunits";

export const app = new Hono<AppEnv>()
  // The docs page's own CSP, set after the security headers below (middleware registered first runs last on the way out).
  .use("/api/docs", docsPolicy)
  // API answers are JSON, never a page: nothing in them may load or run anything, or be framed. The HTML and
  // static assets get their headers from web/public/_headers (Cloudflare's asset server applies it). The pages are
  // cross-origin isolated (COOP same-origin, COEP credentialless); the API answers are same-origin resources to them
  // (CORP same-origin) and carry the same COOP and COEP, so an answer opened as a page is isolated as well.
  .use(
    "/api/*",
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      xFrameOptions: "DENY",
      crossOriginEmbedderPolicy: "credentialless",
      crossOriginOpenerPolicy: "same-origin",
      crossOriginResourcePolicy: "same-origin",
    }),
  )
  .route("/api/protocols", protocolRoutes)
  .route("/api/datasets", datasetRoutes)
  .route("/api/workunits", workunitRoutes)
  .route("/api/runs", runListingRoutes)
  .route("/api/runs", runEvidenceRoutes)
  .route("/api/runs", runRoutes)
  .route("/api/replays", replayRoutes)
  .route("/api/leaderboard", leaderboardRoutes)
  .route("/api/explorations", explorationRoutes)
  .route("/api/admin", adminRoutes)
  .route("/api/contributors", contributorRoutes)
  .route("/api/export", exportRoutes)
  .route("/api", apiDocRoutes)
  .notFound((c) => apiError(c, 404, "not_found", `No API route ${c.req.method} ${new URL(c.req.url).pathname}.`))
  .onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) return apiError(c, 400, "malformed", error.message || "The request could not be read.");
    console.error(error);
    return c.json({ error: { reason: "internal", message: "The server failed; nothing was stored. Try again." } }, 500);
  });

export type AppType = typeof app;
