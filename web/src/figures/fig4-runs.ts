// Why: which verified run a Fig. 4 grid probes — the newest by default, any other on request — and how a run
// is named in the picker, kept pure for tests.
import type { ProtocolBoard } from "../../../shared/api";
import { formatDate } from "../format";

export type BoardRun = ProtocolBoard["runs"][number];

/** Newest first (by createdAt, then id so equal times keep a stable order). */
export function newestFirst(runs: readonly BoardRun[]): BoardRun[] {
  return [...runs].sort((a, b) => (a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt < b.createdAt ? 1 : -1));
}

/** The runs Fig. 4 may probe: counted ones only (shared/metrics/counted.ts) — never a run still waiting for its peer replays, nor a refuted one. */
export const verifiedRuns = (runs: readonly BoardRun[]): BoardRun[] => runs.filter((run) => run.counted);

/** The counted run with id `chosen` when the list has it, else the newest counted run; null when none is counted. */
export function selectedRun(runs: readonly BoardRun[], chosen: string | null): BoardRun | null {
  const verified = verifiedRuns(runs);
  return (chosen === null ? undefined : verified.find((r) => r.id === chosen)) ?? newestFirst(verified)[0] ?? null;
}

/** "seed 3 · alice · 2026-05-01 12:00 UTC" ("anonymous" without a display name). */
export const runLabel = (run: BoardRun): string => `seed ${run.seed} · ${run.contributor !== null ? `\u2068${run.contributor}\u2069` : "anonymous"} · ${formatDate(run.createdAt)}`;

/** The protocols Fig. 4 always shows (the paper's figure has these three), whether or not they have runs. */
export const FIG4_PAPER_IDS: readonly string[] = ["cmnist-erm", "cmnist-sd", "cmnist-irm"];

/**
 * The protocols of the page, in registry order: the paper's ERM, SD and IRM always, any other Colored-MNIST
 * protocol once its board has runs (counted, or waiting for peers); reduced configurations apart (never compared with the paper).
 */
export function fig4Protocols<P extends { readonly id: string }>(
  sets: { readonly paper: readonly P[]; readonly reduced: readonly P[] },
  runsOf: (protocolId: string) => number,
): { readonly paper: P[]; readonly reduced: P[] } {
  return {
    paper: sets.paper.filter((p) => FIG4_PAPER_IDS.includes(p.id) || runsOf(p.id) > 0),
    reduced: sets.reduced.filter((p) => runsOf(p.id) > 0),
  };
}

/** Runs accepted but still waiting for peers to replay them: listed, never probed (their weights are withheld until then). */
export const waitingRuns = (runs: readonly BoardRun[]): BoardRun[] => runs.filter((run) => run.trust === "pending");

/** When the URL names a run Fig. 4 cannot probe: the run, and why ("pending": its peers have not replayed it; "other": refuted, disputed or gone). */
export function unprobeableChoice(runs: readonly BoardRun[], chosen: string | null): { readonly id: string; readonly why: "pending" | "other" } | null {
  if (chosen === null || verifiedRuns(runs).some((run) => run.id === chosen)) return null;
  return { id: chosen, why: runs.find((run) => run.id === chosen)?.trust === "pending" ? "pending" : "other" };
}

/** The sentence beside a protocol with runs waiting for peers. */
export function waitingSentence(count: number): string {
  return count === 1
    ? "1 run is waiting for peers to replay segments of its training: its weights are withheld until then, so it cannot be probed yet."
    : `${count} runs are waiting for peers to replay segments of their training: their weights are withheld until then, so they cannot be probed yet.`;
}
