// Contributor identities and records: the hash of a contributor's secret key (the key itself is never stored
// or shown), and their record so far — verified runs, and evidence that did not hold up (their own refused or
// peer-refuted runs, their replays outvoted by other peers) — for adaptive trust (shared/metrics/adaptive-trust.ts).
import { and, eq, inArray, sql } from "drizzle-orm";
import { REFUSALS_THAT_COUNT, type ContributorRecord } from "../shared/metrics/adaptive-trust";
import { sha256Hex } from "../shared/data/digest";
import type { Database } from "./db/client";
import { runs, segmentReplays } from "./db/schema";

export const contributorIdentity = (key: string): Promise<string> => sha256Hex(new TextEncoder().encode(`gs-lab contributor v1:${key}`));

/** The contributor's record: null for an anonymous submission. */
export async function contributorRecord(db: Database, contributorId: string | null): Promise<ContributorRecord | null> {
  if (contributorId === null) return null;
  const [[counts], [replays]] = await Promise.all([
    db
      .select({
        accepted: sql<number>`coalesce(sum(case when ${runs.status} = 'accepted' then 1 else 0 end), 0)`,
        evidenceRefusals: sql<number>`coalesce(sum(case when ${inArray(runs.reason, [...REFUSALS_THAT_COUNT])} or ${runs.peerStatus} = 'refuted' then 1 else 0 end), 0)`,
      })
      .from(runs)
      .where(eq(runs.contributorId, contributorId)),
    db
      .select({ outvoted: sql<number>`count(*)` })
      .from(segmentReplays)
      .where(and(eq(segmentReplays.replayerId, contributorId), eq(segmentReplays.outvoted, true))),
  ]);
  return { accepted: Number(counts?.accepted ?? 0), evidenceRefusals: Number(counts?.evidenceRefusals ?? 0) + Number(replays?.outvoted ?? 0) };
}
