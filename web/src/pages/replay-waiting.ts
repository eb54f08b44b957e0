// Why: how much replay work waits, for the Replay page to say before its first button press — the runs of the
// peer-replayed protocols still pending on their boards, and their drawn segments still waiting for a replay
// (read from a bounded number of their run records; beyond that the count is a lower bound).
import type { ProtocolBoard, RunRecord } from "../../../shared/api";
import { api } from "../api";

/** Run records read to count segments; more pending runs than this make the segment count "at least". */
export const MAX_RECORDS = 12;

export interface WaitingWork {
  readonly runs: number;
  readonly segments: number;
  /** False when only some of the pending runs' records were read. */
  readonly exact: boolean;
}

/** The pending runs' segments that no replay has decided yet. */
export function waitingWork(pendingRuns: number, records: readonly RunRecord[]): WaitingWork {
  const segments = records.reduce((sum, record) => sum + (record.peerReplay?.segments.filter((s) => s.outcome === "pending").length ?? 0), 0);
  return { runs: pendingRuns, segments, exact: records.length >= pendingRuns };
}

/** "3 segments of 2 runs wait for a replay." */
export function waitingSentence(work: WaitingWork): string {
  if (work.runs === 0) return "No run is waiting for a replay right now.";
  const segments = `${work.exact ? "" : "at least "}${work.segments} ${work.segments === 1 ? "segment" : "segments"}`;
  const runs = `${work.runs} ${work.runs === 1 ? "run" : "runs"}`;
  return `${segments.charAt(0).toUpperCase()}${segments.slice(1)} of ${runs} ${work.segments === 1 && work.exact ? "waits" : "wait"} for a replay.`;
}

/** Reads the boards of these protocols and the records of up to MAX_RECORDS of their pending runs. */
export async function loadWaitingWork(protocolIds: readonly string[]): Promise<WaitingWork> {
  const boards: ProtocolBoard[] = await Promise.all(protocolIds.map((id) => api.board(id)));
  const pending = boards.flatMap((board) => board.runs.filter((run) => run.trust === "pending"));
  const records = await Promise.all(pending.slice(0, MAX_RECORDS).map((run) => api.run(run.id)));
  return waitingWork(pending.length, records);
}
