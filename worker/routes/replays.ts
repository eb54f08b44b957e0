// Replay workunits (shared/metrics/peer-replay.ts): POST /api/replays leases a drawn segment of another
// contributor's run to a key with earned standing (one open lease per key, drawn at random, sized to the
// segment; worker/peer-replays.ts says what else bounds it), GET /api/replays/:id/start serves the checkpoint it starts from (to the lease's holder
// only), and POST /api/replays/:id takes where the replayer's training ended and judges it against the run.
import { zValidator } from "@hono/zod-validator";
import { eq } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { LIMITS, ReplayRequestSchema, ReplayResultMetaSchema, type ReplayResultMeta, type ReplayWorkunit } from "../../shared/api";
import { moonsDigest } from "../../shared/data/digest";
import { moonsDatasetPath } from "../../shared/data/moons-url";
import { EARNED_AFTER } from "../../shared/metrics/adaptive-trust";
import { checkpointLayout } from "../../shared/metrics/trajectory";
import { decodeFloat32 } from "../../shared/nn/float32-codec";
import { trajectorySegments } from "../../shared/protocols/evidence";
import { findProtocol } from "../../shared/protocols/registry";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import { MNIST_PACK_MANIFEST } from "../../shared/data/mnist-pack-manifest";
import { isPeerReplayed, leaseDurationMs } from "../../shared/metrics/peer-replay";
import type { TrajectoryProtocol } from "../../shared/metrics/replay";
import { addressBlock } from "../address";
import { contributorIdentity, earnedStanding, SERVER_VERIFIED_PROTOCOLS } from "../contributors";
import { database, type Database } from "../db/client";
import { runs, segmentReplays, type RunRow } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError, malformedOnFailure } from "../http";
import { ABANDON_WINDOW_MS, abandonedLeasesOf, answerReplay, checkpointBytes, heldLeaseOf, leaseReplay, MAX_ABANDONED_LEASES, reissueLease, type Lease } from "../peer-replays";
import { rateLimit } from "../rate-limit";
import { newToken, tokenHash } from "../tokens";

const REPLAY_ID = /^rp_[0-9a-f-]{36}$/;

/** A protocol whose segments peers replay, at the version the run was trained with; null when retired. */
function peerProtocol(id: string, version: number): TrajectoryProtocol | null {
  const protocol = findProtocol(id);
  return protocol && protocol.version === version && isPeerReplayed(protocol) ? protocol : null;
}

const fail = (run: RunRow): never => {
  throw new Error(`run ${run.id}'s protocol ${run.protocolId} v${run.protocolVersion} is not replayed by peers`);
};

/** Where a replay workunit's data is served, and its SHA-256: the seed's moons, or the MNIST pack. */
async function replayDataset(protocol: TrajectoryProtocol, seed: number): Promise<{ datasetUrl: string; datasetDigest: string }> {
  if (protocol.family === "colored-mnist") return { datasetUrl: MNIST_PACK_MANIFEST.path, datasetDigest: MNIST_PACK_MANIFEST.sha256 };
  return { datasetUrl: moonsDatasetPath(seed, protocol.data), datasetDigest: await moonsDigest(twoMoonsFamily.dataset(protocol, seed)) };
}

/** The lease a request's bearer token holds on replay `id`, or the error response that says why it holds none. */
async function heldLease(c: Context<AppEnv>, db: Database, token: string | undefined): Promise<Lease | Response> {
  const id = c.req.param("id") ?? "";
  if (!REPLAY_ID.test(id)) return apiError(c, 404, "not_found", "No replay has that id.");
  const [replay] = await db.select().from(segmentReplays).where(eq(segmentReplays.id, id)).limit(1);
  if (!replay) return apiError(c, 404, "not_found", "No replay has that id.");
  if (!token || replay.tokenHash === null || replay.tokenHash !== (await tokenHash(token))) {
    return apiError(c, 403, "token_invalid", "This token does not hold this replay; ask for a replay workunit first.");
  }
  if (replay.answeredAt !== null) return apiError(c, 409, "token_used", "This replay has already been answered; ask for a new one.");
  if (replay.expiresAt !== null && replay.expiresAt <= Date.now()) return apiError(c, 410, "token_expired", "This replay's lease expired before the answer arrived; ask for a new one.");
  const [run] = await db.select().from(runs).where(eq(runs.id, replay.runId)).limit(1);
  if (!run) throw new Error(`replay ${id} names a missing run`);
  return { replay, run };
}

type ParsedResult = { ok: true; meta: ReplayResultMeta; state: Uint8Array } | { ok: false; message: string };

/** The two parts of a replay result: 'meta' (JSON) and 'state' (binary). */
async function readResult(request: Request): Promise<ParsedResult> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return { ok: false, message: "The body is not valid multipart/form-data." };
  }
  const metaPart = form.get("meta");
  const statePart = form.get("state");
  if (typeof metaPart !== "string" || statePart === null || typeof statePart === "string") {
    return { ok: false, message: "Expected two parts: 'meta' (JSON text) and 'state' (a binary file of little-endian float32: the weights, then the optimiser state)." };
  }
  if (metaPart.length > 4096) return { ok: false, message: "The 'meta' part of a replay result is a small JSON object." };
  let json: unknown;
  try {
    json = JSON.parse(metaPart);
  } catch (error) {
    return { ok: false, message: `The 'meta' part is not valid JSON (${(error as Error).message}).` };
  }
  const meta = ReplayResultMetaSchema.safeParse(json);
  if (!meta.success) return { ok: false, message: `The 'meta' part does not match the replay result schema. ${meta.error.issues.map((i) => `${i.path.map(String).join(".") || "meta"}: ${i.message}`).join("; ")}` };
  return { ok: true, meta: meta.data, state: new Uint8Array(await statePart.arrayBuffer()) };
}

const bearer = (c: Context<AppEnv>): string | undefined => /^Bearer ([A-Za-z0-9_-]{43})$/.exec(c.req.header("authorization") ?? "")?.[1];

/** What a replayer is told of its lease: the segment, where its start and data are, when it expires. */
async function workunitOf(lease: Lease, token: string): Promise<{ body: ReplayWorkunit; protocol: TrajectoryProtocol }> {
  const { replay, run } = lease;
  const protocol = peerProtocol(run.protocolId, run.protocolVersion);
  if (!protocol) throw new Error(`run ${run.id}'s protocol ${run.protocolId} v${run.protocolVersion} is not replayed by peers`);
  const [from, to] = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery!)[replay.segment]!;
  const body: ReplayWorkunit = {
    replayId: replay.id,
    token,
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed: run.seed,
    segment: replay.segment,
    from,
    to,
    startUrl: replay.segment === 0 ? null : `/api/replays/${replay.id}/start`,
    ...(await replayDataset(protocol, run.seed)),
    expiresAt: new Date(replay.expiresAt!).toISOString(),
  };
  return { body, protocol };
}

/** Why a key without earned standing gets no replays, and how standing is earned. */
const unearnedMessage = (serverVerifiedRuns: number): string =>
  `Replays are given only to contributor keys with earned standing: at least ${EARNED_AFTER} accepted runs, of distinct protocols or seeds, ` +
  `of a protocol the server verifies in full itself (${SERVER_VERIFIED_PROTOCOLS.slice(0, 3).join(", ")}, …), submitted with this key. ` +
  `This key has ${serverVerifiedRuns}. Runs that peers confirmed, or that are still pending, do not count.`;

export const replayRoutes = new Hono<AppEnv>()
  .post(
    "/",
    rateLimit((env) => env.WORKUNIT_LIMITER, "replay requests"),
    bodyLimit({ maxSize: 4096, onError: (c) => apiError(c, 413, "payload_too_large", "A replay request is a small JSON object.") }),
    zValidator("json", ReplayRequestSchema, malformedOnFailure),
    async (c) => {
      const { contributorKey, protocolIds } = c.req.valid("json");
      const notPeer = protocolIds?.find((id) => {
        const protocol = findProtocol(id);
        return !protocol || !isPeerReplayed(protocol);
      });
      if (notPeer) return apiError(c, 400, "malformed", `${notPeer} is not a protocol whose segments peers replay.`);
      const db = database(c.env.DB);
      const replayerId = await contributorIdentity(contributorKey);
      // Eligibility and weight come from earned standing only (worker/contributors.ts earnedStanding).
      const standing = (await earnedStanding(db, replayerId))!;
      if (standing.suspect) {
        return apiError(c, 403, "forbidden", "Evidence from this contributor key did not hold up (a refused run, or a replay outvoted by other peers): it is not given replays.");
      }
      if (standing.hidden) return apiError(c, 403, "forbidden", "An admin hid this contributor key: it is not given replays.");
      if (standing.weight === 0) return apiError(c, 403, "forbidden", unearnedMessage(standing.serverVerifiedRuns));
      const token = newToken();
      const now = Date.now();
      // At most one open lease per key: asking again gives the same lease back, with a new token.
      const held = await heldLeaseOf(db, replayerId, now);
      if (held) {
        const again = await reissueLease(db, held, await tokenHash(token), now);
        if (again) {
          const { body } = await workunitOf(again, token);
          return c.json({ replay: body, message: `You already hold this replay (steps ${body.from}–${body.to}); here it is again with a new token, the old one no longer works. Answer it, or let it expire at ${body.expiresAt}, before you get another.` }, 200);
        }
      }
      const abandoned = await abandonedLeasesOf(db, replayerId, now);
      if (abandoned.count >= MAX_ABANDONED_LEASES) {
        const until = new Date(abandoned.freesAt!).toISOString();
        return apiError(c, 403, "forbidden", `This contributor key let ${abandoned.count} replay leases expire unanswered in the last ${ABANDON_WINDOW_MS / 86_400_000} days (at most ${MAX_ABANDONED_LEASES - 1} may be): a lease holds the run's next segments back until it is answered, so this key gets no new lease until ${until}.`);
      }
      const requestBlock = addressBlock(c.req.header("cf-connecting-ip"));
      const blocks: [string, ...string[]] = [requestBlock, ...standing.blocks.filter((b) => b !== requestBlock)];
      const lease = await leaseReplay(db, { id: replayerId, blocks }, protocolIds, {
        tokenHash: await tokenHash(token),
        now,
        expiresAt: (run) => now + leaseDurationMs(peerProtocol(run.protocolId, run.protocolVersion) ?? fail(run)),
      });
      if (!lease) {
        // A concurrent request of the same key may have taken its one lease meanwhile: that lease, back.
        const late = await heldLeaseOf(db, replayerId, now);
        const again = late && (await reissueLease(db, late, await tokenHash(token), now));
        if (again) return c.json({ replay: (await workunitOf(again, token)).body, message: "You already hold this replay; here it is with a new token." }, 200);
        return c.json({ replay: null, message: "No segment of another contributor's run is waiting for a replay by this key right now." }, 200);
      }
      const { body, protocol } = await workunitOf(lease, token);
      return c.json({ replay: body, message: `Replay steps ${body.from}–${body.to} of a ${protocol.title} run (seed ${body.seed}).` }, 201);
    },
  )
  .get("/:id/start", async (c) => {
    const db = database(c.env.DB);
    const lease = await heldLease(c, db, bearer(c));
    if (lease instanceof Response) return lease;
    const protocol = peerProtocol(lease.run.protocolId, lease.run.protocolVersion);
    if (!protocol) return apiError(c, 410, "unknown_protocol", "This run's protocol version has been retired.");
    if (lease.replay.segment === 0) return apiError(c, 404, "not_found", "Segment 0 starts from the seed's initial weights and a fresh optimiser: there is no checkpoint to download.");
    const layout = checkpointLayout(protocol)!;
    const object = await checkpointBytes(c.env.ARTIFACTS, lease.run.id, layout, lease.replay.segment - 1);
    if (!object) return apiError(c, 404, "not_found", "This run's checkpoints are not stored.");
    return new Response(object.body, { headers: { "content-type": "application/octet-stream", "content-length": String(layout.size * 4), "cache-control": "no-store" } });
  })
  .post(
    "/:id",
    rateLimit((env) => env.SUBMIT_LIMITER, "replay results"),
    bodyLimit({ maxSize: LIMITS.requestBytes, onError: (c) => apiError(c, 413, "payload_too_large", `A replay result may be at most ${LIMITS.requestBytes} bytes.`) }),
    async (c) => {
      if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
        return apiError(c, 415, "unsupported_media_type", "Send a replay result as multipart/form-data with parts 'meta' (JSON) and 'state' (binary).");
      }
      const parsed = await readResult(c.req.raw);
      if (!parsed.ok) return apiError(c, 400, "malformed", parsed.message);
      const db = database(c.env.DB);
      const lease = await heldLease(c, db, parsed.meta.token);
      if (lease instanceof Response) return lease;
      const protocol = peerProtocol(lease.run.protocolId, lease.run.protocolVersion);
      if (!protocol) return apiError(c, 410, "unknown_protocol", "This run's protocol version has been retired.");
      const layout = checkpointLayout(protocol)!;
      const state = decodeFloat32(parsed.state);
      if (!state || state.length !== layout.size) {
        return apiError(c, 400, "evidence_shape", `Expected ${layout.size} float32 values (${layout.size * 4} bytes: ${layout.weights} weights, then ${layout.optimizerState} of optimiser state); got ${parsed.state.byteLength} bytes.`);
      }
      const bad = state.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) return apiError(c, 400, "weights_not_finite", `Value ${bad} of the state is ${state[bad]}; every value must be finite.`);
      // The answer weighs what the replayer's standing is now (a key refuted or outvoted since counts for nothing).
      const weight = lease.replay.replayerId === null ? 0 : ((await earnedStanding(db, lease.replay.replayerId))?.weight ?? 0);
      const outcome = await answerReplay(db, c.env.ARTIFACTS, protocol, lease, state, { backend: parsed.meta.environment.backend, weight, now: Date.now() });
      if (!outcome) return apiError(c, 409, "token_used", "This replay has already been answered; ask for a new one.");
      return c.json(outcome, 200);
    },
  );
