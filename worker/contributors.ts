// Contributor identities and records: the hash of a contributor's secret key (the key itself is never stored
// or shown), and their record so far — verified runs, and evidence that did not hold up (their own refused or
// peer-refuted runs, their replays outvoted by other peers) — for adaptive trust (shared/metrics/adaptive-trust.ts).
// The leaderboard reads every key's standing from contributor_standing (worker/aggregates/standing.ts keeps it).
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { earnedWeight, REFUSALS_THAT_COUNT, type ContributorRecord } from "../shared/metrics/adaptive-trust";
import { isMoons } from "../shared/protocols/families";
import { PROTOCOLS } from "../shared/protocols/registry";
import { sha256Hex } from "../shared/data/digest";
import type { Database } from "./db/client";
import { hiddenContributorKeys, runs, segmentReplays } from "./db/schema";

export const contributorIdentity = (key: string): Promise<string> => sha256Hex(new TextEncoder().encode(`gs-lab contributor v1:${key}`));

/**
 * Runs the server verified in full itself, counted once per (protocol, seed): accepted, not hidden, no peer
 * verdict (never pending or peer-confirmed runs), of a protocol whose every trajectory segment the Worker replays.
 */
const serverVerifiedRun = () =>
  and(eq(runs.status, "accepted"), isNull(runs.peerStatus), isNull(runs.hiddenAt), inArray(runs.protocolId, [...SERVER_VERIFIED_PROTOCOLS]));
const distinctProtocolSeed = sql`${runs.protocolId} || ':' || ${runs.seed}`;

/**
 * The contributor's record: null for an anonymous submission. `accepted` counts only the runs the server verified
 * in full itself (serverVerifiedRun, distinct protocol and seed), the same runs earnedStanding counts, so no key
 * becomes "proven" from pending, peer-confirmed or cheap runs.
 */
export async function contributorRecord(db: Database, contributorId: string | null): Promise<ContributorRecord | null> {
  if (contributorId === null) return null;
  const [[counts], [replays]] = await Promise.all([
    db
      .select({
        accepted: sql<number>`count(distinct case when ${serverVerifiedRun()} then ${distinctProtocolSeed} end)`,
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

/** Protocols whose every accepted run the Worker verified in full itself (its trajectory segments replayed on the server). */
export const SERVER_VERIFIED_PROTOCOLS: readonly string[] = PROTOCOLS.filter(isMoons)
  .filter((p) => p.evidence.checkpointEvery !== undefined && p.evidence.segmentReplay !== "peers")
  .map((p) => p.id);

export interface EarnedStanding {
  /** Distinct (protocol, seed) pairs of the key's accepted, unhidden runs that the server verified in full itself. */
  readonly serverVerifiedRuns: number;
  /** Refused or refuted runs and outvoted replays of the key (contributorRecord's evidenceRefusals). */
  readonly refusals: number;
  /** Whether the key's evidence was ever refused or outvoted (refusals > 0). */
  readonly suspect: boolean;
  /** Whether an admin hid the key (POST /api/admin/contributor-keys/hide): then its weight is 0. */
  readonly hidden: boolean;
  /** earnedWeight: 0 means the key has no say in any replay, quorum or dispute. */
  readonly weight: number;
  /** The address blocks the key's server-verified runs came from (worker/address.ts addressBlock). */
  readonly blocks: readonly string[];
}

/** A key's earned standing (shared/metrics/adaptive-trust.ts earnedWeight); null for no key. */
export async function earnedStanding(db: Database, contributorId: string | null): Promise<EarnedStanding | null> {
  if (contributorId === null) return null;
  const verified = and(
    eq(runs.contributorId, contributorId),
    eq(runs.status, "accepted"),
    isNull(runs.peerStatus),
    isNull(runs.hiddenAt),
    inArray(runs.protocolId, [...SERVER_VERIFIED_PROTOCOLS]),
  );
  const [[counted], blockRows, record, hidden] = await Promise.all([
    db.select({ n: sql<number>`count(distinct ${runs.protocolId} || ':' || ${runs.seed})` }).from(runs).where(verified),
    db.selectDistinct({ block: runs.addressBlock }).from(runs).where(verified),
    contributorRecord(db, contributorId),
    db.select({ id: hiddenContributorKeys.contributorId }).from(hiddenContributorKeys).where(eq(hiddenContributorKeys.contributorId, contributorId)).limit(1),
  ]);
  const serverVerifiedRuns = Number(counted?.n ?? 0);
  const refusals = record?.evidenceRefusals ?? 0;
  const suspect = refusals > 0;
  return {
    serverVerifiedRuns,
    refusals,
    suspect,
    hidden: hidden.length > 0,
    // A key an admin hid has no say anywhere (replays, quorums, disputes), whatever it earned.
    weight: hidden.length > 0 ? 0 : earnedWeight(serverVerifiedRuns, suspect),
    blocks: blockRows.map((r) => r.block).filter((b): b is string => b !== null),
  };
}
