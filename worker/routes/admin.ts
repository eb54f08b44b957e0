// The admin's moderation API: hide (or unhide) a run, a contributor name or a contributor identity (the hash of
// a secret key: one person whatever names they use) so that it stops counting on the leaderboard — nothing is
// deleted — and read the append-only log of every admin action. Authorised by a
// bearer token compared with the ADMIN_TOKEN Worker secret (`wrangler secret put ADMIN_TOKEN`; never in the
// repository); without that secret the admin API is off. Rate-limited per address before the token is checked.
import { zValidator } from "@hono/zod-validator";
import { and, desc, eq, inArray, isNotNull, like } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AdminActionRequestSchema, type AdminLogEntry } from "../../shared/api";
import { RebuildRequestSchema } from "../../shared/board-api";
import { changeMarks } from "../aggregates/marks";
import { markEverything, pendingMarks } from "../aggregates/rebuild";
import { settle, settleAfterWrite } from "../aggregates/settle";
import { nameKey } from "../../shared/names";
import { database, type Database } from "../db/client";
import { adminActions, hiddenContributorKeys, hiddenContributors, runs, type AdminActionRow } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError, malformedOnFailure } from "../http";
import { rateLimit } from "../rate-limit";
import { tokenHash } from "../tokens";

const RUN_ID = /^run_[0-9a-f-]{36}$/;
/** What one rebuild call refreshes: within a request's CPU and the 1,000 D1 queries a Worker invocation may make. */
const REBUILD_BUDGET = { standings: 60, seeds: 20 };

/** The seeds with an accepted run under a display name (compared by nameKey, as hiding does). */
async function seedsUnderName(db: Database, name: string) {
  const key = nameKey(name);
  const rows = await db
    .selectDistinct({ contributor: runs.contributor, protocolId: runs.protocolId, protocolVersion: runs.protocolVersion, seed: runs.seed })
    .from(runs)
    .where(and(isNotNull(runs.contributor), eq(runs.status, "accepted")));
  return rows.filter((r) => r.contributor === name || nameKey(r.contributor!) === key);
}
const LOG_ENTRIES = 200;

/** Compares the bearer token with the secret by their SHA-256 digests, so the comparison's time says nothing. */
async function isAdmin(c: Context<AppEnv>): Promise<boolean> {
  const secret = c.env.ADMIN_TOKEN;
  const header = c.req.header("authorization") ?? "";
  const presented = /^Bearer (.+)$/.exec(header)?.[1];
  if (!secret || !presented) return false;
  const [a, b] = await Promise.all([tokenHash(presented), tokenHash(secret)]);
  let difference = 0;
  for (let k = 0; k < a.length; k++) difference |= a.charCodeAt(k) ^ b.charCodeAt(k);
  return difference === 0;
}

const toLogEntry = (row: AdminActionRow): AdminLogEntry => ({ id: row.id, action: row.action, target: row.target, note: row.note, createdAt: new Date(row.createdAt).toISOString() });

async function logAction(c: Context<AppEnv>, action: AdminActionRow["action"], target: string, note: string): Promise<AdminLogEntry> {
  const [row] = await database(c.env.DB).insert(adminActions).values({ action, target, note, createdAt: Date.now() }).returning();
  return toLogEntry(row!);
}

export const adminRoutes = new Hono<AppEnv>()
  .use(rateLimit((env) => env.ADMIN_LIMITER, "admin requests"))
  .use(async (c, next) => {
    if (!c.env.ADMIN_TOKEN) return apiError(c, 403, "forbidden", "The admin API is off: this Worker has no ADMIN_TOKEN secret.");
    if (!(await isAdmin(c))) return apiError(c, 403, "forbidden", "Admin actions need 'Authorization: Bearer <ADMIN_TOKEN>'.");
    await next();
  })
  .use(bodyLimit({ maxSize: 4096, onError: (c) => apiError(c, 413, "payload_too_large", "An admin request is a small JSON object.") }))
  .post("/runs/:id/:action{hide|unhide}", zValidator("json", AdminActionRequestSchema, malformedOnFailure), async (c) => {
    const id = c.req.param("id");
    const hide = c.req.param("action") === "hide";
    if (!RUN_ID.test(id)) return apiError(c, 404, "not_found", "No run has that id.");
    const db = database(c.env.DB);
    const [run] = await db.select({ protocolId: runs.protocolId, protocolVersion: runs.protocolVersion, seed: runs.seed, contributorId: runs.contributorId }).from(runs).where(eq(runs.id, id)).limit(1);
    if (!run) return apiError(c, 404, "not_found", "No run has that id.");
    // The run's seed and its author's standing (hidden runs earn nothing) are marked in the same batch, then refreshed.
    await db.batch([db.update(runs).set({ hiddenAt: hide ? Date.now() : null }).where(eq(runs.id, id)), ...changeMarks(db, { seeds: [run], keys: [run.contributorId] })]);
    await settleAfterWrite(db, [run]);
    return c.json(await logAction(c, hide ? "hide-run" : "unhide-run", id, c.req.valid("json").note));
  })
  .post("/contributors/:action{hide|unhide}", zValidator("json", AdminActionRequestSchema.required({ contributor: true }), malformedOnFailure), async (c) => {
    const { contributor, note } = c.req.valid("json");
    const hide = c.req.param("action") === "hide";
    const db = database(c.env.DB);
    // Kept by its comparison key (shared/names.ts nameKey): hiding "Alice" hides "alice" and "alice" + U+200B.
    // Unhiding also clears a row stored before names were folded, under the name as it was given.
    // Every seed with a run under the name is refreshed (a rare action: names compare by nameKey, which SQL cannot compute).
    const seeds = await seedsUnderName(db, contributor);
    const change = hide
      ? db.insert(hiddenContributors).values({ name: nameKey(contributor), hiddenAt: Date.now() }).onConflictDoNothing()
      : db.delete(hiddenContributors).where(inArray(hiddenContributors.name, [nameKey(contributor), contributor]));
    await db.batch([change, ...changeMarks(db, { seeds })]);
    await settleAfterWrite(db, seeds);
    return c.json(await logAction(c, hide ? "hide-contributor" : "unhide-contributor", contributor, note));
  })
  .post("/contributor-keys/:action{hide|unhide}", zValidator("json", AdminActionRequestSchema.required({ contributorId: true }), malformedOnFailure), async (c) => {
    const { contributorId, note } = c.req.valid("json");
    const hide = c.req.param("action") === "hide";
    const db = database(c.env.DB);
    // A full hash is exact. The 12 hex digits that run records and boards give (contributorId) name the one identity with runs (to hide) or the
    // one hidden identity (to unhide) they begin with; two such identities make the prefix ambiguous (a key can
    // be ground to share a prefix with someone else's), and the admin must give the full hash.
    let identity = contributorId;
    if (contributorId.length === 12) {
      const prefix = like(hide ? runs.contributorId : hiddenContributorKeys.contributorId, `${contributorId}%`);
      const matches = hide
        ? (await db.selectDistinct({ id: runs.contributorId }).from(runs).where(and(isNotNull(runs.contributorId), prefix)).limit(2)).map((r) => r.id!)
        : (await db.select({ id: hiddenContributorKeys.contributorId }).from(hiddenContributorKeys).where(prefix).limit(2)).map((r) => r.id);
      if (matches.length === 0) return apiError(c, 404, "not_found", hide ? "No contributor with runs has that id." : "No hidden contributor has that id.");
      if (matches.length > 1) return apiError(c, 409, "ambiguous", "Two identities begin with that id: give the full 64-digit hash.");
      identity = matches[0]!;
    }
    // The key's seeds and its standing (a hidden key has weight 0) are marked in the same batch, then refreshed.
    const seeds = await db
      .selectDistinct({ protocolId: runs.protocolId, protocolVersion: runs.protocolVersion, seed: runs.seed })
      .from(runs)
      .where(and(eq(runs.contributorId, identity), eq(runs.status, "accepted")));
    const change = hide
      ? db.insert(hiddenContributorKeys).values({ contributorId: identity, hiddenAt: Date.now() }).onConflictDoNothing()
      : db.delete(hiddenContributorKeys).where(eq(hiddenContributorKeys.contributorId, identity));
    await db.batch([change, ...changeMarks(db, { seeds, keys: [identity] })]);
    await settleAfterWrite(db, seeds);
    return c.json(await logAction(c, hide ? "hide-contributor-key" : "unhide-contributor-key", identity, note));
  })
  // Rebuilds every aggregate in bounded chunks (after a migration, or after rows were written straight into D1,
  // e.g. by scripts/seed-runs.ts): `start` marks every seed and key for refresh; each call then refreshes at most
  // REBUILD_BUDGET of them and says how many remain. Call it until nothing remains.
  .post("/aggregates/rebuild", zValidator("json", RebuildRequestSchema, malformedOnFailure), async (c) => {
    const db = database(c.env.DB);
    if (c.req.valid("json").start) await markEverything(db);
    await settle(db, REBUILD_BUDGET);
    return c.json(await pendingMarks(db));
  })
  .get("/log", async (c) => {
    const rows = await database(c.env.DB).select().from(adminActions).orderBy(desc(adminActions.id)).limit(LOG_ENTRIES);
    return c.json({ entries: rows.map(toLogEntry) });
  });
