// POST /api/runs (a submission: its workunit claimed first, so one verification per workunit at a time, then
// verified before it is stored, only an accepted run's artifacts kept; segments peers replay are opened as
// replay workunits), GET /api/runs/:id, GET /api/runs/:id/weights and GET /api/runs/:id/checkpoints (a
// verified run's final weights and trajectory checkpoints, little-endian float32, once no peer replay waits on them).
import { and, eq, isNull, lte, or } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { LIMITS, RunMetaSchema, type RunMeta, type RunRecord } from "../../shared/api";
import { isCmnist, isMoons, needsMnistPack } from "../../shared/protocols/families";
import { trajectorySegments } from "../../shared/protocols/evidence";
import type { TrajectoryProtocol } from "../../shared/metrics/replay";
import { isPeerReplayed } from "../../shared/metrics/peer-replay";
import { allSegments } from "../../shared/metrics/trajectory";
import { findProtocol } from "../../shared/protocols/registry";
import type { Protocol } from "../../shared/protocols/types";
import { decodeFloat32, encodeFloat32 } from "../../shared/nn/float32-codec";
import { sha256Hex } from "../../shared/data/digest";
import { database, type Database } from "../db/client";
import { runs, workunits, type RunRow, type WorkunitRow } from "../db/schema";
import type { AppEnv } from "../env";
import { addressBlock } from "../address";
import { changeMarks } from "../aggregates/marks";
import { settleAfterWrite } from "../aggregates/settle";
import { contributorIdentity } from "../contributors";
import { apiError } from "../http";
import { openReplays, peerReplaySummary } from "../peer-replays";
import { workerMnistPack } from "../mnist-pack";
import { rateLimit } from "../rate-limit";
import { storedFacets, toRunRecord } from "../run-record";
import { RUN_ID, withheldArtifact } from "../run-artifacts";
import { artifactKeys } from "../storage";
import { tokenHash } from "../tokens";
import { verifySubmission } from "../../shared/metrics/verify-run";

/**
 * A verification's claim on its workunit lapses after this long: beyond the 60 s of CPU a request may use
 * (wrangler.toml [limits]) with room for slow I/O, so only a request that died without releasing it loses it.
 */
export const CLAIM_STALE_MS = 5 * 60_000;
/** What a body refused because another is being verified is told to wait before retrying. */
const CLAIM_RETRY_SECONDS = 10;

type Parsed =
  | { ok: true; meta: RunMeta; metaText: string; weights: Uint8Array; checkpoints: Uint8Array | null }
  | { ok: false; status: 400 | 413; message: string };

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
  const checkpointsPart = form.get("checkpoints");
  if (typeof metaPart !== "string" || weightsPart === null || typeof weightsPart === "string") {
    return { ok: false, status: 400, message: "Expected two parts: 'meta' (JSON text) and 'weights' (a binary file of little-endian float32)." };
  }
  if (typeof checkpointsPart === "string") return { ok: false, status: 400, message: "The 'checkpoints' part must be a binary file of little-endian float32, not text." };
  const checkpoints = checkpointsPart === null ? null : new Uint8Array(await checkpointsPart.arrayBuffer());
  if (checkpoints && checkpoints.byteLength % 4 !== 0) return { ok: false, status: 400, message: `The 'checkpoints' part (${checkpoints.byteLength} bytes) is not a whole number of float32 values.` };
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
  return { ok: true, meta: meta.data, metaText: metaPart, weights: new Uint8Array(await weightsPart.arrayBuffer()), checkpoints };
}

/** SHA-256 of a submission's parts: the same body sent twice has the same digest. */
async function submissionDigest(metaText: string, weights: Uint8Array, checkpoints: Uint8Array | null): Promise<string> {
  const metaBytes = new TextEncoder().encode(metaText);
  const parts = [metaBytes, weights, ...(checkpoints ? [checkpoints] : [])];
  const body = new Uint8Array(parts.reduce((n, part) => n + part.byteLength + 1, 0));
  parts.reduce((offset, part) => (body.set(part, offset), offset + part.byteLength + 1), 0);
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
  return Response.json(await runRecordOf(db, stored), { status: stored.status === "accepted" ? 201 : 422, headers: { "Idempotent-Replay": "true" } });
}

/** A stored run as the API shows it, with its peer replays where peers replay its segments. */
async function runRecordOf(db: Database, row: RunRow): Promise<RunRecord> {
  const protocol = findProtocol(row.protocolId);
  if (row.peerStatus === null || !protocol || !isPeerReplayed(protocol) || protocol.evidence.checkpointEvery === undefined) return toRunRecord(row);
  const segmentCount = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery).length;
  return toRunRecord(row, await peerReplaySummary(db, row, segmentCount, Date.now()));
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
      const { meta, weights, checkpoints } = parsed;
      const digest = await submissionDigest(parsed.metaText, weights, checkpoints);

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

      const trajectoryProtocol = isMoons(protocol) || isCmnist(protocol) ? protocol : null;
      if (!trajectoryProtocol && checkpoints) return apiError(c, 400, "malformed", `${protocol.id} takes no 'checkpoints' part.`);
      const contributorId = meta.contributorKey ? await contributorIdentity(meta.contributorKey) : null;
      // A workunit asked for under a contributor key is answered under that key: workunits hoarded under one key
      // (each key's open workunits are capped) cannot be spent under another.
      if (workunit.contributorId !== null && workunit.contributorId !== contributorId) {
        return apiError(c, 403, "workunit_mismatch", "This workunit was issued to another contributor key: submit it with the key it was requested with.");
      }

      // One verification per workunit at a time: claim the token before any expensive work. A body that finds it
      // claimed is refused at once (a retry of the same body gets the stored run once the first one is done).
      const claim = await claimWorkunit(db, workunit.id, now);
      if (claim === null) {
        const [current] = await db.select({ consumedAt: workunits.consumedAt }).from(workunits).where(eq(workunits.id, workunit.id)).limit(1);
        if (current?.consumedAt != null) return (await idempotentReplay(db, workunit.id, digest)) ?? tokenUsed(c);
        c.header("Retry-After", String(CLAIM_RETRY_SECONDS));
        return apiError(c, 409, "token_used", "Another submission for this workunit is being verified; a retry of that same body gets its run once it is done.");
      }
      try {
        return await verifyAndStore(c, db, { workunit, protocol, trajectoryProtocol, meta, weights, checkpoints, digest, contributorId, now });
      } catch (error) {
        // A crash releases the claim (a verdict stored consumed the workunit, and the claim no longer matters).
        await releaseClaim(db, workunit.id, claim).catch(() => undefined);
        throw error;
      }
    },
  )
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    if (!RUN_ID.test(id)) return apiError(c, 404, "not_found", "No run has that id.");
    const db = database(c.env.DB);
    const [row] = await db.select().from(runs).where(eq(runs.id, id)).limit(1);
    if (!row) return apiError(c, 404, "not_found", "No run has that id.");
    return c.json(await runRecordOf(db, row));
  })
  // Only verified runs' artifacts are served: the weights are what the figures (e.g. Fig. 4's probes) are
  // computed from; the checkpoints let anyone replay any segment of the run themselves.
  .get("/:id/weights", (c) => verifiedArtifact(c, "weights"))
  .get("/:id/checkpoints", (c) => verifiedArtifact(c, "checkpoints"));

interface Submission {
  readonly workunit: WorkunitRow;
  readonly protocol: Protocol;
  readonly trajectoryProtocol: TrajectoryProtocol | null;
  readonly meta: RunMeta;
  readonly weights: Uint8Array;
  readonly checkpoints: Uint8Array | null;
  readonly digest: string;
  readonly contributorId: string | null;
  readonly now: number;
}

/** Verifies a submission whose workunit this request has claimed, and stores its verdict (consuming the workunit). */
async function verifyAndStore(c: Context<AppEnv>, db: Database, submission: Submission): Promise<Response> {
  const { workunit, protocol, trajectoryProtocol, meta, weights, checkpoints, digest, contributorId, now } = submission;
  const mnistPack = needsMnistPack(protocol) ? await workerMnistPack(c.env.ASSETS, new URL(c.req.url).origin) : undefined;
  const trajectory = trajectoryProtocol
    ? { checkpoints: checkpoints ? decodeFloat32(checkpoints) : null, segments: allSegments(trajectoryProtocol) }
    : undefined;
  const verdict = verifySubmission({ protocol, seed: workunit.seed }, meta, weights, { ...(mnistPack ? { mnistPack } : {}), ...(trajectory ? { trajectory } : {}) });
  // The drawn segments: replayed by the verifier, or handed to peers as replay workunits once the run is stored.
  const byPeers = isPeerReplayed(protocol);
  const peerSegments = verdict.status === "accepted" && byPeers ? (trajectory?.segments ?? []) : [];
  const replay = verdict.status === "accepted" && !byPeers ? verdict.trajectory : undefined;
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
    contributorId,
    claimed: JSON.stringify(meta.claimed),
    recomputed: verdict.recomputed ? JSON.stringify(verdict.recomputed) : null,
    environment: JSON.stringify(meta.environment),
    backend: meta.environment.backend,
    trainMs: Math.round(meta.timings.trainMs),
    createdAt: now,
    submissionDigest: digest,
    hiddenAt: null,
    checkpointsDigest: checkpoints ? await sha256Hex(checkpoints) : null,
    replayedSegments: replay ? JSON.stringify(replay.segments) : null,
    segmentCount: replay?.segmentCount ?? null,
    replayDeviation: replay?.deviation ?? null,
    peerStatus: peerSegments.length > 0 ? ("pending" as const) : null,
    addressBlock: addressBlock(c.req.header("cf-connecting-ip")),
    ...storedFacets(meta.environment),
  };
  // Only an accepted run's artifacts are kept: a rejected run's page shows its row (claimed against recomputed,
  // the reason), which is all anyone is served of it, so a refused body costs no storage beyond that row.
  if (verdict.status === "accepted") {
    await Promise.all([
      c.env.ARTIFACTS.put(keys.weights, weights),
      c.env.ARTIFACTS.put(keys.evidence, JSON.stringify({ firstLosses: meta.firstLosses, lossHistory: meta.lossHistory, series: meta.series ?? {}, timings: meta.timings })),
      verdict.grid ? c.env.ARTIFACTS.put(keys.grid, encodeFloat32(verdict.grid)) : null,
      checkpoints ? c.env.ARTIFACTS.put(keys.checkpoints, checkpoints, { sha256: row.checkpointsDigest! }) : null,
    ]);
  }
  try {
    // The run row's unique workunit_id makes the token single-use even under concurrent submissions.
    // In the same batch: the seed's aggregates and the key's standing marked for refresh (worker/aggregates).
    await db.batch([
      db.update(workunits).set({ consumedAt: now }).where(and(eq(workunits.id, workunit.id), isNull(workunits.consumedAt))),
      db.insert(runs).values(row),
      ...openReplays(db, id, peerSegments, now),
      ...(row.status === "accepted" || contributorId !== null ? changeMarks(db, { seeds: row.status === "accepted" ? [row] : [], keys: [contributorId] }) : []),
    ]);
  } catch (error) {
    await c.env.ARTIFACTS.delete([keys.weights, keys.evidence, keys.grid, keys.checkpoints]);
    if (isUniqueViolation(error)) return (await idempotentReplay(db, workunit.id, digest)) ?? tokenUsed(c);
    throw error;
  }
  await settleAfterWrite(db, row.status === "accepted" ? [row] : []);
  return c.json(await runRecordOf(db, row), verdict.status === "accepted" ? 201 : 422);
}

/**
 * Claims a workunit for one verification: sets claimed_at unless another request holds a live claim (younger
 * than CLAIM_STALE_MS) or the workunit is consumed. Returns the claim's time, or null when it is not this
 * request's to verify. A claim left by a request that died without releasing it (a CPU-limit kill) goes stale.
 */
async function claimWorkunit(db: Database, workunitId: string, now: number): Promise<number | null> {
  const claimed = await db
    .update(workunits)
    .set({ claimedAt: now })
    .where(and(eq(workunits.id, workunitId), isNull(workunits.consumedAt), or(isNull(workunits.claimedAt), lte(workunits.claimedAt, now - CLAIM_STALE_MS))))
    .returning({ id: workunits.id });
  return claimed.length === 1 ? now : null;
}

/** Releases this request's claim (not one a later request took over after it went stale). */
async function releaseClaim(db: Database, workunitId: string, claim: number): Promise<void> {
  await db.update(workunits).set({ claimedAt: null }).where(and(eq(workunits.id, workunitId), eq(workunits.claimedAt, claim), isNull(workunits.consumedAt)));
}

async function verifiedArtifact(c: Context<AppEnv>, kind: "weights" | "checkpoints"): Promise<Response> {
  const id = c.req.param("id") ?? "";
  // Until its peers have answered, a run's checkpoints and final weights are the answers to its replay
  // workunits: serving them would let a replayer send them back instead of training.
  const withheld = await withheldArtifact(c, id, kind);
  if (withheld) return withheld;
  const object = await c.env.ARTIFACTS.get(artifactKeys(id)[kind]);
  if (!object) return apiError(c, 404, "not_found", `This run's ${kind} are not stored.`);
  return new Response(object.body, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(object.size),
      // A verified run's artifacts never change.
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
}
