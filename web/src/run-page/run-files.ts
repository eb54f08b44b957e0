// What a run page offers to download — the final weights, the trajectory checkpoints, the evidence JSON —
// with exact sizes (the server checks every count, so the protocol fixes them) and, for each file it cannot
// serve, the reason in words: a rejected run, a run still awaiting its peers (a toy run has only its evidence to offer).
import type { ProtocolInfo, RunRecord } from "../../../shared/api";
import type { RunEvidence } from "../../../shared/board-api";
import { checkpointLayout } from "../../../shared/metrics/trajectory";
import { formatCount } from "../format";
import { formatBytes } from "../lab/format-bytes";

/** Where the run's evidence stands on this page. */
export type EvidenceState =
  | { readonly status: "ok"; readonly evidence: RunEvidence }
  | { readonly status: "withheld"; readonly message: string }
  | { readonly status: "unavailable"; readonly message: string };

export interface RunFile {
  readonly kind: "weights" | "checkpoints" | "evidence";
  readonly label: string;
  readonly href: string;
  /** The name the browser saves it under. */
  readonly filename: string;
  /** What is inside, with units ("2,001 float32 values, 8.0 kB"). */
  readonly size: string;
  /** Exact byte length where the protocol fixes it; null for JSON. */
  readonly bytes: number | null;
  /** Why it cannot be downloaded now; null when it can. */
  readonly unavailable: string | null;
}

export const WITHHELD_REASON =
  "Withheld until other contributors have replayed this run's drawn segments: until then these files are the answers to their replay workunits.";

const floats = (count: number): string => `${formatCount(count)} float32 values, ${formatBytes(4 * count)}`;

/** Why no artifact of this run is served, or null when they are. */
function runLevelReason(run: RunRecord): string | null {
  if (run.status !== "accepted") return "Only verified runs' files are served; this run was rejected.";
  if (run.peerReplay?.status === "pending") return WITHHELD_REASON;
  return null;
}

/** The JSON's size as the page received it: its UTF-8 length once re-serialised (the server's may differ in whitespace). */
function evidenceSize(evidence: RunEvidence): string {
  const bytes = new TextEncoder().encode(JSON.stringify(evidence)).length;
  const seriesValues = Object.values(evidence.series).reduce((sum, values) => sum + values.length, 0);
  const series = Object.keys(evidence.series).length;
  const thinned = evidence.sampledEvery && Object.keys(evidence.sampledEvery).length > 0 ? " (long lists thinned by the server)" : "";
  return `${formatCount(evidence.lossHistory.length)} losses, ${series} series of ${formatCount(seriesValues)} values, about ${formatBytes(bytes)}${thinned}`;
}

export function runFiles(run: RunRecord, info: ProtocolInfo, evidence: EvidenceState): RunFile[] {
  const base = `/api/runs/${encodeURIComponent(run.id)}`;
  const blocked = runLevelReason(run);
  const protocol = info.protocol;
  const files: RunFile[] = [];

  // A toy-model run has no weights (its evidence is the |z| trajectories): nothing to offer but the evidence.
  const weights = info.paramCount;
  if (weights > 0) {
    files.push({
      kind: "weights",
      label: "Final weights",
      href: `${base}/weights`,
      filename: `${run.id}-weights.f32`,
      size: `${floats(weights)} (little-endian)`,
      bytes: 4 * weights,
      unavailable: blocked,
    });
  }

  const layout = protocol.family === "toy-dynamics" ? null : checkpointLayout(protocol);
  if (layout) {
    const count = layout.size * layout.steps.length;
    const recorded = run.replay !== null || run.peerReplay !== null;
    files.push({
      kind: "checkpoints",
      label: `Trajectory checkpoints (${layout.steps.length} × weights and optimiser state)`,
      href: `${base}/checkpoints`,
      filename: `${run.id}-checkpoints.f32`,
      size: floats(count),
      bytes: 4 * count,
      unavailable: blocked ?? (recorded ? null : "This run was submitted before its protocol recorded checkpoints."),
    });
  }

  files.push({
    kind: "evidence",
    label: "Evidence (loss history, series, timings)",
    href: `${base}/evidence`,
    filename: `${run.id}-evidence.json`,
    size: evidence.status === "ok" ? evidenceSize(evidence.evidence) : "JSON",
    bytes: null,
    unavailable: blocked ?? (evidence.status === "ok" ? null : evidence.message),
  });
  return files;
}
