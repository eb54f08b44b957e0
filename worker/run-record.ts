// A stored run as the API shows it.
import type { RunRecord } from "../shared/api";
import { isCounted } from "../shared/metrics/counted";
import { environmentFacets } from "../shared/environment-facets";
import type { RunRow } from "./db/schema";

/** What pages show of a contributor's identity: its first 12 hex digits. */
export const publicContributorId = (id: string | null): string | null => (id ? id.slice(0, 12) : null);

/** `peerReplay`: the run's peer replays (worker/peer-replays.ts peerReplaySummary), for protocols whose segments peers replay. */
export function toRunRecord(row: RunRow, peerReplay: RunRecord["peerReplay"] = null): RunRecord {
  return {
    id: row.id,
    protocolId: row.protocolId,
    protocolVersion: row.protocolVersion,
    seed: row.seed,
    status: row.status,
    reason: row.reason as RunRecord["reason"],
    message: row.message,
    contributor: row.contributor,
    contributorId: publicContributorId(row.contributorId),
    claimed: JSON.parse(row.claimed) as RunRecord["claimed"],
    recomputed: row.recomputed === null ? null : (JSON.parse(row.recomputed) as RunRecord["claimed"]),
    environment: JSON.parse(row.environment) as RunRecord["environment"],
    trainMs: row.trainMs,
    createdAt: new Date(row.createdAt).toISOString(),
    hidden: row.hiddenAt !== null,
    replay: replaySummary(row),
    peerReplay,
    counted: isCounted(row) && row.hiddenAt === null,
  };
}

/** What the trajectory replay established about a stored run; null when no segment was replayed. */
export function replaySummary(row: Pick<RunRow, "replayedSegments" | "segmentCount" | "replayDeviation">): RunRecord["replay"] {
  if (row.replayedSegments === null || row.segmentCount === null) return null;
  return { segments: JSON.parse(row.replayedSegments) as number[], segmentCount: row.segmentCount, deviation: row.replayDeviation ?? 0 };
}

/** The facet columns stored with a run (shared/environment-facets.ts): boards, listing and export filter on them without parsing JSON. */
export function storedFacets(environment: RunRecord["environment"]): Pick<RunRow, "gpuVendor" | "gpuArchitecture" | "browser" | "os"> {
  const { gpuVendor, gpuArchitecture, browser, os } = environmentFacets(environment);
  return { gpuVendor, gpuArchitecture, browser, os };
}
