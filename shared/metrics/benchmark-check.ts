// The server's check that a submitted benchmark is the computation it claims: the two-moons end states replayed
// in float64 from the workunit's seed (the 1-lane run, and one lane of the batch the server draws after the upload),
// the matmul probe's rows recomputed for rows the server picks, and the timings held to the physical bounds.
import type { Backend } from "../api";
import { BENCH_SUITE, type BenchAgreement, type BenchSubmission, type BenchValues } from "../bench-api";
import { decodeFloat32, encodeFloat32 } from "../nn/float32-codec";
import { mlpParamCount } from "../nn/mlp";
import { moonsProtocol } from "../protocols/registry";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import type { MoonsProtocol } from "../protocols/types";
import type { CmnistSet } from "../data/colored-mnist";
import { cmnistMlpSpec } from "../nn/cmnist-model";
import { benchCmnistInitialWeights, benchCmnistProtocol, cmnistEndDeviation, cmnistStepFlop } from "./benchmark-cmnist";
import { matmulFlop, matmulOperands, rowDigestOf } from "./benchmark-matmul";
import { timingProblem } from "./benchmark-bounds";
import { stepFlops } from "./peer-replay";
import { replaySegment } from "./replay";
import { endDeviation, TRAJECTORY_TOLERANCE } from "./trajectory";

/** How many rows of the product the server recomputes (each n² multiply-adds: 4 rows of n = 1,024 ≈ 4 M). */
export const MATMUL_ROWS_CHECKED = 4;
/** The rows' relative tolerance: exact whole-number products give 0; a backend that rounds to fp16 does not pass. */
export const MATMUL_TOLERANCE = 1e-6;
/** An end state farther than this from the float64 replay is not the computation (the trajectory check's measure). */
export const END_STATE_TOLERANCE = TRAJECTORY_TOLERANCE;

/** A benchmark workunit as the check needs it. */
export interface BenchTask {
  readonly seed: number;
  readonly steps: number;
  readonly lanes: number;
  readonly matmulSize: number;
  readonly matmulRepeats: number;
  readonly cmnistImagesPerEnv: number;
  readonly cmnistSteps: number;
}

/** The server's randomness, drawn after the upload: which lane of the batch it replays and which rows of the product. */
export interface BenchDraw {
  readonly lane: number;
  readonly rows: readonly number[];
}

export type BenchVerdict =
  | { readonly ok: true; readonly values: BenchValues; readonly agreement: BenchAgreement }
  | { readonly ok: false; readonly reason: "evidence_shape" | "replay_mismatch" | "claims_mismatch"; readonly message: string };

export const benchProtocol = (): MoonsProtocol => moonsProtocol(BENCH_SUITE.protocolId);

/** Lane k of a batch starts from seed + k (wrapping at 2³²). */
export const laneSeed = (seed: number, lane: number): number => (seed + lane) % 2 ** 32;

const base64Bytes = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** One lane's weights on the wire: little-endian float32, base64 (what laneWeights decodes). */
export function float32Base64(weights: Float32Array): string {
  let binary = "";
  for (const byte of encodeFloat32(weights)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Decodes one network's weights; null when they are not its shape or not finite. */
function laneWeights(text: string, count: number): Float32Array | null {
  let weights: Float32Array | null;
  try {
    weights = decodeFloat32(base64Bytes(text));
  } catch {
    return null;
  }
  return weights && weights.length === count && weights.every(Number.isFinite) ? weights : null;
}

/** How far `weights` lie from the float64 replay of `steps` steps from `seed`'s initial weights (relative to how far training moved them). */
export function moonsEndDeviation(protocol: MoonsProtocol, seed: number, steps: number, weights: Float32Array): number {
  const data = twoMoonsFamily.dataset(protocol, seed);
  const start = { step: 0, weights: twoMoonsFamily.initialWeights(protocol, seed), optimizerState: null };
  const replayed = replaySegment(protocol, data, seed, start, steps);
  return endDeviation(protocol, start, replayed, { weights, optimizerState: null }, steps).weights;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Each item's figure from its timings: steps/s, run-steps/s (lanes × steps), GFLOP/s of the median product. */
export function benchValues(
  task: BenchTask,
  timings: { readonly moons1: { readonly elapsedMs: number }; readonly moons10: { readonly elapsedMs: number }; readonly cmnist: { readonly elapsedMs: number }; readonly matmul: { readonly elapsedMs: readonly number[] } },
): BenchValues {
  return {
    "moons-1": (task.steps * 1000) / timings.moons1.elapsedMs,
    "moons-10": (task.steps * task.lanes * 1000) / timings.moons10.elapsedMs,
    cmnist: (task.cmnistSteps * 1000) / timings.cmnist.elapsedMs,
    matmul: matmulFlop(task.matmulSize) / (median(timings.matmul.elapsedMs) / 1000) / 1e9,
  };
}

/**
 * Checks a submission against its workunit; `windowMs` is the server-observed time between issuing and receiving,
 * `cmnistTrain` the Colored-MNIST item's data for the workunit's seed (benchCmnistData).
 */
export function checkBenchmark(task: BenchTask, submission: BenchSubmission, backend: Backend, windowMs: number, draw: BenchDraw, cmnistTrain: readonly CmnistSet[]): BenchVerdict {
  const protocol = benchProtocol();
  const count = mlpParamCount(protocol.model);
  const n = task.matmulSize;
  const shape = (message: string): BenchVerdict => ({ ok: false, reason: "evidence_shape", message });
  // Shapes first: nothing expensive runs for a body that cannot be the suite's.
  const single = laneWeights(submission.moons1.weights, count);
  if (!single) return shape(`The 1-lane end state must be ${count} finite float32 weights (base64).`);
  if (submission.moons10.weights.length !== task.lanes) return shape(`The batched item has ${task.lanes} lanes; the submission sends ${submission.moons10.weights.length}.`);
  const lanes = submission.moons10.weights.map((text) => laneWeights(text, count));
  if (lanes.some((lane) => lane === null)) return shape(`Every lane's end state must be ${count} finite float32 weights (base64).`);
  const cmnistProtocol = benchCmnistProtocol();
  const cmnistCount = mlpParamCount(cmnistMlpSpec(cmnistProtocol.model));
  const cmnistWeights = laneWeights(submission.cmnist.weights, cmnistCount);
  if (!cmnistWeights) return shape(`The Colored-MNIST end state must be ${cmnistCount} finite float32 weights (base64).`);
  if (submission.matmul.elapsedMs.length !== task.matmulRepeats) return shape(`The matmul probe times ${task.matmulRepeats} products; the submission sends ${submission.matmul.elapsedMs.length}.`);
  if (submission.matmul.rowDigests.length !== n) return shape(`The matmul probe's product has ${n} rows; the submission sends ${submission.matmul.rowDigests.length} digests.`);

  const moonsFlop = stepFlops(protocol) * task.steps;
  const problem = timingProblem(
    backend,
    [
      { what: "1-lane two-moons item", flop: moonsFlop, ms: submission.moons1.elapsedMs },
      { what: "batched two-moons item", flop: moonsFlop * task.lanes, ms: submission.moons10.elapsedMs },
      { what: "Colored-MNIST item", flop: cmnistStepFlop(cmnistProtocol, 2 * task.cmnistImagesPerEnv) * task.cmnistSteps, ms: submission.cmnist.elapsedMs },
      ...submission.matmul.elapsedMs.map((ms, k) => ({ what: `matmul product ${k + 1}`, flop: matmulFlop(n), ms })),
    ],
    windowMs,
  );
  if (problem) return { ok: false, reason: "claims_mismatch", message: problem };

  const { a, b } = matmulOperands(task.seed, n, BENCH_SUITE.matmulRange);
  let matmulError = 0;
  for (const row of draw.rows) {
    const exact = rowDigestOf(a, b, n, row);
    const error = Math.abs(submission.matmul.rowDigests[row]! - exact) / Math.max(exact, 1);
    matmulError = Math.max(matmulError, error);
    if (!(error <= MATMUL_TOLERANCE)) {
      return { ok: false, reason: "replay_mismatch", message: `Row ${row} of the matmul probe's product is not the product of the seed's operands (relative error ${error.toExponential(2)}).` };
    }
  }

  const singleDeviation = moonsEndDeviation(protocol, task.seed, task.steps, single);
  if (!(singleDeviation <= END_STATE_TOLERANCE)) {
    return { ok: false, reason: "replay_mismatch", message: `The 1-lane end state is ${singleDeviation.toPrecision(3)} from the float64 replay of ${task.steps} steps from the seed (tolerance ${END_STATE_TOLERANCE}): it is not that computation.` };
  }
  const laneDeviation = moonsEndDeviation(protocol, laneSeed(task.seed, draw.lane), task.steps, lanes[draw.lane]!);
  if (!(laneDeviation <= END_STATE_TOLERANCE)) {
    return { ok: false, reason: "replay_mismatch", message: `Lane ${draw.lane} of the batch (drawn by the server) is ${laneDeviation.toPrecision(3)} from its float64 replay (tolerance ${END_STATE_TOLERANCE}): it is not that computation.` };
  }
  const cmnistDeviation = cmnistEndDeviation(cmnistProtocol, cmnistTrain, benchCmnistInitialWeights(cmnistProtocol, task.seed), task.cmnistSteps, cmnistWeights);
  if (!(cmnistDeviation <= END_STATE_TOLERANCE)) {
    return { ok: false, reason: "replay_mismatch", message: `The Colored-MNIST end state is ${cmnistDeviation.toPrecision(3)} from the float64 replay of ${task.cmnistSteps} steps from the seed (tolerance ${END_STATE_TOLERANCE}): it is not that computation.` };
  }
  return {
    ok: true,
    values: benchValues(task, submission),
    agreement: { moons1: singleDeviation, moons10: laneDeviation, moons10Lane: draw.lane, cmnist: cmnistDeviation, matmul: matmulError, matmulRows: [...draw.rows] },
  };
}

/** The server's draw from random bytes: a lane in [0, lanes) and `MATMUL_ROWS_CHECKED` distinct rows in [0, n). */
export function benchDraw(random: (bound: number) => number, lanes: number, n: number): BenchDraw {
  const rows = new Set<number>();
  while (rows.size < Math.min(MATMUL_ROWS_CHECKED, n)) rows.add(random(n));
  return { lane: random(lanes), rows: [...rows].sort((x, y) => x - y) };
}
