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
// The helper therefore trains for real, but only the replayed first steps (the plain-TypeScript SGD,
// float64, rounded to float32 at the end); a full run would cost seconds of CPU per submission. Its
// history holds the true first losses where they are due and a made-up decreasing curve in between.
import { SELF } from "cloudflare:test";
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
  const replay = replayMoons(protocol, data, seed, family.initialWeights(protocol, seed), sizes.firstLosses);
  const firstLosses = Array.from(replay.losses);
  const weights = Float32Array.from(replay.weights);
  const evaluation = evaluateMoons(protocol, data, weights);
  const steps = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  const lossHistory = steps.map((step, k) =>
    step < firstLosses.length ? firstLosses[step]! : k === steps.length - 1 ? evaluation.metrics.finalLoss! : firstLosses[0]! / (1 + k / 10),
  );
  // NTK features (Fig. 2): the server checks the first record (initial weights) and the last (final weights).
  const ntk = ntkSteps(protocol);
  const initialOutputs = Float32Array.from(mlpForward(protocol.model, family.initialWeights(protocol, seed), data.x));
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

/** A multipart body as the clients send it: `meta` as a text field, `weights` as a binary file. */
export function submissionForm(meta: unknown, weights: WeightsBody): FormData {
  const form = new FormData();
  form.set("meta", typeof meta === "string" ? meta : JSON.stringify(meta));
  const blob =
    weights instanceof Blob
      ? weights
      : new Blob([weights instanceof Float32Array ? encodeFloat32(weights) : weights], { type: "application/octet-stream" });
  form.set("weights", blob, "weights.f32");
  return form;
}

/** POST /api/runs with a multipart body (meta: an object, or raw JSON text sent verbatim). */
export function postRun(meta: unknown, weights: WeightsBody): Promise<Response> {
  return SELF.fetch(`${BASE}/api/runs`, { method: "POST", body: submissionForm(meta, weights) });
}

/** Posts an honest run of `run` with `token` (and optional meta overrides / other weights). */
export function postHonest(run: HonestRun, token: string, overrides: Partial<RunMeta> = {}, weights: WeightsBody = run.weights): Promise<Response> {
  return postRun(metaWith(run, token, overrides), weights);
}
