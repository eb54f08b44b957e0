// Forged submissions, part 2: doctored evidence, weights that are not a trained network, and trajectories that do not connect.
import { NTK_COMPONENTS, NTK_SERIES } from "../../../shared/metrics/ntk-evidence";
import { encodeFloat32 } from "../../../shared/nn/float32-codec";
import { moonsProtocol } from "../../../shared/protocols/registry";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import type { MoonsProtocol } from "../../../shared/protocols/types";
import { replaySegment } from "../../../shared/metrics/replay";
import { checkpointLayout, checkpointState } from "../../../shared/metrics/trajectory";
import { buildChain } from "../../../shared/testing/honest-chain";
import { honestRun, serverDraws, submissionForm } from "../submissions";
import { CHECKPOINT_SIZE, CMNIST, FIG1, FIG2, TOY, checkpoints, historyAtCheckpoints, meta, moonsSubmission, moonsWeights, moonsWithWeights, ntkRecords, replaceAt, weights, without } from "./kit";
import type { Attack } from "./kit";

export const EVIDENCE_ATTACKS: readonly Attack[] = [
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
    // The chain is checked before the weights' loss: the last segment does not reach them.
    reason: "trajectory_mismatch",
    message: /steps 900–1000/,
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
    name: "Colored MNIST: no trajectory checkpoints",
    protocolId: CMNIST,
    forge: async ({ honest }) => ({ ...(await honest()), checkpoints: null }),
    status: 422,
    reason: "evidence_shape",
  },
  {
    name: "Colored MNIST: a NaN in a trajectory checkpoint",
    protocolId: CMNIST,
    forge: checkpoints((c) => replaceAt(c, 12_345, Number.NaN)),
    status: 422,
    reason: "weights_not_finite",
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
    // The chain is checked before the weights' loss: the last segment does not reach them.
    reason: "trajectory_mismatch",
    message: /steps 900–1000/,
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
