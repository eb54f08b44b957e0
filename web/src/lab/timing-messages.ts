// Why: what a timing worker tells the Lab — steps timed so far, the timing, or why it failed — whichever worker
// (the training worker's two-moons estimate job, or the Colored-MNIST timing worker) took it.
import type { SerializedError } from "../errors";
import type { EstimateResult } from "../train/messages";

export type TimingMessage =
  | { readonly type: "step"; readonly step: number; readonly steps: number | null }
  | { readonly type: "estimate-done"; readonly result: EstimateResult }
  | { readonly type: "error"; readonly error: SerializedError };
