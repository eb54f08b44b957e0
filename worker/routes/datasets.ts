// GET /api/datasets/moons: the exact two-moons points of a seed (sklearn's make_moons, then the paper's
// transform unless raw=1), with their content hash. Deterministic, so cached forever.
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { MoonsDatasetQuerySchema, type MoonsDatasetResponse } from "../../shared/api";
import { moonsDigest } from "../../shared/data/digest";
import { makeMoons, transformMoons } from "../../shared/data/moons";
import type { AppEnv } from "../env";
import { malformedOnFailure } from "../http";

export const datasetRoutes = new Hono<AppEnv>().get("/moons", zValidator("query", MoonsDatasetQuerySchema, malformedOnFailure), async (c) => {
  const { seed, margin, rotation, raw, n, noise } = c.req.valid("query");
  const rawData = makeMoons(n, noise, seed);
  const data = raw === "1" ? rawData : transformMoons(rawData, { margin, rotationDegrees: rotation });
  const body: MoonsDatasetResponse = {
    seed,
    margin,
    rotation,
    raw: raw === "1",
    noise,
    n: data.n,
    x: Array.from({ length: data.n }, (_, i) => [data.x[2 * i]!, data.x[2 * i + 1]!] as [number, number]),
    y: Array.from(data.y, (label) => (label === 1 ? 1 : 0)),
    digest: await moonsDigest(data),
  };
  c.header("Cache-Control", "public, max-age=31536000, immutable");
  return c.json(body);
});
