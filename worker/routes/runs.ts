// POST /api/runs (a submission: verified before it is stored), GET /api/runs/:id and GET /api/runs/:id/weights
// (a verified run's final weights, little-endian float32).
import { and, eq, isNull } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { LIMITS, RunMetaSchema, type RunMeta } from "../../shared/api";
import { needsMnistPack } from "../../shared/protocols/families";
import { findProtocol } from "../../shared/protocols/registry";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import { sha256Hex } from "../../shared/data/digest";
import { database, type Database } from "../db/client";
import { runs, workunits } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError } from "../http";
import { workerMnistPack } from "../mnist-pack";
import { rateLimit } from "../rate-limit";
import { toRunRecord } from "../run-record";
import { artifactKeys } from "../storage";
import { tokenHash } from "../tokens";
import { verifySubmission } from "../../shared/metrics/verify-run";

const RUN_ID = /^run_[0-9a-f-]{36}$/;

type Parsed = { ok: true; meta: RunMeta; metaText: string; weights: Uint8Array } | { ok: false; status: 400 | 413; message: string };

/** Reads the two parts of a submission and validates the JSON one against the shared schema. */
async function readSubmission(request: Request): Promise<Parsed> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return { ok: false, status: 400, message: "The body is not valid multipart/form-data." };
  }
  const metaPart = form.get("meta");
  const weightsPart = form.get("weights");
  if (typeof metaPart !== "string" || weightsPart === null || typeof weightsPart === "string") {
    return { ok: false, status: 400, message: "Expected two parts: 'meta' (JSON text) and 'weights' (a binary file of little-endian float32)." };
  }
  if (metaPart.length > LIMITS.metaBytes) {
    return { ok: false, status: 413, message: `The 'meta' part may be at most ${LIMITS.metaBytes} bytes.` };
  }
  let json: unknown;
  try {
    // Object keys that JavaScript treats specially would be dropped silently by validation: refuse them.
    json = JSON.parse(metaPart, (key, value: unknown) => {
      if (key === "__proto__") throw new SyntaxError("a key named __proto__");
      return value;
    });
  } catch (error) {
    return { ok: false, status: 400, message: `The 'meta' part is not valid JSON (${(error as Error).message}).` };
  }
  const meta = RunMetaSchema.safeParse(json);
  if (!meta.success) {
    const details = meta.error.issues.map((i) => `${i.path.map(String).join(".") || "meta"}: ${i.message}`).join("; ");
    return { ok: false, status: 400, message: `The 'meta' part does not match the submission schema. ${details}` };
  }
  return { ok: true, meta: meta.data, metaText: metaPart, weights: new Uint8Array(await weightsPart.arrayBuffer()) };
}

/** A contributor's identity: the hash of their secret key (the key itself is never stored or shown). */
const contributorIdentity = (key: string): Promise<string> => sha256Hex(new TextEncoder().encode(`gs-lab contributor v1:${key}`));

/** SHA-256 of a submission's two parts: the same body sent twice has the same digest. */
async function submissionDigest(metaText: string, weights: Uint8Array): Promise<string> {
  const metaBytes = new TextEncoder().encode(metaText);
  const body = new Uint8Array(metaBytes.byteLength + 1 + weights.byteLength);
  body.set(metaBytes);
  body.set(weights, metaBytes.byteLength + 1);
  return sha256Hex(body);
}

/**
 * A retried submission (a lost response, a double click): the same body for an already used token gets the
 * stored run back, with its original status and `Idempotent-Replay: true`, and nothing is stored again.
 * Another body for a used token is a replayed token: null, and the caller answers 409.
 */
async function idempotentReplay(db: Database, workunitId: string, digest: string): Promise<Response | null> {
  const [stored] = await db.select().from(runs).where(eq(runs.workunitId, workunitId)).limit(1);
  if (!stored || stored.submissionDigest !== digest) return null;
  return Response.json(toRunRecord(stored), { status: stored.status === "accepted" ? 201 : 422, headers: { "Idempotent-Replay": "true" } });
}

const tokenUsed = (c: Context<AppEnv>) => apiError(c, 409, "token_used", "This workunit's token has already been used for a submission; ask for a new workunit.");

const isUniqueViolation = (error: unknown): boolean => /UNIQUE constraint failed/i.test(String((error as { cause?: unknown })?.cause ?? error));

export const runRoutes = new Hono<AppEnv>()
  .post(
    "/",
    rateLimit((env) => env.SUBMIT_LIMITER, "submissions"),
    bodyLimit({
      maxSize: LIMITS.requestBytes,
      onError: (c) => apiError(c, 413, "payload_too_large", `A submission may be at most ${LIMITS.requestBytes} bytes.`),
    }),
    async (c) => {
      const contentType = (c.req.header("content-type") ?? "").toLowerCase();
      if (!contentType.startsWith("multipart/form-data")) {
        return apiError(c, 415, "unsupported_media_type", "Submit runs as multipart/form-data with parts 'meta' (JSON) and 'weights' (binary).");
      }
      const parsed = await readSubmission(c.req.raw);
      if (!parsed.ok) return apiError(c, parsed.status, parsed.status === 413 ? "payload_too_large" : "malformed", parsed.message);
      const { meta, weights } = parsed;
      const digest = await submissionDigest(parsed.metaText, weights);

      const db = database(c.env.DB);
      const now = Date.now();
      const [workunit] = await db.select().from(workunits).where(eq(workunits.tokenHash, await tokenHash(meta.token))).limit(1);
      if (!workunit) return apiError(c, 403, "token_invalid", "This token was not issued by this server. Ask for a workunit first.");
      if (workunit.consumedAt !== null) return (await idempotentReplay(db, workunit.id, digest)) ?? tokenUsed(c);
      if (workunit.expiresAt <= now) return apiError(c, 410, "token_expired", "This workunit expired before the submission arrived; ask for a new workunit.");
      const protocol = findProtocol(workunit.protocolId);
      if (!protocol || protocol.version !== workunit.protocolVersion) {
        return apiError(c, 410, "unknown_protocol", "This workunit's protocol version has been retired; ask for a new workunit.");
      }

      const mnistPack = needsMnistPack(protocol) ? await workerMnistPack(c.env.ASSETS, new URL(c.req.url).origin) : undefined;
      const verdict = verifySubmission({ protocol, seed: workunit.seed }, meta, weights, mnistPack ? { mnistPack } : {});
      const id = `run_${crypto.randomUUID()}`;
      const keys = artifactKeys(id);
      const row = {
        id,
        workunitId: workunit.id,
        protocolId: protocol.id,
        protocolVersion: protocol.version,
        seed: workunit.seed,
        status: verdict.status,
        reason: verdict.status === "rejected" ? verdict.reason : null,
        message: verdict.message,
        contributor: meta.contributor ?? null,
        contributorId: meta.contributorKey ? await contributorIdentity(meta.contributorKey) : null,
        claimed: JSON.stringify(meta.claimed),
        recomputed: verdict.recomputed ? JSON.stringify(verdict.recomputed) : null,
        environment: JSON.stringify(meta.environment),
        backend: meta.environment.backend,
        trainMs: Math.round(meta.timings.trainMs),
        createdAt: now,
        submissionDigest: digest,
        hiddenAt: null,
      };
      await Promise.all([
        // Weights of the wrong size are not kept: they are not this protocol's network.
        verdict.status === "rejected" && verdict.reason === "weights_shape" ? null : c.env.ARTIFACTS.put(keys.weights, weights),
        c.env.ARTIFACTS.put(keys.evidence, JSON.stringify({ firstLosses: meta.firstLosses, lossHistory: meta.lossHistory, series: meta.series ?? {}, timings: meta.timings })),
        verdict.status === "accepted" && verdict.grid ? c.env.ARTIFACTS.put(keys.grid, encodeFloat32(verdict.grid)) : null,
      ]);
      try {
        // The run row's unique workunit_id makes the token single-use even under concurrent submissions.
        await db.batch([
          db.update(workunits).set({ consumedAt: now }).where(and(eq(workunits.id, workunit.id), isNull(workunits.consumedAt))),
          db.insert(runs).values(row),
        ]);
      } catch (error) {
        await c.env.ARTIFACTS.delete([keys.weights, keys.evidence, keys.grid]);
        if (isUniqueViolation(error)) return (await idempotentReplay(db, workunit.id, digest)) ?? tokenUsed(c);
        throw error;
      }
      return c.json(toRunRecord(row), verdict.status === "accepted" ? 201 : 422);
    },
  )
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    if (!RUN_ID.test(id)) return apiError(c, 404, "not_found", "No run has that id.");
    const [row] = await database(c.env.DB).select().from(runs).where(eq(runs.id, id)).limit(1);
    if (!row) return apiError(c, 404, "not_found", "No run has that id.");
    return c.json(toRunRecord(row));
  })
  .get("/:id/weights", async (c) => {
    // Only verified weights are served: they are what the figures (e.g. Fig. 4's probes) are computed from.
    const id = c.req.param("id");
    if (!RUN_ID.test(id)) return apiError(c, 404, "not_found", "No run has that id.");
    const [row] = await database(c.env.DB).select({ status: runs.status }).from(runs).where(eq(runs.id, id)).limit(1);
    if (!row || row.status !== "accepted") return apiError(c, 404, "not_found", "No verified run has that id.");
    const object = await c.env.ARTIFACTS.get(artifactKeys(id).weights);
    if (!object) return apiError(c, 404, "not_found", "This run's weights are not stored.");
    return new Response(object.body, {
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(object.size),
        // A run's weights never change once verified.
        "cache-control": "public, max-age=31536000, immutable",
      },
    });
  });
