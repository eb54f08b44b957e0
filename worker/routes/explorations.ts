// POST /api/explorations (save a playground run: the server recomputes its metrics from the weights) and
// GET /api/explorations/:id (share it). Explorations are never counted on the leaderboard.
import { zValidator } from "@hono/zod-validator";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ExplorationRequestSchema, type Exploration } from "../../shared/api";
import { evaluateMoons } from "../../shared/metrics/two-moons";
import { decodeFloat32, encodeFloat32 } from "../../shared/nn/float32-codec";
import { playgroundProtocol } from "../../shared/protocols/playground";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import { database } from "../db/client";
import { explorations } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError, malformedOnFailure } from "../http";
import { rateLimit } from "../rate-limit";

const EXPLORATION_ID = /^ex_[0-9a-f-]{36}$/;
const weightsKey = (id: string): string => `explorations/${id}/weights.f32`;
const historyKey = (id: string): string => `explorations/${id}/loss-history.json`;

export const explorationRoutes = new Hono<AppEnv>()
  .post(
    "/",
    rateLimit((env) => env.SUBMIT_LIMITER, "saved explorations"),
    bodyLimit({ maxSize: 512 * 1024, onError: (c) => apiError(c, 413, "payload_too_large", "An exploration may be at most 512 KiB.") }),
    zValidator("json", ExplorationRequestSchema, malformedOnFailure),
    async (c) => {
      const request = c.req.valid("json");
      const protocol = playgroundProtocol(request.params, request.steps);
      const weights = Float32Array.from(request.weights);
      if (weights.some((w) => !Number.isFinite(w))) return apiError(c, 400, "weights_not_finite", "Every weight must be a finite float32.");
      const { metrics } = evaluateMoons(protocol, twoMoonsFamily.dataset(protocol, request.params.seed), weights);
      const id = `ex_${crypto.randomUUID()}`;
      const createdAt = Date.now();
      await Promise.all([
        c.env.ARTIFACTS.put(weightsKey(id), encodeFloat32(weights)),
        c.env.ARTIFACTS.put(historyKey(id), JSON.stringify(request.lossHistory)),
      ]);
      await database(c.env.DB)
        .insert(explorations)
        .values({ id, title: request.title ?? null, params: JSON.stringify(request.params), steps: request.steps, metrics: JSON.stringify(metrics), createdAt });
      const body: Exploration = { ...request, weights: Array.from(weights), id, metrics: { ...metrics }, createdAt: new Date(createdAt).toISOString() };
      return c.json(body, 201);
    },
  )
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    if (!EXPLORATION_ID.test(id)) return apiError(c, 404, "not_found", "No exploration has that id.");
    const [row] = await database(c.env.DB).select().from(explorations).where(eq(explorations.id, id)).limit(1);
    const [weights, history] = row ? await Promise.all([c.env.ARTIFACTS.get(weightsKey(id)), c.env.ARTIFACTS.get(historyKey(id))]) : [null, null];
    if (!row || !weights || !history) return apiError(c, 404, "not_found", "No exploration has that id.");
    const body: Exploration = {
      id,
      ...(row.title ? { title: row.title } : {}),
      params: JSON.parse(row.params) as Exploration["params"],
      steps: row.steps,
      weights: Array.from(decodeFloat32(new Uint8Array(await weights.arrayBuffer())) ?? []),
      lossHistory: JSON.parse(await history.text()) as number[],
      metrics: JSON.parse(row.metrics) as Exploration["metrics"],
      createdAt: new Date(row.createdAt).toISOString(),
    };
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    return c.json(body);
  });
