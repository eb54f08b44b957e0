// Test helper: honest run submissions built without a browser, with the same shared plain-TypeScript code
// the server verifies with, and a poster that sends them exactly as the web and CLI clients do.
//
// What "honest" means here: everything the server checks holds. It checks the workunit (token, protocol,
// version, seed), the weights' byte length and finiteness, the evidence shapes, that firstLosses match a
// float64 replay of the first steps from the seed's initial weights, that the history agrees with them, each
// checkpoint's loss against the history, EVERY trajectory segment replayed in order from the initial weights
// through each checkpoint into the final weights (with the history checked at every recorded step), that the
// history's last value is the loss of the submitted weights and below the initial loss, and that the claimed
// metrics equal evaluateMoons(protocol, data, weights). So the helper trains the whole run for real (the
// plain-TypeScript float64 replay, rounded to float32 at each checkpoint as a client's would be), memoised per
// protocol and seed: about 5 s for Fig. 1, tens of seconds for a 10,000-step run. For protocols peers replay
// it builds a stand-in chain (evidence.replaySteps real steps per segment) that passes the Worker's cheap checks;
// the tests' peers answer with the run's own segment ends.
import { SELF } from "cloudflare:test";
import type { Standing } from "../../shared/metrics/adaptive-trust";
import { allSegments } from "../../shared/metrics/trajectory";
import { trajectorySegments } from "../../shared/protocols/evidence";
import { buildChain } from "../../shared/testing/honest-chain";
import type { RunMeta } from "../../shared/api";
import type { MoonsData } from "../../shared/data/moons";
import { mlpForward } from "../../shared/metrics/mlp-math";
import { ntkSeries, ntkSteps, NTK_SERIES } from "../../shared/metrics/ntk-evidence";
import { replayMoons } from "../../shared/metrics/replay";
import { evaluateMoons } from "../../shared/metrics/two-moons";
import { historySteps } from "../../shared/protocols/evidence";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import { moonsProtocol } from "../../shared/protocols/registry";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import type { MoonsProtocol } from "../../shared/protocols/types";

export const BASE = "http://gs.test";
export const TEST_ENVIRONMENT = { backend: "wasm", tfjsVersion: "4.22.0", client: "cli", userAgent: "test" } as const;

/** Everything of a submission except the workunit's token, plus what the server should recompute. */
export interface HonestRun {
  readonly protocol: MoonsProtocol;
  readonly seed: number;
  readonly data: MoonsData;
  /** The submission's `meta` without `token`. */
  readonly meta: Omit<RunMeta, "token">;
  /** Final weights (float32, mlpParams order). */
  readonly weights: Float32Array;
  /** evaluateMoons(protocol, data, weights): what the server must recompute. */
  readonly recomputed: Readonly<Record<string, number | null>>;
  /** The 100×100 figure grid the server stores for an accepted run. */
  readonly grid: Float32Array;
  readonly initialWeights: Float32Array;
  /** The run's chain of checkpoints (complete, or a stand-in for peer-replayed protocols); null without checkpoints. */
  readonly checkpoints: Float32Array | null;
}

export const protocolById = (id: string): MoonsProtocol => moonsProtocol(id);

/** The expected evidence sizes of a protocol (the same arithmetic as shared/metrics/verify-run.ts). */
export function evidenceSizes(protocol: MoonsProtocol): { firstLosses: number; history: number } {
  const { steps } = protocol.training;
  const { replaySteps, historyEvery } = protocol.evidence;
  return { firstLosses: Math.min(replaySteps, steps), history: historySteps(steps, historyEvery).length };
}

const cache = new Map<string, HonestRun>();

/**
 * An honest submission for (protocol, seed); memoised because the evaluation costs a few hundred ms of
 * CPU. The returned objects are frozen: copy them (see metaWith) before changing anything. For peer-replayed
 * protocols `wholeSegments` are trained in full, not as stand-ins (the segments a test has the server replay).
 */
export function honestRun(protocolOrId: MoonsProtocol | string, seed: number, options: { readonly wholeSegments?: readonly number[] } = {}): HonestRun {
  const protocol = typeof protocolOrId === "string" ? protocolById(protocolOrId) : protocolOrId;
  const key = `${protocol.id}@${protocol.version}/${seed}${options.wholeSegments ? `/whole:${options.wholeSegments.join(",")}` : ""}`;
  const hit = cache.get(key);
  if (hit) return hit;

  const family = twoMoonsFamily;
  const data = family.dataset(protocol, seed);
  const sizes = evidenceSizes(protocol);
  const initialWeights = family.initialWeights(protocol, seed);
  const replay = replayMoons(protocol, data, seed, initialWeights, sizes.firstLosses);
  const firstLosses = Array.from(replay.losses);
  // The whole trajectory, trained for real: the server replays every segment (peers do for some protocols:
  // then a stand-in chain of evidence.replaySteps real steps per segment).
  const every = protocol.evidence.checkpointEvery;
  const byPeers = protocol.evidence.segmentReplay === "peers";
  const chain =
    every === undefined
      ? null
      : buildChain({ protocol, seed, data, initialWeights, real: "all", fallbackFinal: initialWeights, ...(byPeers ? { standInSteps: protocol.evidence.replaySteps, ...(options.wholeSegments ? { wholeSegments: options.wholeSegments } : {}) } : {}) });
  const weights = chain ? chain.finalWeights : Float32Array.from(replay.weights);
  const evaluation = evaluateMoons(protocol, data, weights);
  const steps = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  const segments = trajectorySegments(protocol.training.steps, every ?? protocol.training.steps);
  const lossHistory = steps.map((step, k) => {
    if (step < firstLosses.length) return firstLosses[step]!;
    if (k === steps.length - 1) return evaluation.metrics.finalLoss!;
    const checkpoint = chain?.points.find((p) => p.step === step);
    if (checkpoint) return checkpoint.loss;
    const replayed = chain?.losses[step];
    if (replayed !== undefined && !Number.isNaN(replayed)) return replayed;
    // A stand-in chain's steps it did not train: the loss of its segment's start (peers check these, not the Worker).
    const from = segments.find(([a, b]) => a <= step && step < b)?.[0] ?? 0;
    return chain?.points.find((p) => p.step === from)?.loss ?? firstLosses[0]! / (1 + k / 10);
  });
  // NTK features (Fig. 2): the server checks the first record (initial weights) and the last (final weights).
  const ntk = ntkSteps(protocol);
  const initialOutputs = Float32Array.from(mlpForward(protocol.model, initialWeights, data.x));
  const finalOutputs = Float32Array.from(mlpForward(protocol.model, weights, data.x));
  // With checkpoints it also checks the records at their steps.
  const ntkOutputs = ntk.map((step, k) => {
    if (k === ntk.length - 1) return finalOutputs;
    const point = chain?.points.find((p) => p.step === step);
    return point ? Float32Array.from(mlpForward(protocol.model, point.weights, data.x)) : initialOutputs;
  });
  const meta: Omit<RunMeta, "token"> = {
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed,
    claimed: { ...evaluation.metrics },
    firstLosses,
    lossHistory,
    ...(ntk.length ? { series: { [NTK_SERIES]: ntkSeries(family.initialWeights(protocol, seed), data, ntkOutputs) } } : {}),
    environment: { ...TEST_ENVIRONMENT },
    timings: { trainMs: 1234.4, steps: protocol.training.steps },
  };
  const run: HonestRun = Object.freeze({
    protocol,
    seed,
    data,
    meta: deepFreeze(meta),
    weights,
    recomputed: Object.freeze({ ...evaluation.metrics }),
    grid: evaluation.grid,
    initialWeights,
    checkpoints: chain?.checkpoints ?? null,
  });
  cache.set(key, run);
  return run;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A mutable deep copy of the run's meta with the token and any overrides applied. */
export function metaWith(run: HonestRun, token: string, overrides: Partial<RunMeta> = {}): RunMeta {
  const copy = JSON.parse(JSON.stringify(run.meta)) as Omit<RunMeta, "token">;
  return { token, ...copy, ...overrides };
}

export type WeightsBody = Float32Array | Uint8Array<ArrayBuffer> | Blob;

/** What an honest client sends for one workunit: its meta, final weights and trajectory checkpoints. */
export interface HonestSubmission {
  readonly meta: RunMeta;
  readonly weights: Float32Array;
  readonly checkpoints: Float32Array | null;
  /** The segments the server checks (all of them). */
  readonly segments: readonly number[];
  /** What the server recomputes from these weights, and the figure grid it stores. */
  readonly recomputed: Readonly<Record<string, number | null>>;
  readonly grid: Float32Array;
}

/**
 * The honest submission of `run` for the workunit with `token`: its memoised complete chain, whatever the
 * contributor's standing (`_standing` is kept for callers; the server checks every segment for everyone).
 */
export async function honestSubmission(run: HonestRun, token: string, overrides: Partial<RunMeta> = {}, _standing: Standing = "new"): Promise<HonestSubmission> {
  return { meta: metaWith(run, token, overrides), weights: run.weights, checkpoints: run.checkpoints, segments: await serverDraws(run, token, _standing), recomputed: run.recomputed, grid: run.grid };
}

/** The segments the server checks for this token: every one, for every contributor. */
export async function serverDraws(run: HonestRun, _token: string, _standing: Standing): Promise<number[]> {
  return allSegments(run.protocol);
}

/** A multipart body as the clients send it: `meta` as a text field, `weights` as a binary file (and `checkpoints`, when given). */
export function submissionForm(meta: unknown, weights: WeightsBody, checkpoints: WeightsBody | null = null): FormData {
  const form = new FormData();
  form.set("meta", typeof meta === "string" ? meta : JSON.stringify(meta));
  form.set("weights", asBlob(weights), "weights.f32");
  if (checkpoints) form.set("checkpoints", asBlob(checkpoints), "checkpoints.f32");
  return form;
}

const asBlob = (body: WeightsBody): Blob =>
  body instanceof Blob ? body : new Blob([body instanceof Float32Array ? encodeFloat32(body) : body], { type: "application/octet-stream" });

/** POST /api/runs with a multipart body (meta: an object, or raw JSON text sent verbatim). */
export function postRun(meta: unknown, weights: WeightsBody, checkpoints: WeightsBody | null = null): Promise<Response> {
  return SELF.fetch(`${BASE}/api/runs`, { method: "POST", body: submissionForm(meta, weights, checkpoints) });
}

/** Posts the honest submission of `run` with `token` (optional meta overrides; other weights make it a forgery). */
export async function postHonest(run: HonestRun, token: string, overrides: Partial<RunMeta> = {}, weights?: WeightsBody): Promise<Response> {
  const honest = await honestSubmission(run, token, overrides);
  return postRun(honest.meta, weights ?? honest.weights, honest.checkpoints);
}
