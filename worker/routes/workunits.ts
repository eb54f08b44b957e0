// POST /api/workunits: the server assigns a seed for a protocol and hands out a single-use, expiring token.
import { zValidator } from "@hono/zod-validator";
import { and, count, eq, gt, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { WorkunitRequestSchema, type Workunit } from "../../shared/api";
import { moonsDigest } from "../../shared/data/digest";
import { moonsDatasetPath } from "../../shared/data/moons-url";
import { familyOf } from "../../shared/protocols/families";
import { findProtocol } from "../../shared/protocols/registry";
import { database } from "../db/client";
import { runs, workunits } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError, malformedOnFailure } from "../http";
import { chooseSeed, type SeedLoad } from "../seeds";
import { newToken, tokenHash } from "../tokens";

export const workunitRoutes = new Hono<AppEnv>().post("/", zValidator("json", WorkunitRequestSchema, malformedOnFailure), async (c) => {
  const protocol = findProtocol(c.req.valid("json").protocolId);
  if (!protocol) return apiError(c, 404, "unknown_protocol", "No protocol has that id; GET /api/protocols lists them.");
  const db = database(c.env.DB);
  const now = Date.now();
  const sameProtocol = (table: typeof runs | typeof workunits) =>
    and(eq(table.protocolId, protocol.id), eq(table.protocolVersion, protocol.version));
  const [acceptedRows, pendingRows] = await Promise.all([
    db.select({ seed: runs.seed, n: count() }).from(runs).where(and(sameProtocol(runs), eq(runs.status, "accepted"))).groupBy(runs.seed),
    db
      .select({ seed: workunits.seed, n: count() })
      .from(workunits)
      .where(and(sameProtocol(workunits), isNull(workunits.consumedAt), gt(workunits.expiresAt, now)))
      .groupBy(workunits.seed),
  ]);
  const load = new Map<number, SeedLoad>();
  for (const row of acceptedRows) load.set(row.seed, { accepted: row.n, pending: 0 });
  for (const row of pendingRows) load.set(row.seed, { accepted: load.get(row.seed)?.accepted ?? 0, pending: row.n });
  const seed = chooseSeed(load);

  const token = newToken();
  const ttlSeconds = Number(c.env.WORKUNIT_TTL_SECONDS) || 6 * 3600;
  const id = `wu_${crypto.randomUUID()}`;
  const expiresAt = now + ttlSeconds * 1000;
  await db.insert(workunits).values({
    id,
    tokenHash: await tokenHash(token),
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed,
    createdAt: now,
    expiresAt,
  });
  const data = familyOf(protocol).dataset(protocol, seed);
  const body: Workunit = {
    workunitId: id,
    token,
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed,
    expiresAt: new Date(expiresAt).toISOString(),
    datasetUrl: moonsDatasetPath(seed, protocol.data),
    datasetDigest: await moonsDigest(data),
  };
  return c.json(body, 201);
});
