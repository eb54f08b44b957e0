// A run's recorded evidence as curves to draw: its loss history against the steps the trainer recorded it at
// (two-moons: historySteps; Colored MNIST: cmnistHistorySteps), and Fig. 2's |z_k| for the paper's components
// where the run recorded NTK features — the same step rules the verifier checks them with.
import type { RunEvidence } from "../../../shared/board-api";
import { cmnistHistorySteps } from "../../../shared/metrics/cmnist-verify";
import { NTK_SERIES } from "../../../shared/metrics/ntk-evidence";
import { historySteps } from "../../../shared/protocols/evidence";
import type { Protocol } from "../../../shared/protocols/types";
import { componentCurve, type ComponentCurve } from "../figures/ntk-series";
import { PAPER_COMPONENTS } from "../routes";

export interface LossCurve {
  readonly steps: Float64Array;
  readonly losses: Float64Array;
  /** False when the history's length did not match the protocol's recording steps (drawn at k × every instead). */
  readonly exactSteps: boolean;
}

/** The steps of a run's loss history, or null for a protocol that records none (the toy model). */
function recordedSteps(protocol: Protocol, steps: number): number[] | null {
  if (protocol.family === "two-moons") return historySteps(steps, protocol.evidence.historyEvery);
  if (protocol.family === "colored-mnist") return cmnistHistorySteps(steps, protocol.evidence.historyEvery);
  return null;
}

/** The values a list keeps when the server thins it (GET /api/runs/:id/evidence): every `every`-th and the last. */
export function thinned<T>(values: readonly T[], every: number | undefined): T[] {
  if (every === undefined || every <= 1) return [...values];
  const kept = values.filter((_, k) => k % every === 0);
  if ((values.length - 1) % every !== 0 && values.length > 0) kept.push(values.at(-1)!);
  return kept;
}

/** The run's loss against the step; null when it recorded no loss history. */
export function lossCurve(protocol: Protocol, evidence: RunEvidence): LossCurve | null {
  const losses = evidence.lossHistory;
  const recorded = recordedSteps(protocol, evidence.timings.steps);
  if (recorded === null || losses.length === 0) return null;
  // A long history comes thinned: its values sit at the thinned steps.
  const sampling = evidence.sampledEvery?.lossHistory;
  const expected = thinned(recorded, sampling);
  const exactSteps = expected.length === losses.length;
  const every = (protocol.family === "toy-dynamics" ? 1 : protocol.evidence.historyEvery) * (sampling ?? 1);
  return {
    steps: Float64Array.from(losses, (_, k) => (exactSteps ? expected[k]! : k * every)),
    losses: Float64Array.from(losses),
    exactSteps,
  };
}

export interface NtkCurve {
  readonly k: number;
  readonly curve: ComponentCurve;
}

/** |z_k| of this one run for the paper's components (k = 1, 6), or [] when it recorded no NTK features in the expected shape. */
export function ntkCurves(protocol: Protocol, evidence: RunEvidence): NtkCurve[] {
  const values = evidence.series[NTK_SERIES];
  if (protocol.family !== "two-moons" || !values) return [];
  // One run is an "aggregate" of one seed: the Fig. 2 page's own reader then applies unchanged.
  const single = { name: NTK_SERIES, seeds: 1, mean: values, std: [] };
  return PAPER_COMPONENTS.flatMap((k) => {
    const curve = componentCurve(protocol, single, k);
    return curve ? [{ k, curve }] : [];
  });
}
