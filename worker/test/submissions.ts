// Test helper: honest run submissions built without a browser, with the same shared plain-TypeScript code
// the server verifies with, and a poster that sends them exactly as the web and CLI clients do.
//
// What "honest" means here: the server cannot (and does not try to) check that the final weights are the
// result of 1,000 or 10,000 SGD steps. It checks
//   - the workunit (token, protocol, version, seed),
//   - the weights' byte length and finiteness,
//   - the evidence shapes (timings.steps, firstLosses length, lossHistory length),
//   - that firstLosses match a float64 replay of the first `evidence.replaySteps` steps from the seed's
//     initial weights on the seed's data (REPLAY_TOLERANCE), that the history agrees with them, that the
//     history's last value is the loss of the submitted weights and that this is below the initial loss,
//   - and that the claimed metrics equal evaluateMoons(protocol, data, weights).
//   - and, for protocols with trajectory checkpoints, that each checkpoint's loss is the history's at its
//     step and that the segments the server draws (keyed by REPLAY_KEY and the token) replay between them.
// The helper therefore trains for real, but only the replayed first steps (the plain-TypeScript SGD,
// float64, rounded to float32 at the end) and the trajectory segments the server will replay — it knows
// the tests' REPLAY_KEY — with placeholders elsewhere; a full run would cost seconds of CPU per
// submission. Its history holds the true losses where they are checked and a made-up decreasing curve in between.
import { SELF } from "cloudflare:test";
import { SEGMENTS_REPLAYED, segmentsToReplay, type Standing } from "../../shared/metrics/adaptive-trust";
import { keyedSegmentBytes, replaySegments } from "../../shared/metrics/trajectory";
import { trajectorySegments } from "../../shared/protocols/evidence";
import { buildChain } from "../../shared/testing/honest-chain";
import { tokenHash } from "../tokens";
import { TEST_REPLAY_KEY } from "./replay-key";
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
  /** A complete honest chain of checkpoints (short protocols), the same for every submission; null otherwise. */
  readonly checkpoints: Float32Array | null;
}

/** Protocols of at most this many steps get a complete honest trajectory (see honestRun). */
const COMPLETE_CHAIN_STEPS = 1000;

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
 * CPU. The returned objects are frozen: copy them (see metaWith) before changing anything.
 */
export function honestRun(protocolOrId: MoonsProtocol | string, seed: number): HonestRun {
  const protocol = typeof protocolOrId === "string" ? protocolById(protocolOrId) : protocolOrId;
  const key = `${protocol.id}@${protocol.version}/${seed}`;
  const hit = cache.get(key);
  if (hit) return hit;

  const family = twoMoonsFamily;
  const data = family.dataset(protocol, seed);
  const sizes = evidenceSizes(protocol);
  const initialWeights = family.initialWeights(protocol, seed);
  const replay = replayMoons(protocol, data, seed, initialWeights, sizes.firstLosses);
  const firstLosses = Array.from(replay.losses);
  // A short protocol's whole trajectory is cheap (fig1: 1,000 steps, about 3 s): train it all, so that every
  // submission of this seed has the same final weights whatever segments the server draws.
  const complete = protocol.evidence.checkpointEvery !== undefined && protocol.training.steps <= COMPLETE_CHAIN_STEPS;
  const chain = complete ? buildChain({ protocol, seed, data, initialWeights, real: "all", fallbackFinal: initialWeights }) : null;
  // Otherwise the final weights are the last segment trained from a placeholder checkpoint (the initial
  // weights): the server always replays the last segment, and this keeps them the same for most draws.
  // Peers, not the server, replay the segments of some protocols: their chain is all placeholders.
  const byPeers = protocol.evidence.segmentReplay === "peers";
  const lastOnly = !complete && protocol.evidence.checkpointEvery !== undefined && !byPeers;
  const lastSegment = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery ?? protocol.training.steps).length - 1;
  const weights = chain
    ? chain.finalWeights
    : lastOnly
      ? buildChain({ protocol, seed, data, initialWeights, real: [lastSegment], fallbackFinal: initialWeights }).finalWeights
      : Float32Array.from(replay.weights);
  const evaluation = evaluateMoons(protocol, data, weights);
  const steps = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  const lossHistory = steps.map((step, k) =>
    step < firstLosses.length
      ? firstLosses[step]!
      : k === steps.length - 1
        ? evaluation.metrics.finalLoss!
        : (chain?.points.find((p) => p.step === step)?.loss ?? firstLosses[0]! / (1 + k / 10)),
  );
  // NTK features (Fig. 2): the server checks the first record (initial weights) and the last (final weights).
  const ntk = ntkSteps(protocol);
  const initialOutputs = Float32Array.from(mlpForward(protocol.model, initialWeights, data.x));
  const finalOutputs = Float32Array.from(mlpForward(protocol.model, weights, data.x));
  const ntkOutputs = ntk.map((_, k) => (k === ntk.length - 1 ? finalOutputs : initialOutputs));
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
  /** The segments made real: a superset of those the server replays for a contributor of the given standing. */
  readonly segments: readonly number[];
  /** What the server recomputes from these weights, and the figure grid it stores. */
  readonly recomputed: Readonly<Record<string, number | null>>;
  readonly grid: Float32Array;
}

/**
 * The honest submission of `run` for the workunit with `token`: the segments the server will draw for this
 * token (its REPLAY_KEY is the tests' own) are replayed for real, as are the last segment's final weights when
 * drawn. `standing`: how many segments the server replays (anonymous and new contributors: 3; the helper
 * always makes the first three draws real, which covers proven ones too). Short protocols send their
 * complete memoised chain instead.
 */
export async function honestSubmission(run: HonestRun, token: string, overrides: Partial<RunMeta> = {}, standing: Standing = "new"): Promise<HonestSubmission> {
  const { protocol, seed, data } = run;
  const every = protocol.evidence.checkpointEvery;
  if (every === undefined) return { meta: metaWith(run, token, overrides), weights: run.weights, checkpoints: null, segments: [], recomputed: run.recomputed, grid: run.grid };
  if (run.checkpoints) return { meta: metaWith(run, token, overrides), weights: run.weights, checkpoints: run.checkpoints, segments: await serverDraws(run, token, standing), recomputed: run.recomputed, grid: run.grid };
  // The draws for three segments cover anonymous, new and proven contributors (a proven one's two are among them).
  const segments = await serverDraws(run, token, SEGMENTS_REPLAYED[standing] > SEGMENTS_REPLAYED.new ? standing : "new");
  const byPeers = protocol.evidence.segmentReplay === "peers";
  const chain = buildChain({ protocol, seed, data, initialWeights: run.initialWeights, real: byPeers ? [] : segments, fallbackFinal: run.weights });
  const finalChanged = chain.finalWeights !== run.weights;
  const evaluation = finalChanged ? evaluateMoons(protocol, data, chain.finalWeights) : { metrics: run.recomputed, grid: run.grid };
  const recomputed = { ...evaluation.metrics };
  const stepsOfHistory = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  const lossHistory = [...run.meta.lossHistory];
  for (const point of chain.points) lossHistory[stepsOfHistory.indexOf(point.step)] = point.loss;
  lossHistory[lossHistory.length - 1] = recomputed.finalLoss!;
  const ntk = ntkSteps(protocol);
  let series = run.meta.series;
  if (ntk.length) {
    const outputsOf = (weights: Float32Array) => Float32Array.from(mlpForward(protocol.model, weights, data.x));
    const initialOutputs = outputsOf(run.initialWeights);
    const outputs = ntk.map((step, k) => {
      if (k === ntk.length - 1) return outputsOf(chain.finalWeights);
      const point = chain.points.find((p) => p.step === step);
      return point ? outputsOf(point.weights) : initialOutputs;
    });
    series = { [NTK_SERIES]: ntkSeries(run.initialWeights, data, outputs) };
  }
  const meta: RunMeta = { ...metaWith(run, token), claimed: recomputed, lossHistory, ...(series ? { series } : {}), ...overrides };
  return { meta, weights: chain.finalWeights, checkpoints: chain.checkpoints, segments, recomputed, grid: evaluation.grid };
}

/** The segments the server draws for this token (it shares the tests' REPLAY_KEY) for a contributor of this standing. */
export async function serverDraws(run: HonestRun, token: string, standing: Standing): Promise<number[]> {
  const total = trajectorySegments(run.protocol.training.steps, run.protocol.evidence.checkpointEvery!).length;
  return replaySegments(segmentsToReplay(standing, total), total, await keyedSegmentBytes(TEST_REPLAY_KEY, await tokenHash(token)));
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
