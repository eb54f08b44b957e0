// The forged-submission suite's kit: honest submissions of every family, the shape of an attack, and the
// helpers attacks are written with (change the meta, the weights, the checkpoints, the raw body).
import { env } from "cloudflare:test";
import { type RejectionReason, type RunMeta } from "../../../shared/api";
import { cmnistRestartData } from "../../../shared/data/colored-mnist";
import { decodeMnistPack, type MnistPack } from "../../../shared/data/mnist-pack";
import { MNIST_PACK_MANIFEST } from "../../../shared/data/mnist-pack-manifest";
import { cmnistRunAccuracies } from "../../../shared/metrics/cmnist-forward";
import { NTK_SERIES } from "../../../shared/metrics/ntk-evidence";
import { evaluateMoons } from "../../../shared/metrics/two-moons";
import { cmnistTestChain, type CmnistTestChain } from "../../../shared/testing/cmnist-chain";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import { findProtocol, moonsProtocol } from "../../../shared/protocols/registry";
import { fig6PrimalSd } from "../../../shared/protocols/toy";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import type { MoonsProtocol } from "../../../shared/protocols/types";
import { trainingLoss } from "../../../shared/metrics/replay";
import { checkpointLayout, checkpointState } from "../../../shared/metrics/trajectory";
import { toyRunEvidence } from "../../../shared/toy/family";
import { BASE, honestRun, honestSubmission as honestMoons, submissionForm, TEST_ENVIRONMENT, type WeightsBody } from "../submissions";

export const FIG1 = "fig1-margin-pos";
export const FIG1_NEG = "fig1-margin-neg";
/** Version 2 of the Fig. 2 protocols records the NTK series. */
export const FIG2 = "fig2-margin-pos";
export const DEEP = "fig3-deeper";
export const TOY = fig6PrimalSd.id;
export const CMNIST = "cmnist-erm-reduced";
export const CMNIST_IRM = "cmnist-irm-reduced";
export const HOUR = 3600 * 1000;

// ---- honest submissions ----------------------------------------------------------------------------

export interface Submission {
  readonly meta: RunMeta;
  readonly weights: Float32Array;
  /** Trajectory checkpoints (two-moons, Colored MNIST; null for the toy model). */
  readonly checkpoints: Float32Array | null;
}

export async function moonsSubmission(protocolId: string, seed: number, token: string): Promise<Submission> {
  const { meta, weights, checkpoints } = await honestMoons(honestRun(protocolId, seed), token);
  return { meta, weights, checkpoints };
}

/** The toy run is deterministic (seed 0) and weightless: its evidence is the |z| trajectories. */
export function toySubmission(token: string): Submission {
  const evidence = toyRunEvidence(fig6PrimalSd);
  return {
    meta: {
      token,
      protocolId: TOY,
      protocolVersion: fig6PrimalSd.version,
      seed: 0,
      claimed: evidence.claimed,
      firstLosses: [],
      lossHistory: [],
      series: evidence.series,
      environment: { ...TEST_ENVIRONMENT },
      timings: { trainMs: 5, steps: fig6PrimalSd.toy.steps },
    },
    weights: new Float32Array(0),
    checkpoints: null,
  };
}

/** The static assets as the Worker's ASSETS binding serves them (SELF reaches the Worker only). */
let packPromise: Promise<MnistPack> | null = null;
export const servedPack = (): Promise<MnistPack> =>
  (packPromise ??= env.ASSETS.fetch(new Request(`${BASE}${MNIST_PACK_MANIFEST.path}`)).then(async (r) => decodeMnistPack(new Uint8Array(await r.arrayBuffer()))));

/** Restart `seed`'s chain and claims, once per protocol and seed (building one takes seconds). */
const cmnistChains = new Map<string, Promise<{ chain: CmnistTestChain; claims: { trainAccuracy: number; testAccuracy: number } }>>();

/**
 * An honest-looking Colored-MNIST submission: the last layer trained by Adam from restart `seed`'s initial
 * weights (shared/testing/cmnist-chain.ts), with its own loss history, checkpoints and exact accuracies. It
 * passes the server's own checks; its segments are not the recipe's, which only a peer's replay shows.
 */
export async function cmnistSubmission(protocolId: string, seed: number, token: string): Promise<Submission> {
  const protocol = findProtocol(protocolId) as CmnistProtocol;
  const key = `${protocolId}/${seed}`;
  if (!cmnistChains.has(key)) {
    cmnistChains.set(
      key,
      servedPack().then((pack) => {
        const chain = cmnistTestChain(protocol, seed, pack);
        return { chain, claims: cmnistRunAccuracies(protocol.model, chain.finalWeights, cmnistRestartData(pack, seed, protocol.data.examplesPerEnv)) };
      }),
    );
  }
  const { chain, claims } = await cmnistChains.get(key)!;
  const { steps } = protocol.training;
  return {
    meta: {
      token,
      protocolId,
      protocolVersion: protocol.version,
      seed,
      claimed: { ...claims },
      firstLosses: [],
      lossHistory: [...chain.lossHistory],
      environment: { ...TEST_ENVIRONMENT },
      timings: { trainMs: 4321, steps },
    },
    weights: chain.finalWeights.slice(),
    checkpoints: chain.checkpoints.slice(),
  };
}

/** Restart `seed`'s honest-looking checkpoints (see cmnistSubmission). */
export async function cmnistCheckpoints(protocol: CmnistProtocol, seed: number): Promise<Float32Array> {
  return (await cmnistSubmission(protocol.id, seed, "")).checkpoints!;
}

/** A fresh, mutable honest submission of any family. */
export async function honestOf(protocolId: string, seed: number, token: string): Promise<Submission> {
  const family = findProtocol(protocolId)!.family;
  if (family === "two-moons") return moonsSubmission(protocolId, seed, token);
  if (family === "toy-dynamics") return toySubmission(token);
  return cmnistSubmission(protocolId, seed, token);
}

// ---- forged requests -------------------------------------------------------------------------------

/** A multipart submission (meta: an object, or JSON text sent verbatim), or a raw request body. */
export type Forged =
  | { readonly meta: unknown; readonly weights: WeightsBody; readonly checkpoints?: WeightsBody | null }
  | { readonly body: BodyInit; readonly contentType: string | null };

export interface Ctx {
  /** The workunit's token (for `token: "unknown"`, one never issued). */
  readonly token: string;
  /** The honest submission for the workunit's protocol and seed, with that token; computed on demand. */
  readonly honest: () => Promise<Submission>;
}

export type TokenKind = "fresh" | "used" | "burned" | "expired" | "unknown";

export interface Attack {
  readonly name: string;
  /** The workunit's protocol (and, by default, seed 0 and the protocol's current version). */
  readonly protocolId: string;
  readonly seed?: number;
  readonly version?: (current: number) => number;
  /** fresh (default); used: an honest run was accepted with it; burned: a rejected run used it; expired; unknown. */
  readonly token?: TokenKind;
  readonly forge: (ctx: Ctx) => Forged | Promise<Forged>;
  readonly status: 400 | 403 | 409 | 410 | 413 | 415 | 422;
  readonly reason: RejectionReason;
  /** What the message must say, where the reason alone does not tell the attacks apart. */
  readonly message?: RegExp;
}

/** The honest weights with a changed meta. */
export const meta =
  (change: (meta: RunMeta, weights: Float32Array) => unknown) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    return { meta: change(h.meta, h.weights), weights: h.weights, checkpoints: h.checkpoints };
  };

/** The honest meta with other weights. */
export const weights =
  (change: (weights: Float32Array, meta: RunMeta) => WeightsBody) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    return { meta: h.meta, weights: change(h.weights, h.meta), checkpoints: h.checkpoints };
  };

/** Two-moons weights from `replace`, with claims and the history's final loss honest for them: only the weights lie. */
export const moonsWeights =
  (replace: (weights: Float32Array, protocol: MoonsProtocol, seed: number) => Float32Array) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    return moonsWithWeights(h, replace(h.weights, moonsProtocol(h.meta.protocolId), h.meta.seed));
  };

export function moonsWithWeights(h: Submission, weights: Float32Array): Submission {
  const protocol = moonsProtocol(h.meta.protocolId);
  const metrics = evaluateMoons(protocol, twoMoonsFamily.dataset(protocol, h.meta.seed), weights).metrics;
  return { meta: { ...h.meta, claimed: { ...metrics }, lossHistory: [...h.meta.lossHistory.slice(0, -1), metrics.finalLoss!] }, weights, checkpoints: h.checkpoints };
}

/** The bytes and content type of a multipart body as fetch sends it. */
export async function serialize(form: FormData): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string }> {
  const request = new Request(`${BASE}/`, { method: "POST", body: form });
  return { bytes: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get("content-type")! };
}

/** The honest submission's serialized multipart body, changed at the byte level. */
export const rawBody =
  (change: (bytes: Uint8Array<ArrayBuffer>, contentType: string, h: Submission) => Forged) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    const { bytes, contentType } = await serialize(submissionForm(h.meta, h.weights, h.checkpoints));
    return change(bytes, contentType, h);
  };

export const randomBytes = (n: number): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(n));

export function without<T extends object, K extends keyof T>(object: T, key: K): Omit<T, K> {
  const copy = { ...object };
  delete copy[key];
  return copy;
}

export const replaceAt = (values: Float32Array, index: number, value: number): Float32Array => values.map((w, k) => (k === index ? value : w));
/** The NTK series: NTK_COMPONENTS values per recorded step, in step order. */
export const ntkRecords = (meta: RunMeta) => meta.series![NTK_SERIES]!;

/** float32 values per fig1 checkpoint: 2,001 weights and 2,001 velocities. */
export const CHECKPOINT_SIZE = checkpointLayout(moonsProtocol(FIG1))!.size;

/** The honest submission with other trajectory checkpoints. */
export const checkpoints =
  (change: (checkpoints: Float32Array) => WeightsBody) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    return { meta: h.meta, weights: h.weights, checkpoints: change(h.checkpoints!) };
  };

/** The loss history with each checkpoint's own training loss at its step, as a forger would fix it up. */
export function historyAtCheckpoints(meta: RunMeta, values: Float32Array, seed: number, protocolId = FIG1): number[] {
  const protocol = moonsProtocol(protocolId);
  const layout = checkpointLayout(protocol)!;
  const data = twoMoonsFamily.dataset(protocol, seed);
  const history = [...meta.lossHistory];
  layout.steps.forEach((step, k) => {
    history[step / protocol.evidence.historyEvery] = trainingLoss(protocol, data, seed, checkpointState(layout, values, k).weights, step);
  });
  return history;
}

