// POST /api/workunits: the server assigns a seed for a protocol and hands out a single-use token that expires a
// few times the protocol's training time from now; capped per address and per contributor key, behind a
// Turnstile challenge when TURNSTILE_SECRET is set (a refusal names TURNSTILE_SITE_KEY for the Lab's widget).
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
import type { AppEnv, Bindings } from "../env";
import { clientKey } from "../address";
import { contributorIdentity } from "../contributors";
import { apiError, malformedOnFailure } from "../http";
import { rateLimit } from "../rate-limit";
import { insertWorkunitWithSeed, type OpenCaps } from "../seeds";
import { newToken, tokenHash } from "../tokens";
import { MISCONFIGURED_MESSAGE, turnstileChallenge, verifyTurnstile } from "../turnstile";
import { workunitTtlSeconds } from "../workunit-ttl";

/**
 * Open workunits one address (an IPv4 address, an IPv6 /64) and one contributor key may hold: the CLI's
 * seed-batched mode asks for ten at once (scripts/reproduce.ts --batch), the Lab page for one at a time.
 */
export const DEFAULT_OPEN_PER_ADDRESS = 20;
export const DEFAULT_OPEN_PER_KEY = 10;

const positiveInt = (text: string | undefined, fallback: number): number => {
  const value = Number(text);
  return text !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
};

export const openCaps = (env: Bindings): OpenCaps => ({
  perClient: positiveInt(env.WORKUNIT_OPEN_PER_ADDRESS, DEFAULT_OPEN_PER_ADDRESS),
  perContributor: positiveInt(env.WORKUNIT_OPEN_PER_KEY, DEFAULT_OPEN_PER_KEY),
});

export const workunitRoutes = new Hono<AppEnv>().post(
  "/",
  rateLimit((env) => env.WORKUNIT_LIMITER, "workunit requests"),
  bodyLimit({ maxSize: 4096, onError: (c) => apiError(c, 413, "payload_too_large", "A workunit request is a small JSON object.") }),
  zValidator("json", WorkunitRequestSchema, malformedOnFailure),
  async (c) => {
  const request = c.req.valid("json");
  const protocol = findProtocol(request.protocolId);
  if (!protocol) return apiError(c, 404, "unknown_protocol", "No protocol has that id; GET /api/protocols lists them.");
  const address = c.req.header("cf-connecting-ip");
  if (c.env.TURNSTILE_SECRET) {
    const outcome = await verifyTurnstile(c.env.TURNSTILE_SECRET, request.turnstileToken, address);
    if (!outcome.ok && outcome.status === 503) return apiError(c, 503, "internal", outcome.message);
    if (!outcome.ok) {
      // The refusal names the public site key, for the Lab to render the widget and ask again with its token.
      const challenge = turnstileChallenge(c.env.TURNSTILE_SITE_KEY);
      return challenge ? apiError(c, 403, "forbidden", outcome.message, challenge) : apiError(c, 403, "forbidden", `${outcome.message} ${MISCONFIGURED_MESSAGE}`);
    }
  }
  const now = Date.now();
  const token = newToken();
  const id = `wu_${crypto.randomUUID()}`;
  const expiresAt = now + workunitTtlSeconds(protocol, c.env.WORKUNIT_TTL_SECONDS) * 1000;
  const caps = openCaps(c.env);
  const issued = await insertWorkunitWithSeed(
    c.env.DB,
    protocol.seeding,
    {
      id,
      tokenHash: await tokenHash(token),
      protocolId: protocol.id,
      protocolVersion: protocol.version,
      createdAt: now,
      expiresAt,
      clientKey: clientKey(address),
      contributorId: request.contributorKey ? await contributorIdentity(request.contributorKey) : null,
    },
    caps,
  );
  if (!issued.ok) {
    const holder = issued.cap === "client" ? "your address holds" : "this contributor key holds";
    return apiError(c, 429, "rate_limited", `${holder[0]!.toUpperCase()}${holder.slice(1)} ${issued.limit} open workunits, the most allowed at once: submit or let some expire before asking for more.`);
  }
  const { seed } = issued;
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
