// POST /api/workunits: the server assigns a seed for a protocol and hands out a single-use, expiring token.
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { WorkunitRequestSchema, type Workunit } from "../../shared/api";
import { moonsDigest } from "../../shared/data/digest";
import { moonsDatasetPath } from "../../shared/data/moons-url";
import { MNIST_PACK_MANIFEST } from "../../shared/data/mnist-pack-manifest";
import { isMoons, needsMnistPack } from "../../shared/protocols/families";
import { findProtocol } from "../../shared/protocols/registry";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import type { AppEnv } from "../env";
import { apiError, malformedOnFailure } from "../http";
import { rateLimit } from "../rate-limit";
import { insertWorkunitWithSeed } from "../seeds";
import { newToken, tokenHash } from "../tokens";

export const workunitRoutes = new Hono<AppEnv>().post(
  "/",
  rateLimit((env) => env.WORKUNIT_LIMITER, "workunit requests"),
  bodyLimit({ maxSize: 4096, onError: (c) => apiError(c, 413, "payload_too_large", "A workunit request is a small JSON object.") }),
  zValidator("json", WorkunitRequestSchema, malformedOnFailure),
  async (c) => {
  const protocol = findProtocol(c.req.valid("json").protocolId);
  if (!protocol) return apiError(c, 404, "unknown_protocol", "No protocol has that id; GET /api/protocols lists them.");
  const now = Date.now();
  const token = newToken();
  const ttlSeconds = Number(c.env.WORKUNIT_TTL_SECONDS) || 6 * 3600;
  const id = `wu_${crypto.randomUUID()}`;
  const expiresAt = now + ttlSeconds * 1000;
  const seed = await insertWorkunitWithSeed(c.env.DB, protocol.seeding, {
    id,
    tokenHash: await tokenHash(token),
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    createdAt: now,
    expiresAt,
  });
  const body: Workunit = {
    workunitId: id,
    token,
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed,
    expiresAt: new Date(expiresAt).toISOString(),
    ...(isMoons(protocol)
      ? { datasetUrl: moonsDatasetPath(seed, protocol.data), datasetDigest: await moonsDigest(twoMoonsFamily.dataset(protocol, seed)) }
      : needsMnistPack(protocol)
        ? { datasetUrl: MNIST_PACK_MANIFEST.path, datasetDigest: MNIST_PACK_MANIFEST.sha256 }
        : { datasetUrl: null, datasetDigest: null }),
  };
  return c.json(body, 201);
  },
);
