// GET /api/contributors/:id (the 12-hex public id pages show): one key's record — the display names it used,
// its runs by outcome, its earned standing (worker/contributors.ts) and the replays it answered for others.
// Looked up by key only, never by display name; a prefix two identities share answers for neither (409).
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { ContributorPage } from "../../shared/board-api";
import { nameKey } from "../../shared/names";
import { AMBIGUOUS_MESSAGE, resolvePublicId } from "../contributor-prefix";
import { earnedStanding } from "../contributors";
import { database } from "../db/client";
import { runs, segmentReplays } from "../db/schema";
import type { AppEnv } from "../env";
import { apiError } from "../http";
import { publicContributorId } from "../run-record";

const PUBLIC_ID = z.string().regex(/^[0-9a-f]{12}$/);
/** Names shown, most recent first: a key can type any number of names, the page shows the latest few. */
export const NAMES_MAX = 20;

const count = (condition: ReturnType<typeof sql>) => sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;

export const contributorRoutes = new Hono<AppEnv>().get("/:id", async (c) => {
  const publicId = c.req.param("id");
  if (!PUBLIC_ID.safeParse(publicId).success) return apiError(c, 400, "malformed", "Invalid request. id: a contributor id is 12 hex digits (the id run records and boards show).");
  const db = database(c.env.DB);
  const resolved = await resolvePublicId(db, publicId);
  if (resolved.kind === "none") return apiError(c, 404, "not_found", "No contributor with runs has that id.");
  if (resolved.kind === "ambiguous") return apiError(c, 409, "ambiguous", AMBIGUOUS_MESSAGE);
  const id = resolved.id;
  const lastUsed = sql<number>`max(${runs.createdAt})`;
  const [[totals], names, [replays], standing] = await Promise.all([
    db
      .select({
        counted: count(sql`${runs.status} = 'accepted' and (${runs.peerStatus} is null or ${runs.peerStatus} = 'replayed') and ${runs.hiddenAt} is null`),
        pending: count(sql`${runs.status} = 'accepted' and ${runs.peerStatus} = 'pending'`),
        refuted: count(sql`${runs.status} = 'accepted' and ${runs.peerStatus} = 'refuted'`),
        rejected: count(sql`${runs.status} = 'rejected'`),
        firstSeen: sql<number | null>`min(${runs.createdAt})`,
        lastSeen: sql<number | null>`max(${runs.createdAt})`,
      })
      .from(runs)
      .where(eq(runs.contributorId, id)),
    db
      .select({ name: runs.contributor, lastUsed })
      .from(runs)
      .where(and(eq(runs.contributorId, id), isNotNull(runs.contributor)))
      .groupBy(runs.contributor)
      .orderBy(desc(lastUsed))
      .limit(NAMES_MAX * 2),
    db
      .select({
        answered: count(sql`${segmentReplays.answeredAt} is not null`),
        agreed: count(sql`${segmentReplays.answeredAt} is not null and ${segmentReplays.agrees} = 1`),
        outvoted: count(sql`${segmentReplays.outvoted} = 1`),
      })
      .from(segmentReplays)
      .where(and(eq(segmentReplays.replayerId, id), eq(segmentReplays.byServer, false))),
    earnedStanding(db, id),
  ]);
  // Names stored before submissions were normalised may differ only in case or invisible characters: one per key.
  const seen = new Set<string>();
  const distinct = names.map((n) => n.name!).filter((name) => !seen.has(nameKey(name)) && seen.add(nameKey(name)));
  const iso = (t: number | null | undefined) => (t === null || t === undefined ? null : new Date(Number(t)).toISOString());
  const body: ContributorPage = {
    contributorId: publicContributorId(id)!,
    names: distinct.slice(0, NAMES_MAX),
    runs: {
      // A hidden key's runs count nowhere (the boards leave them out).
      counted: standing!.hidden ? 0 : Number(totals?.counted ?? 0),
      pending: Number(totals?.pending ?? 0),
      refuted: Number(totals?.refuted ?? 0),
      rejected: Number(totals?.rejected ?? 0),
    },
    standing: { serverVerifiedRuns: standing!.serverVerifiedRuns, weight: standing!.weight, suspect: standing!.suspect, hidden: standing!.hidden },
    replays: { answered: Number(replays?.answered ?? 0), agreed: Number(replays?.agreed ?? 0), outvoted: Number(replays?.outvoted ?? 0) },
    firstSeen: iso(totals?.firstSeen),
    lastSeen: iso(totals?.lastSeen),
  };
  c.header("Cache-Control", "public, max-age=30");
  return c.json(body);
});
