// The board's reference rows: the authors' PyTorch loop and GS Lab's own trainer on named machines, measured side
// by side by one run of `npm run bench -- compare` (web/src/data/bench-reference.json, committed with its date and
// machine; the README's Performance table is the same run).
import type { BenchItem } from "../../../shared/bench-api";
import reference from "../data/bench-reference.json";

/** A reference figure: its median and the range of its repeats (min–max, not p10–p90). */
export interface ReferenceRow {
  readonly label: string;
  readonly machine: string;
  /** A short name of the measurement the row comes from (its machine and date are in `machine` and `source`). */
  readonly when: string;
  readonly item: BenchItem;
  readonly median: number;
  readonly low: number;
  readonly high: number;
  readonly source: string;
}

interface Side {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}
type CompareRows = Record<string, { readonly gslab: Side; readonly pytorch: Side | null }>;

const rows = reference.rows as CompareRows;
const THIS_RUN = `${reference.source}, ${reference.date}`;

const fromCompare = (item: BenchItem, key: string, side: "gslab" | "pytorch", label: string): ReferenceRow | null => {
  const measured = rows[key]?.[side];
  return measured ? { label, machine: reference.machine, when: `2-core EPYC, ${reference.date}, shared`, item, median: measured.median, low: measured.min, high: measured.max, source: THIS_RUN } : null;
};

export const REFERENCE_CAVEAT = reference.caveat;

export const REFERENCE_ROWS: readonly ReferenceRow[] = [
  fromCompare("moons-1", "moons_step_1_lane", "gslab", "GS Lab trainer, Node, tfjs wasm (fused kernel), 1 thread"),
  fromCompare("moons-1", "moons_step_1_lane", "pytorch", "authors' PyTorch loop, 1 thread"),
  fromCompare("moons-1", "moons_step_1_lane_torch_all_threads", "pytorch", "authors' PyTorch loop, 2 threads"),
  fromCompare("moons-1", "moons_step_1_lane_chromium", "gslab", "GS Lab, headless Chromium /bench, wasm (fused kernel)"),
  fromCompare("moons-10", "moons_step_10_lanes", "gslab", "GS Lab trainer, 10 lanes batched, Node wasm, 1 thread"),
  fromCompare("moons-10", "moons_step_10_lanes", "pytorch", "authors' PyTorch loop, 10 nets one after another, 1 thread"),
].filter((row): row is ReferenceRow => row !== null);
