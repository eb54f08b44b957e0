// Every forged submission we know of, in one table: each refused with its status and reason, none on the leaderboard; honest runs of every family accepted.
//
// How to read the table: each attack starts from an honest submission for its workunit (two-moons: the
// memoised 20-step replay of worker/test/submissions.ts; toy: the exact trajectories; Colored MNIST: restart
// r's initial weights with their exact accuracies), changes one thing, and names the answer it must get.
// The harness checks, for every attack:
//   - 422 (the verifier's rejections): the body is a RunRecord with status "rejected" and that reason, the run
//     is stored once as rejected (its workunit consumed; weights kept unless they have the wrong size, never
//     served), and it is not among the protocol board's runs;
//   - any other status (refused before verification): the error body has that reason, nothing is stored (no
//     run row, no R2 object) and the workunit is not consumed;
//   - both: GET /api/leaderboard shows the same run count for every protocol before and after.
// Workunits are inserted into D1 as POST /api/workunits stores them (seed 0 unless an attack needs another),
// so that every attack reuses one memoised honest run per protocol.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LIMITS, ProtocolBoardSchema, REJECTION_REASONS, RunRecordSchema, type RejectionReason, type RunMeta, type RunRecord } from "../../shared/api";
import { cmnistRestartData } from "../../shared/data/colored-mnist";
import { decodeMnistPack, type MnistPack } from "../../shared/data/mnist-pack";
import { MNIST_PACK_MANIFEST } from "../../shared/data/mnist-pack-manifest";
import { cmnistRunAccuracies } from "../../shared/metrics/cmnist-forward";
import { cmnistHistorySteps } from "../../shared/metrics/cmnist-verify";
import { NTK_COMPONENTS, NTK_SERIES } from "../../shared/metrics/ntk-evidence";
import { evaluateMoons } from "../../shared/metrics/two-moons";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import type { CmnistProtocol } from "../../shared/protocols/colored-mnist";
import { findProtocol, moonsProtocol } from "../../shared/protocols/registry";
import { fig6PrimalSd } from "../../shared/protocols/toy";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import type { MoonsProtocol } from "../../shared/protocols/types";
import { replaySegment } from "../../shared/metrics/replay";
import { checkpointLayout, checkpointState } from "../../shared/metrics/trajectory";
import { buildChain } from "../../shared/testing/honest-chain";
import { toyRunEvidence } from "../../shared/toy/family";
import { artifactKeys } from "../storage";
import { newToken } from "../tokens";
import { api, expectError, insertWorkunit, leaderboardRunCounts, postJson, requestWorkunit, runRow, runRows, storedState, workunitRow } from "./helpers";
import { BASE, honestRun, honestSubmission as honestMoons, postRun, serverDraws, submissionForm, TEST_ENVIRONMENT, type WeightsBody } from "./submissions";

const FIG1 = "fig1-margin-pos";
const FIG1_NEG = "fig1-margin-neg";
/** Version 2 of the Fig. 2 protocols records the NTK series. */
const FIG2 = "fig2-margin-pos";
const DEEP = "fig3-deeper";
const TOY = fig6PrimalSd.id;
const CMNIST = "cmnist-erm-reduced";
const CMNIST_IRM = "cmnist-irm-reduced";
const HOUR = 3600 * 1000;

// ---- honest submissions ----------------------------------------------------------------------------

interface Submission {
  readonly meta: RunMeta;
  readonly weights: Float32Array;
  /** Two-moons trajectory checkpoints (null for other families and checkpoint-free protocols). */
  readonly checkpoints: Float32Array | null;
}

async function moonsSubmission(protocolId: string, seed: number, token: string): Promise<Submission> {
  const { meta, weights, checkpoints } = await honestMoons(honestRun(protocolId, seed), token);
  return { meta, weights, checkpoints };
}

/** The toy run is deterministic (seed 0) and weightless: its evidence is the |z| trajectories. */
function toySubmission(token: string): Submission {
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
const servedPack = (): Promise<MnistPack> =>
  (packPromise ??= env.ASSETS.fetch(new Request(`${BASE}${MNIST_PACK_MANIFEST.path}`)).then(async (r) => decodeMnistPack(new Uint8Array(await r.arrayBuffer()))));
const cmnistClaims = new Map<string, Promise<{ trainAccuracy: number; testAccuracy: number }>>();

/** Restart `seed`'s initial weights with their exact accuracies (see worker/test/colored-mnist.test.ts). */
async function cmnistSubmission(protocolId: string, seed: number, token: string): Promise<Submission> {
  const protocol = findProtocol(protocolId) as CmnistProtocol;
  const weights = cmnistInitialWeights(cmnistMlpSpec(protocol.model), seed);
  const key = `${protocolId}/${seed}`;
  if (!cmnistClaims.has(key)) {
    cmnistClaims.set(key, servedPack().then((pack) => cmnistRunAccuracies(protocol.model, weights, cmnistRestartData(pack, seed, protocol.data.examplesPerEnv))));
  }
  const { steps } = protocol.training;
  return {
    meta: {
      token,
      protocolId,
      protocolVersion: protocol.version,
      seed,
      claimed: { ...(await cmnistClaims.get(key)!) },
      firstLosses: [],
      lossHistory: cmnistHistorySteps(steps, protocol.evidence.historyEvery).map((t) => 0.7 - t / (10 * steps)),
      environment: { ...TEST_ENVIRONMENT },
      timings: { trainMs: 4321, steps },
    },
    weights,
    checkpoints: null,
  };
}

/** A fresh, mutable honest submission of any family. */
async function honestOf(protocolId: string, seed: number, token: string): Promise<Submission> {
  const family = findProtocol(protocolId)!.family;
  if (family === "two-moons") return moonsSubmission(protocolId, seed, token);
  if (family === "toy-dynamics") return toySubmission(token);
  return cmnistSubmission(protocolId, seed, token);
}

// ---- forged requests -------------------------------------------------------------------------------

/** A multipart submission (meta: an object, or JSON text sent verbatim), or a raw request body. */
type Forged =
  | { readonly meta: unknown; readonly weights: WeightsBody; readonly checkpoints?: WeightsBody | null }
  | { readonly body: BodyInit; readonly contentType: string | null };

interface Ctx {
  /** The workunit's token (for `token: "unknown"`, one never issued). */
  readonly token: string;
  /** The honest submission for the workunit's protocol and seed, with that token; computed on demand. */
  readonly honest: () => Promise<Submission>;
}

type TokenKind = "fresh" | "used" | "burned" | "expired" | "unknown";

interface Attack {
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
const meta =
  (change: (meta: RunMeta, weights: Float32Array) => unknown) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    return { meta: change(h.meta, h.weights), weights: h.weights, checkpoints: h.checkpoints };
  };

/** The honest meta with other weights. */
const weights =
  (change: (weights: Float32Array, meta: RunMeta) => WeightsBody) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    return { meta: h.meta, weights: change(h.weights, h.meta), checkpoints: h.checkpoints };
  };

/** Two-moons weights from `replace`, with claims and the history's final loss honest for them: only the weights lie. */
const moonsWeights =
  (replace: (weights: Float32Array, protocol: MoonsProtocol, seed: number) => Float32Array) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    return moonsWithWeights(h, replace(h.weights, moonsProtocol(h.meta.protocolId), h.meta.seed));
  };

function moonsWithWeights(h: Submission, weights: Float32Array): Submission {
  const protocol = moonsProtocol(h.meta.protocolId);
  const metrics = evaluateMoons(protocol, twoMoonsFamily.dataset(protocol, h.meta.seed), weights).metrics;
  return { meta: { ...h.meta, claimed: { ...metrics }, lossHistory: [...h.meta.lossHistory.slice(0, -1), metrics.finalLoss!] }, weights, checkpoints: h.checkpoints };
}

/** The bytes and content type of a multipart body as fetch sends it. */
async function serialize(form: FormData): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string }> {
  const request = new Request(`${BASE}/`, { method: "POST", body: form });
  return { bytes: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get("content-type")! };
}

/** The honest submission's serialized multipart body, changed at the byte level. */
const rawBody =
  (change: (bytes: Uint8Array<ArrayBuffer>, contentType: string, h: Submission) => Forged) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    const { bytes, contentType } = await serialize(submissionForm(h.meta, h.weights, h.checkpoints));
    return change(bytes, contentType, h);
  };

const randomBytes = (n: number): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(n));

function without<T extends object, K extends keyof T>(object: T, key: K): Omit<T, K> {
  const copy = { ...object };
  delete copy[key];
  return copy;
}

const replaceAt = (values: Float32Array, index: number, value: number): Float32Array => values.map((w, k) => (k === index ? value : w));
/** The NTK series: NTK_COMPONENTS values per recorded step, in step order. */
const ntkRecords = (meta: RunMeta) => meta.series![NTK_SERIES]!;

/** float32 values per fig1 checkpoint: 2,001 weights and 2,001 velocities. */
const CHECKPOINT_SIZE = checkpointLayout(moonsProtocol(FIG1))!.size;

/** The honest submission with other trajectory checkpoints. */
const checkpoints =
  (change: (checkpoints: Float32Array) => WeightsBody) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    return { meta: h.meta, weights: h.weights, checkpoints: change(h.checkpoints!) };
  };

/** The loss history with each checkpoint's own training loss at its step, as a forger would fix it up. */
function historyAtCheckpoints(meta: RunMeta, values: Float32Array, seed: number, protocolId = FIG1): number[] {
  const protocol = moonsProtocol(protocolId);
  const layout = checkpointLayout(protocol)!;
  const data = twoMoonsFamily.dataset(protocol, seed);
  const history = [...meta.lossHistory];
  layout.steps.forEach((step, k) => {
    const loss = replaySegment(protocol, data, seed, checkpointState(layout, values, k), 1).losses[0]!;
    history[step / protocol.evidence.historyEvery] = loss;
  });
  return history;
}

// ---- the table -------------------------------------------------------------------------------------

const ATTACKS: readonly Attack[] = [
  // Claims that the weights do not support, or that are not the protocol's metrics.
  {
    name: "two-moons: inflated metrics (100 % train accuracy, half the final loss)",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, claimed: { ...m.claimed, trainAccuracy: 1, finalLoss: m.claimed.finalLoss! / 2 } })),
    status: 422,
    reason: "claims_mismatch",
  },
  {
    name: "two-moons: a claim missing (no curvature)",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, claimed: without(m.claimed, "curvature") })),
    status: 422,
    reason: "claims_shape",
    message: /missing curvature/,
  },
  {
    name: "two-moons: an extra metric claimed (testAccuracy)",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, claimed: { ...m.claimed, testAccuracy: 1 } })),
    status: 422,
    reason: "claims_shape",
    message: /unknown testAccuracy/,
  },
  {
    name: "two-moons: a required metric claimed null",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, claimed: { ...m.claimed, trainAccuracy: null } })),
    status: 422,
    reason: "claims_shape",
  },
  {
    name: "Colored MNIST: inflated test accuracy (+10 points)",
    protocolId: CMNIST,
    forge: meta((m) => ({ ...m, claimed: { ...m.claimed, testAccuracy: m.claimed.testAccuracy! + 0.1 } })),
    status: 422,
    reason: "claims_mismatch",
    message: /Test accuracy/,
  },
  {
    name: "Colored MNIST: an accuracy above 1",
    protocolId: CMNIST,
    forge: meta((m) => ({ ...m, claimed: { ...m.claimed, testAccuracy: 1.5 } })),
    status: 422,
    reason: "claims_shape",
  },
  {
    name: "Colored MNIST: a negative accuracy",
    protocolId: CMNIST,
    forge: meta((m) => ({ ...m, claimed: { ...m.claimed, trainAccuracy: -0.01 } })),
    status: 422,
    reason: "claims_shape",
  },
  {
    name: "toy: an inflated end point (the trajectories left honest)",
    protocolId: TOY,
    forge: meta((m) => ({ ...m, claimed: { ...m.claimed, z2s8: m.claimed.z2s8! + 0.5 } })),
    status: 422,
    reason: "claims_mismatch",
  },
  {
    name: "a claim of 1e999 in the meta text (Infinity once parsed)",
    protocolId: FIG1,
    forge: meta((m) => JSON.stringify(m).replace(/"finalLoss":[^,}]+/, '"finalLoss":1e999')),
    status: 400,
    reason: "malformed",
  },

  // Weights or meta of another run: another seed, another protocol, a cheaper network.
  {
    name: "two-moons: seed 0's honest run (weights and first losses) posted for a seed-1 workunit",
    protocolId: FIG1,
    seed: 1,
    forge: async ({ token }) => {
      const other = await moonsSubmission(FIG1, 0, token);
      return { meta: { ...other.meta, seed: 1 }, weights: other.weights, checkpoints: other.checkpoints };
    },
    status: 422,
    reason: "replay_mismatch",
    message: /seed 1/,
  },
  {
    name: "two-moons: first losses forged (1 % off at step 7)",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, firstLosses: m.firstLosses.map((l, k) => (k === 7 ? l * 1.01 : l)) })),
    status: 422,
    reason: "replay_mismatch",
  },
  {
    name: "an honest run of another protocol (fig1-margin-neg's weights and meta) on this workunit",
    protocolId: FIG1,
    forge: ({ token }) => moonsSubmission(FIG1_NEG, 0, token),
    status: 422,
    reason: "workunit_mismatch",
  },
  {
    name: "meta naming another seed than the workunit's",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, seed: m.seed + 1 })),
    status: 422,
    reason: "workunit_mismatch",
  },
  {
    name: "meta naming another protocol version than the workunit's",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, protocolVersion: m.protocolVersion + 1 })),
    status: 422,
    reason: "workunit_mismatch",
  },
  {
    name: "fig1's cheap 2-500-1 weights relabelled for a fig3-deeper workunit (2-500-500-500-500-1)",
    protocolId: DEEP,
    forge: async ({ token }) => {
      const cheap = await moonsSubmission(FIG1, 0, token);
      const deep = moonsProtocol(DEEP);
      return { meta: { ...cheap.meta, protocolId: deep.id, protocolVersion: deep.version, timings: { ...cheap.meta.timings, steps: deep.training.steps } }, weights: cheap.weights };
    },
    status: 422,
    reason: "weights_shape",
  },
  {
    name: "Colored MNIST: ERM-reduced's 392-300-300-1 weights relabelled for an IRM-reduced workunit (392-390-390-1)",
    protocolId: CMNIST_IRM,
    forge: async ({ token }) => {
      const erm = await cmnistSubmission(CMNIST, 0, token);
      const irm = findProtocol(CMNIST_IRM) as CmnistProtocol;
      return { meta: { ...erm.meta, protocolId: irm.id, protocolVersion: irm.version, timings: { ...erm.meta.timings, steps: irm.training.steps } }, weights: erm.weights };
    },
    status: 422,
    reason: "weights_shape",
  },

  // Tokens.
  {
    // A different body: the same body again is an idempotent retry (it gets the stored run back).
    name: "a replayed token (already used by an accepted run) with another body",
    protocolId: FIG1,
    token: "used",
    forge: meta((m) => ({ ...m, contributor: "someone else" })),
    status: 409,
    reason: "token_used",
  },
  {
    name: "a token burned by a rejected submission, reused for an honest body",
    protocolId: FIG1,
    token: "burned",
    forge: meta((m) => m),
    status: 409,
    reason: "token_used",
  },
  { name: "an expired token", protocolId: FIG1, token: "expired", forge: meta((m) => m), status: 410, reason: "token_expired" },
  { name: "an unknown token (well-formed, never issued)", protocolId: FIG1, token: "unknown", forge: meta((m) => m), status: 403, reason: "token_invalid" },
  {
    name: "a malformed token (42 characters)",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, token: m.token.slice(0, 42) })),
    status: 400,
    reason: "malformed",
  },
  {
    name: "a malformed token (base64 '+' and '/')",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, token: `${m.token.slice(0, 41)}+/` })),
    status: 400,
    reason: "malformed",
  },
  { name: "no token at all", protocolId: FIG1, forge: meta((m) => without(m, "token")), status: 400, reason: "malformed" },
  {
    name: "a workunit of a retired protocol version",
    protocolId: FIG1,
    version: (v) => v + 1,
    forge: meta((m) => ({ ...m, protocolVersion: m.protocolVersion + 1 })),
    status: 410,
    reason: "unknown_protocol",
  },

  // Doctored evidence.
  {
    name: "two-moons: a loss history disagreeing with firstLosses (step 0 off by 1e-12)",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, lossHistory: [m.lossHistory[0]! + 1e-12, ...m.lossHistory.slice(1)] })),
    status: 422,
    reason: "evidence_mismatch",
    message: /disagree/,
  },
  {
    name: "two-moons: a history whose final loss is not the submitted weights' (halved)",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, lossHistory: [...m.lossHistory.slice(0, -1), m.lossHistory.at(-1)! / 2] })),
    status: 422,
    reason: "evidence_mismatch",
    message: /not the ones this history trained/,
  },
  {
    name: "two-moons: untrained weights (the seed's initial weights, claims and history honest for them)",
    protocolId: FIG1,
    forge: moonsWeights((_, protocol, seed) => twoMoonsFamily.initialWeights(protocol, seed)),
    status: 422,
    reason: "evidence_mismatch",
    message: /not trained/,
  },
  {
    name: "two-moons: 19 first losses instead of 20",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, firstLosses: m.firstLosses.slice(0, 19) })),
    status: 422,
    reason: "evidence_shape",
  },
  {
    name: "two-moons: a loss history one value short",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, lossHistory: m.lossHistory.slice(0, -1) })),
    status: 422,
    reason: "evidence_shape",
  },
  {
    name: "two-moons: fewer training steps reported (timings.steps 999 of 1,000)",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, timings: { ...m.timings, steps: 999 } })),
    status: 422,
    reason: "evidence_shape",
  },
  {
    name: "fig2 (v2): doctored NTK series, the final record's |z| inflated by 10 %",
    protocolId: FIG2,
    forge: meta((m) => {
      const z = ntkRecords(m);
      return { ...m, series: { [NTK_SERIES]: z.map((v, k) => (k >= z.length - NTK_COMPONENTS ? v * 1.1 : v)) } };
    }),
    status: 422,
    reason: "evidence_mismatch",
    message: /NTK feature .* the submitted weights give/,
  },
  {
    name: "fig2 (v2): doctored NTK series, the initial record zeroed",
    protocolId: FIG2,
    forge: meta((m) => ({ ...m, series: { [NTK_SERIES]: ntkRecords(m).map((v, k) => (k < NTK_COMPONENTS ? 0 : v)) } })),
    status: 422,
    reason: "evidence_mismatch",
    message: /NTK feature .* the initial weights give/,
  },
  {
    name: "fig2 (v2): the NTK series one record short",
    protocolId: FIG2,
    forge: meta((m) => ({ ...m, series: { [NTK_SERIES]: ntkRecords(m).slice(NTK_COMPONENTS) } })),
    status: 422,
    reason: "evidence_shape",
  },
  { name: "fig2 (v2): no NTK series", protocolId: FIG2, forge: meta((m) => without(m, "series")), status: 422, reason: "evidence_shape" },
  {
    name: "fig1: an NTK series on a protocol that records none",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, series: { [NTK_SERIES]: Array<number>(NTK_COMPONENTS).fill(0.5) } })),
    status: 422,
    reason: "evidence_shape",
  },
  {
    name: "toy: a doctored trajectory (|z1| for s1 = 2 moved by 0.01 mid-run, end point honest)",
    protocolId: TOY,
    forge: meta((m) => ({ ...m, series: { ...m.series, z1s2: m.series!.z1s2!.map((v, k) => (k === 50 ? v + 0.01 : v)) } })),
    status: 422,
    reason: "evidence_mismatch",
    message: /Series z1s2/,
  },
  {
    name: "toy: a trajectory missing (z2s8)",
    protocolId: TOY,
    forge: meta((m) => ({ ...m, series: without(m.series!, "z2s8") })),
    status: 422,
    reason: "evidence_shape",
  },
  {
    name: "toy: a loss history on a weightless run",
    protocolId: TOY,
    forge: meta((m) => ({ ...m, lossHistory: [0.5] })),
    status: 422,
    reason: "evidence_shape",
  },
  {
    name: "Colored MNIST: a negative loss in the history",
    protocolId: CMNIST,
    forge: meta((m) => ({ ...m, lossHistory: m.lossHistory.map((l, k) => (k === 3 ? -0.1 : l)) })),
    status: 422,
    reason: "evidence_shape",
  },

  // Weights that are not numbers, not the right count, or not trained.
  {
    name: "NaN in the weights",
    protocolId: FIG1,
    forge: weights((w) => replaceAt(w, 7, Number.NaN)),
    status: 422,
    reason: "weights_not_finite",
    message: /Weight 7/,
  },
  {
    name: "a signalling-NaN bit pattern (0x7fa00001) in the weights",
    protocolId: FIG1,
    forge: weights((w) => {
      const bytes = encodeFloat32(w);
      new DataView(bytes.buffer).setUint32(4 * 11, 0x7fa00001, true);
      return bytes;
    }),
    status: 422,
    reason: "weights_not_finite",
    message: /Weight 11/,
  },
  { name: "+Infinity in the weights", protocolId: FIG1, forge: weights((w) => replaceAt(w, 0, Number.POSITIVE_INFINITY)), status: 422, reason: "weights_not_finite" },
  {
    name: "Colored MNIST: -Infinity as the last weight",
    protocolId: CMNIST,
    forge: weights((w) => replaceAt(w, w.length - 1, Number.NEGATIVE_INFINITY)),
    status: 422,
    reason: "weights_not_finite",
  },
  {
    // Subnormal float32 values are decoded exactly and are ordinary finite numbers to the verifier; a net of
    // them computes ≈ 0, whose loss (ln 2) is above this seed's initial loss, so it is "not trained". (A run
    // with some subnormal weights and honest claims is accepted: see "subnormal weights" below.)
    name: "two-moons: every weight subnormal (1e-40, ≈ a zero net), claims honest for them",
    protocolId: FIG1,
    forge: moonsWeights((w) => new Float32Array(w.length).fill(1e-40)),
    status: 422,
    reason: "evidence_mismatch",
    message: /not trained/,
  },
  { name: "one weight too few", protocolId: FIG1, forge: weights((w) => w.subarray(0, w.length - 1)), status: 422, reason: "weights_shape" },
  {
    name: "a weights file of 4n + 2 bytes",
    protocolId: FIG1,
    forge: weights((w) => new Uint8Array(w.length * 4 + 2)),
    status: 422,
    reason: "weights_shape",
  },
  {
    name: "float64 weights (twice the bytes)",
    protocolId: FIG1,
    forge: weights((w) => new Uint8Array(Float64Array.from(w).buffer)),
    status: 422,
    reason: "weights_shape",
  },
  { name: "toy: a weightless run sent with one weight", protocolId: TOY, forge: weights(() => new Float32Array(1)), status: 422, reason: "weights_shape" },

  // The request itself: size, content type, multipart, JSON, the strict schema.
  {
    name: `an oversized body (over LIMITS.requestBytes = ${LIMITS.requestBytes})`,
    protocolId: FIG1,
    forge: weights(() => new Uint8Array(LIMITS.requestBytes + 16)),
    status: 413,
    reason: "payload_too_large",
  },
  {
    name: `an oversized meta part (over LIMITS.metaBytes = ${LIMITS.metaBytes}) inside an allowed body`,
    protocolId: FIG1,
    forge: meta((m) => `${JSON.stringify(m).slice(0, -1)}${" ".repeat(LIMITS.metaBytes + 1024)}}`),
    status: 413,
    reason: "payload_too_large",
  },
  {
    name: "a multipart body truncated in the weights",
    protocolId: FIG1,
    forge: rawBody((bytes, contentType) => ({ body: bytes.slice(0, bytes.length - 1000), contentType })),
    status: 400,
    reason: "malformed",
  },
  {
    name: "a multipart body truncated in the meta",
    protocolId: FIG1,
    forge: rawBody((bytes, contentType) => ({ body: bytes.slice(0, 300), contentType })),
    status: 400,
    reason: "malformed",
  },
  {
    name: "binary garbage labelled multipart/form-data",
    protocolId: FIG1,
    forge: () => ({ body: randomBytes(4096), contentType: "multipart/form-data; boundary=----gs-forged" }),
    status: 400,
    reason: "malformed",
  },
  {
    name: "binary garbage as the meta part",
    protocolId: FIG1,
    forge: meta(() => String.fromCharCode(...randomBytes(512))),
    status: 400,
    reason: "malformed",
  },
  {
    name: "malformed JSON in the meta part (a trailing comma)",
    protocolId: FIG1,
    forge: meta((m) => JSON.stringify(m).replace(/}$/, ",}")),
    status: 400,
    reason: "malformed",
  },
  {
    name: "the meta sent as a JSON body (application/json)",
    protocolId: FIG1,
    forge: async ({ honest }) => ({ body: JSON.stringify((await honest()).meta), contentType: "application/json" }),
    status: 415,
    reason: "unsupported_media_type",
  },
  {
    name: "the multipart bytes labelled text/plain",
    protocolId: FIG1,
    forge: rawBody((bytes) => ({ body: bytes, contentType: "text/plain" })),
    status: 415,
    reason: "unsupported_media_type",
  },
  {
    name: "an unknown field in meta (strict schema): status 'accepted'",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, status: "accepted" })),
    status: 400,
    reason: "malformed",
  },
  {
    name: "an unknown field in meta.environment (strict schema)",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, environment: { ...m.environment, verified: true } })),
    status: 400,
    reason: "malformed",
  },
  {
    name: "a top-level __proto__ key in meta",
    protocolId: FIG1,
    forge: meta((m) => JSON.stringify(m).replace(/^\{/, '{"__proto__":{"status":"accepted"},')),
    status: 400,
    reason: "malformed",
  },
  {
    name: "a __proto__ key among the claims",
    protocolId: FIG1,
    forge: meta((m) => JSON.stringify(m).replace('"claimed":{', '"claimed":{"__proto__":{"trainAccuracy":1},')),
    status: 400,
    reason: "malformed",
  },
  {
    name: "SQL in meta.protocolId",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, protocolId: "fig1-margin-pos'; DROP TABLE runs; --" })),
    status: 400,
    reason: "malformed",
  },
  {
    // Found by this suite (then fixed): the stray series would be stored with the run and served as a
    // "verified" seed aggregate by GET /api/leaderboard/fig1-margin-pos/series/fakeSeries.
    name: "two-moons: a series the protocol does not define rides along with an honest run",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, series: { fakeSeries: [1, 2, 3] } })),
    status: 422,
    reason: "evidence_shape",
  },
  {
    // Found by this suite (then fixed): the two-moons loss (softplus, plus SD's mean ŷ²) is never negative.
    name: "two-moons: a negative loss in the history between the replayed steps and the final loss",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, lossHistory: m.lossHistory.map((l, k) => (k === 30 ? -5 : l)) })),
    status: 422,
    reason: "evidence_shape",
  },
  // Trajectory evidence (shared/metrics/trajectory.ts): the checkpoints must exist, be finite, agree with the
  // history, and connect — the server always replays the last segment and draws others.
  {
    name: "two-moons: no trajectory checkpoints",
    protocolId: FIG1,
    forge: async ({ honest }) => ({ ...(await honest()), checkpoints: null }),
    status: 422,
    reason: "evidence_shape",
    message: /9 trajectory checkpoints/,
  },
  {
    name: "two-moons: the trajectory one checkpoint short",
    protocolId: FIG1,
    forge: checkpoints((c) => c.subarray(0, c.length - CHECKPOINT_SIZE)),
    status: 422,
    reason: "evidence_shape",
  },
  {
    name: "two-moons: a NaN in the checkpoint at step 500",
    protocolId: FIG1,
    forge: checkpoints((c) => replaceAt(c, 4 * CHECKPOINT_SIZE + 17, Number.NaN)),
    status: 422,
    reason: "weights_not_finite",
    message: /checkpoint 5/,
  },
  {
    name: "two-moons: checkpoints sent as a text part",
    protocolId: FIG1,
    forge: async ({ honest }) => {
      const h = await honest();
      const form = submissionForm(h.meta, h.weights);
      form.set("checkpoints", "1,2,3");
      return { body: form, contentType: null };
    },
    status: 400,
    reason: "malformed",
    message: /'checkpoints' part must be a binary file/,
  },
  {
    name: "two-moons: checkpoints that are not a whole number of float32 values",
    protocolId: FIG1,
    forge: checkpoints((c) => {
      const bytes = new Uint8Array(c.length * 4 + 2);
      bytes.set(encodeFloat32(c));
      return bytes;
    }),
    status: 400,
    reason: "malformed",
  },
  {
    name: "toy model: a 'checkpoints' part for a protocol that takes none",
    protocolId: TOY,
    forge: async ({ honest }) => ({ ...(await honest()), checkpoints: new Float32Array(8) }),
    status: 400,
    reason: "malformed",
    message: /takes no 'checkpoints' part/,
  },
  {
    name: "two-moons: the loss history doctored at a checkpoint's step (step 500, +1e-3)",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, lossHistory: m.lossHistory.map((l, k) => (k === 50 ? l + 1e-3 : l)) })),
    status: 422,
    reason: "trajectory_mismatch",
    message: /checkpoint at step 500/,
  },
  {
    name: "two-moons: final weights trained 60 steps past the last checkpoint instead of 100 (claims honest for them)",
    protocolId: FIG1,
    forge: async ({ honest }) => {
      const h = await honest();
      const protocol = moonsProtocol(FIG1);
      const last = checkpointState(checkpointLayout(protocol)!, h.checkpoints!, 8);
      const short = replaySegment(protocol, twoMoonsFamily.dataset(protocol, 0), 0, last, 60);
      return moonsWithWeights(h, Float32Array.from(short.weights));
    },
    status: 422,
    reason: "trajectory_mismatch",
    message: /steps 900–1000/,
  },
  {
    name: "two-moons: every checkpoint from seed 1's honest run (the history to match) around seed 0's final weights",
    protocolId: FIG1,
    forge: async ({ honest, token }) => {
      const h = await honest();
      const other = await moonsSubmission(FIG1, 1, token);
      return { ...h, checkpoints: other.checkpoints, meta: { ...h.meta, lossHistory: historyAtCheckpoints(h.meta, other.checkpoints!, 0) } };
    },
    status: 422,
    reason: "trajectory_mismatch",
  },
  {
    name: "two-moons: one checkpoint from seed 1's run spliced in exactly where the server's draw will replay",
    protocolId: FIG1,
    forge: async ({ honest, token }) => {
      const h = await honest();
      const drawn = (await serverDraws(honestRun(FIG1, 0), token, "anonymous")).filter((k) => k < 9);
      const k = drawn[0]!; // segment k ends at checkpoint k (step 100·(k + 1))
      const other = (await moonsSubmission(FIG1, 1, token)).checkpoints!;
      const spliced = Float32Array.from(h.checkpoints!);
      spliced.set(other.subarray(k * CHECKPOINT_SIZE, (k + 1) * CHECKPOINT_SIZE), k * CHECKPOINT_SIZE);
      return { ...h, checkpoints: spliced, meta: { ...h.meta, lossHistory: historyAtCheckpoints(h.meta, spliced, 0) } };
    },
    status: 422,
    reason: "trajectory_mismatch",
    message: /^Replaying steps/,
  },
  {
    // A recipe change must be visible in one segment from any start: weight decay 2e-4 is not (over 250 steps
    // from near-initial weights it moves them by ~0.5 % of the segment's movement); a 50 % larger step is.
    name: "fig2: checkpoints trained with a 50 % larger learning rate (a faster run), the history to match",
    protocolId: FIG2,
    forge: async ({ honest, token }) => {
      const h = await honest();
      const fig2 = moonsProtocol(FIG2);
      const faster = { ...fig2, training: { ...fig2.training, optimizer: { ...fig2.training.optimizer, lr: 1.5 * fig2.training.optimizer.lr } } } as MoonsProtocol;
      const data = twoMoonsFamily.dataset(fig2, 0);
      // The drawn segments other than the last, trained with the wrong step (the last ends at the honest final weights).
      const drawn = (await serverDraws(honestRun(FIG2, 0), token, "anonymous")).slice(0, -1);
      const chain = buildChain({ protocol: faster, seed: 0, data, initialWeights: twoMoonsFamily.initialWeights(fig2, 0), real: drawn, fallbackFinal: h.weights });
      return { ...h, checkpoints: chain.checkpoints, meta: { ...h.meta, lossHistory: historyAtCheckpoints(h.meta, chain.checkpoints, 0, FIG2) } };
    },
    status: 422,
    reason: "trajectory_mismatch",
    message: /^Replaying steps/,
  },
];

// ---- the harness -----------------------------------------------------------------------------------

function send(forged: Forged): Promise<Response> {
  if ("body" in forged) {
    return api("/api/runs", { method: "POST", body: forged.body, headers: forged.contentType === null ? {} : { "content-type": forged.contentType } });
  }
  return postRun(forged.meta, forged.weights, forged.checkpoints ?? null);
}

/** The attack's workunit (as POST /api/workunits stores it), in the state the attack needs. */
async function issue(attack: Attack): Promise<{ ctx: Ctx; workunitId: string | null }> {
  const protocol = findProtocol(attack.protocolId)!;
  const seed = attack.seed ?? 0;
  const kind = attack.token ?? "fresh";
  if (kind === "unknown") {
    const token = newToken();
    return { ctx: { token, honest: () => honestOf(protocol.id, seed, token) }, workunitId: null };
  }
  const { id, token } = await insertWorkunit({
    protocolId: protocol.id,
    protocolVersion: attack.version?.(protocol.version) ?? protocol.version,
    seed,
    expiresAt: Date.now() + (kind === "expired" ? -1000 : HOUR),
  });
  const honest = () => honestOf(protocol.id, seed, token);
  if (kind === "used" || kind === "burned") {
    const h = await honest();
    const first = await postRun(kind === "used" ? h.meta : { ...h.meta, claimed: {} }, h.weights, h.checkpoints);
    expect(first.status).toBe(kind === "used" ? 201 : 422);
  }
  return { ctx: { token, honest }, workunitId: id };
}

/** A verification rejection: 422, stored once as rejected, its workunit consumed, never served or counted. */
async function expectStoredAsRejected(response: Response, attack: Attack, workunitId: string, before: Awaited<ReturnType<typeof storedState>>, sentCheckpoints: boolean): Promise<RunRecord> {
  const text = await response.text();
  expect({ status: response.status, body: text }).toMatchObject({ status: 422 });
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const record = RunRecordSchema.parse(JSON.parse(text));
  expect(record).toMatchObject({ status: "rejected", reason: attack.reason, protocolId: attack.protocolId, seed: attack.seed ?? 0 });
  expect(await runRow(record.id)).toMatchObject({ status: "rejected", reason: attack.reason, workunit_id: workunitId });

  const after = await storedState();
  expect(after.runs.filter((id) => !before.runs.includes(id))).toEqual([record.id]);
  expect(after.runs).toHaveLength(before.runs.length + 1);
  expect(after.consumed).toContain(workunitId);
  // Evidence (and any checkpoints) is kept for inspection, weights too when they have the protocol's size; no figure grid.
  const keys = artifactKeys(record.id);
  const kept = [...(sentCheckpoints ? [keys.checkpoints] : []), keys.evidence, ...(attack.reason === "weights_shape" ? [] : [keys.weights])];
  expect(after.objects.filter((k) => !before.objects.includes(k))).toEqual(kept);

  expect((await api(`/api/runs/${record.id}/weights`)).status).toBe(404);
  const board = ProtocolBoardSchema.parse(await (await api(`/api/leaderboard/${attack.protocolId}`)).json());
  expect(board.runs.map((r) => r.id)).not.toContain(record.id);
  return record;
}

describe("honest runs of each family are accepted", () => {
  // First in the file, on a fresh database, through POST /api/workunits: each gets seed 0.
  it.each([FIG1, FIG2, TOY, CMNIST])("%s: an honest run → 201, verified and counted", async (protocolId) => {
    const workunit = await requestWorkunit(protocolId);
    const h = await honestOf(protocolId, workunit.seed, workunit.token);
    const counts = await leaderboardRunCounts();
    const response = await postRun(h.meta, h.weights, h.checkpoints);
    const record = RunRecordSchema.parse(await response.json());
    expect({ status: response.status, reason: record.reason, message: record.message }).toMatchObject({ status: 201, reason: null });
    expect(record).toMatchObject({ status: "accepted", protocolId, seed: workunit.seed });
    expect(await leaderboardRunCounts()).toEqual({ ...counts, [protocolId]: counts[protocolId]! + 1 });
  });
});

/** Sends the attack and checks its answer, what it stored and that the leaderboard did not move. */
async function expectRefused(attack: Attack): Promise<void> {
  const { ctx, workunitId } = await issue(attack);
  const forged = await attack.forge(ctx);
  const counts = await leaderboardRunCounts();
  const before = await storedState();
  const consumedBefore = workunitId === null ? null : (await workunitRow(workunitId))!.consumed_at;

  const response = await send(forged);
  if (attack.status === 422) {
    const sentCheckpoints = "meta" in forged && forged.checkpoints !== null && forged.checkpoints !== undefined;
    const record = await expectStoredAsRejected(response, attack, workunitId!, before, sentCheckpoints);
    if (attack.message) expect(record.message).toMatch(attack.message);
  } else {
    const message = await expectError(response, attack.status, attack.reason);
    if (attack.message) expect(message).toMatch(attack.message);
    expect(await storedState()).toEqual(before);
    if (workunitId !== null) expect((await workunitRow(workunitId))!.consumed_at).toBe(consumedBefore);
  }
  expect(await leaderboardRunCounts()).toEqual(counts);
}

describe(`forged submissions (${ATTACKS.length} attacks): each refused with its status and reason, none on the leaderboard`, () => {
  for (const attack of ATTACKS) it(`${attack.name} → ${attack.status} ${attack.reason}`, () => expectRefused(attack));

  it("the table: at least 25 attacks, distinct names, every rejection reason of the API", () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(ATTACKS.map((a) => a.name)).size).toBe(ATTACKS.length);
    expect(new Set(ATTACKS.map((a) => a.reason))).toEqual(new Set(REJECTION_REASONS));
  });
});

describe("a concurrent double submission with one token", () => {
  it("three simultaneous bodies with one token → exactly one stored (201), the others 409 token_used", async () => {
    const p = moonsProtocol(FIG1);
    const { id, token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: Date.now() + HOUR });
    const h = await moonsSubmission(FIG1, 0, token);
    const counts = await leaderboardRunCounts();
    // Different bodies (contributors): an identical body sent twice is an idempotent retry, not an attack.
    const responses = await Promise.all([1, 2, 3].map((k) => postRun({ ...h.meta, contributor: `racer ${k}` }, h.weights, h.checkpoints)));
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const loser of responses.filter((r) => r.status === 409)) await expectError(loser, 409, "token_used");
    const winner = RunRecordSchema.parse(await responses.find((r) => r.status === 201)!.json());
    const stored = (await env.DB.prepare("SELECT id, status FROM runs WHERE workunit_id = ?").bind(id).all<{ id: string; status: string }>()).results;
    expect(stored).toEqual([{ id: winner.id, status: "accepted" }]);
    expect(await leaderboardRunCounts()).toEqual({ ...counts, [FIG1]: counts[FIG1]! + 1 });
  });
});

describe("text that looks like markup or SQL", () => {
  async function acceptedWithContributor(contributor: string): Promise<RunRecord> {
    const p = moonsProtocol(FIG1);
    const { token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: Date.now() + HOUR });
    const h = await moonsSubmission(FIG1, 0, token);
    const response = await postRun({ ...h.meta, contributor }, h.weights, h.checkpoints);
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const text = await response.text();
    // The name travels as a JSON string: JSON.parse gives it back verbatim.
    expect(text).toContain(`"contributor":${JSON.stringify(contributor)}`);
    const record = RunRecordSchema.parse(JSON.parse(text));
    expect(record.contributor).toBe(contributor);
    expect((await runRow(record.id))!.contributor).toBe(contributor);
    return record;
  }

  it("HTML/script in the contributor name is stored verbatim and only ever served as a JSON string", async () => {
    const contributor = `<script>alert("gs")</script><img src=x>`;
    const record = await acceptedWithContributor(contributor);
    for (const path of [`/api/runs/${record.id}`, `/api/leaderboard/${FIG1}`]) {
      const response = await api(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const text = await response.text();
      expect(text).toContain(JSON.stringify(contributor));
      const body = JSON.parse(text) as { contributor?: string; runs?: { id: string; contributor: string | null }[] };
      expect(body.contributor ?? body.runs!.find((r) => r.id === record.id)!.contributor).toBe(contributor);
    }
  });

  it("SQL in the contributor name is stored verbatim; SQL in a protocol id is refused by the schema; the tables are intact", async () => {
    const before = await runRows();
    const contributor = "x'); DROP TABLE runs; --";
    const record = await acceptedWithContributor(contributor);
    expect((await env.DB.prepare("SELECT id FROM runs WHERE contributor = ?").bind(contributor).all<{ id: string }>()).results).toEqual([{ id: record.id }]);

    // protocolId must be lowercase words joined by '-': the workunit request and the submission are both 400.
    await expectError(await postJson("/api/workunits", { protocolId: "fig1-margin-pos'; DROP TABLE workunits; --" }), 400, "malformed");
    const h = await moonsSubmission(FIG1, 0, newToken());
    await expectError(await postRun({ ...h.meta, protocolId: `${FIG1}" OR 1=1 --` }, h.weights, h.checkpoints), 400, "malformed");

    const after = await runRows();
    expect(after.map((r) => r.id)).toEqual([...before.map((r) => r.id), record.id]);
    const tables = (await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('runs', 'workunits') ORDER BY name").all<{ name: string }>()).results;
    expect(tables.map((t) => t.name)).toEqual(["runs", "workunits"]);
    expect((await api("/api/leaderboard")).status).toBe(200);
  });
});

describe("subnormal weights", () => {
  // FINDING (the verifier's actual behaviour, kept): subnormal float32 weights are decoded exactly
  // (DataView.getFloat32 does not flush them to zero), pass the finiteness check, and are evaluated in float64
  // like any other weight: the claims made for exactly these weights match. Since trajectory evidence, such
  // weights are still refused unless training reaches them: the last segment is always replayed, and it ends
  // at the honest final weights, not at these (an all-subnormal net is refused as untrained, in the table above).
  it("a two-moons run with every 7th weight replaced by a subnormal (±1e-42), claims honest for them → metrics match, the trajectory does not", async () => {
    const p = moonsProtocol(FIG1);
    const { token } = await insertWorkunit({ protocolId: p.id, protocolVersion: p.version, seed: 0, expiresAt: Date.now() + HOUR });
    const honest = await moonsSubmission(FIG1, 0, token);
    const subnormal = honest.weights.map((w, k) => (k % 7 === 0 ? Math.sign(w || 1) * 1e-42 : w));
    expect(subnormal[0]).not.toBe(0);
    expect(Math.abs(subnormal[0]!)).toBeLessThan(2 ** -126);
    const forged = moonsWithWeights(honest, subnormal);
    expect(forged.meta.claimed).not.toEqual(honest.meta.claimed);

    const counts = await leaderboardRunCounts();
    const response = await postRun(forged.meta, forged.weights, forged.checkpoints);
    const record = RunRecordSchema.parse(await response.json());
    expect({ status: response.status, reason: record.reason, message: record.message }).toMatchObject({ status: 422, reason: "trajectory_mismatch", message: expect.stringMatching(/steps 900–1000/) });
    expect(record.recomputed).toEqual(forged.meta.claimed);
    expect(await leaderboardRunCounts()).toEqual(counts);
  });
});
