// Everything a run page or a comparison column shows of one run: its record, its protocol (null when the
// server no longer lists it) and its evidence — asked for only where the server serves it, and a withheld
// or failed answer kept as a reason for the page rather than thrown.
import type { ProtocolInfo, RunRecord } from "../../../shared/api";
import type { RunEvidence } from "../../../shared/board-api";
import { ApiError } from "../../../shared/client/api-client";
import { api } from "../api";
import { describeError } from "../errors";
import { WITHHELD_REASON, type EvidenceState } from "./run-files";

export interface RunBundle {
  readonly run: RunRecord;
  readonly info: ProtocolInfo | null;
  readonly evidence: EvidenceState;
}

/** The run's evidence, or why the page shows none: `fetchEvidence` is the API call (replaced in tests). */
export async function loadEvidence(run: RunRecord, fetchEvidence: (id: string) => Promise<RunEvidence> = api.runEvidence): Promise<EvidenceState> {
  if (run.status !== "accepted") return { status: "unavailable", message: "A rejected run's evidence is not served." };
  if (run.peerReplay?.status === "pending") return { status: "withheld", message: WITHHELD_REASON };
  try {
    return { status: "ok", evidence: await fetchEvidence(run.id) };
  } catch (error) {
    if (error instanceof ApiError && error.reason === "awaiting_peers") return { status: "withheld", message: error.message };
    const { title, detail } = describeError(error);
    return { status: "unavailable", message: `The evidence could not be loaded: ${title} ${detail}` };
  }
}

export async function loadRunBundle(runId: string, protocols: readonly ProtocolInfo[]): Promise<RunBundle> {
  const run = await api.run(runId);
  return { run, info: protocols.find((p) => p.protocol.id === run.protocolId) ?? null, evidence: await loadEvidence(run) };
}
