// Forged Colored-MNIST chains the Worker must refuse by its own checks, before any peer is asked to replay a
// segment (shared/metrics/cmnist-subsample.ts): never-trained runs (the initial weights with zero or copied
// checkpoints and an invented history, a flat history that matches them), checkpoints copied from one
// another, another seed's chain, a splice at each link, impossible Adam moments, and a history that is not
// the checkpoints' — for ERM and IRM (reduced), each refused with 422.
import { cmnistInitialWeights, cmnistMlpSpec } from "../../../shared/nn/cmnist-model";
import { checkpointLayout } from "../../../shared/metrics/trajectory";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import { findProtocol } from "../../../shared/protocols/registry";
import { CMNIST, CMNIST_IRM, cmnistSubmission, type Attack, type Ctx, type Forged } from "./kit";

const layoutOf = (protocolId: string) => checkpointLayout(findProtocol(protocolId) as CmnistProtocol)!;
const initialOf = (protocolId: string, seed: number) => cmnistInitialWeights(cmnistMlpSpec((findProtocol(protocolId) as CmnistProtocol).model), seed);

/** A decreasing history a forger would invent, from the honest first value. */
const invented = (history: readonly number[]): number[] => history.map((l, k) => l * (1 - k / (2 * history.length)));

/** The honest submission of the workunit, changed by `change` (which sees the protocol's layout and seed). */
const chain =
  (change: (h: Awaited<ReturnType<Ctx["honest"]>>, protocolId: string, seed: number) => Forged | Promise<Forged>) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    return change(h, h.meta.protocolId, h.meta.seed);
  };

function neverTrained(protocolId: string, label: string): Attack[] {
  return [
    {
      name: `${label}: never trained (the initial weights, zero checkpoints, an invented decreasing history)`,
      protocolId,
      forge: chain((h, id, seed) => ({ meta: { ...h.meta, lossHistory: invented(h.meta.lossHistory) }, weights: initialOf(id, seed), checkpoints: new Float32Array(h.checkpoints!.length) })),
      status: 422,
      reason: "trajectory_mismatch",
    },
    {
      name: `${label}: never trained (the initial weights copied as every checkpoint, with their own flat history)`,
      protocolId,
      forge: chain((h, id, seed) => {
        const layout = layoutOf(id);
        const copies = h.checkpoints!.slice();
        for (let k = 0; k < layout.steps.length; k++) copies.set(initialOf(id, seed), k * layout.size);
        return { meta: { ...h.meta, lossHistory: h.meta.lossHistory.map(() => h.meta.lossHistory[0]!) }, weights: initialOf(id, seed), checkpoints: copies };
      }),
      status: 422,
      reason: "trajectory_mismatch",
      message: /holds the seed's initial weights/,
    },
    {
      name: `${label}: never trained, every point nudged within Adam's reach, a flat history that matches them`,
      protocolId,
      forge: chain((h, id, seed) => {
        const layout = layoutOf(id);
        let k = 0;
        const nudge = (w: Float32Array) => w.map((x, i) => x + (i % 7 === k % 7 ? 1e-6 : 0));
        const checkpoints = h.checkpoints!.slice();
        let previous = initialOf(id, seed);
        for (k = 0; k < layout.steps.length; k++) {
          previous = nudge(previous);
          checkpoints.set(previous, k * layout.size);
        }
        return { meta: { ...h.meta, lossHistory: h.meta.lossHistory.map(() => h.meta.lossHistory[0]!) }, weights: nudge(previous), checkpoints };
      }),
      status: 422,
      reason: "evidence_mismatch",
      message: /not trained|not the same run/,
    },
    {
      name: `${label}: the final weights copied as every checkpoint`,
      protocolId,
      forge: chain((h, id) => {
        const layout = layoutOf(id);
        const copies = h.checkpoints!.slice();
        for (let k = 0; k < layout.steps.length; k++) copies.set(h.weights, k * layout.size);
        return { meta: h.meta, weights: h.weights, checkpoints: copies };
      }),
      status: 422,
      reason: "trajectory_mismatch",
    },
  ];
}

function spliced(protocolId: string, label: string): Attack[] {
  const layout = layoutOf(protocolId);
  const links = layout.steps.length + 1;
  return Array.from({ length: links }, (_, link): Attack => ({
    name: `${label}: a chain spliced from seed 7's at link ${link + 1} of ${links}`,
    protocolId,
    forge: chain(async (h, id) => {
      const other = await cmnistSubmission(id, 7, h.meta.token);
      const checkpoints = h.checkpoints!.slice();
      // Link k connects point k to point k + 1 (0: the initial weights; last: the final weights).
      if (link === links - 1) return { meta: h.meta, weights: other.weights, checkpoints };
      for (let k = link; k < layout.steps.length; k++) checkpoints.set(other.checkpoints!.subarray(k * layout.size, (k + 1) * layout.size), k * layout.size);
      return { meta: h.meta, weights: other.weights, checkpoints };
    }),
    status: 422,
    reason: "trajectory_mismatch",
    message: /Adam steps/,
  }));
}

export const CMNIST_CHAIN_ATTACKS: readonly Attack[] = [
  ...neverTrained(CMNIST, "Colored MNIST ERM"),
  ...neverTrained(CMNIST_IRM, "Colored MNIST IRM"),
  ...spliced(CMNIST, "Colored MNIST ERM"),
  {
    name: "Colored MNIST ERM: another seed's whole chain and history for this seed's workunit",
    protocolId: CMNIST,
    forge: chain(async (h, id) => {
      const other = await cmnistSubmission(id, 7, h.meta.token);
      return { meta: { ...h.meta, lossHistory: other.meta.lossHistory }, weights: other.weights, checkpoints: other.checkpoints };
    }),
    status: 422,
    reason: "trajectory_mismatch",
  },
  {
    name: "Colored MNIST IRM: Adam's first moment far larger than its second moment allows",
    protocolId: CMNIST_IRM,
    forge: chain((h, id) => {
      const { weights: n } = layoutOf(id);
      const checkpoints = h.checkpoints!.slice();
      checkpoints[n] = 1;
      checkpoints[2 * n] = 1e-12;
      return { meta: h.meta, weights: h.weights, checkpoints };
    }),
    status: 422,
    reason: "trajectory_mismatch",
    message: /moments/,
  },
  {
    name: "Colored MNIST ERM: an honest chain with a history 20 % lower than its losses",
    protocolId: CMNIST,
    forge: chain((h) => ({ meta: { ...h.meta, lossHistory: h.meta.lossHistory.map((l) => 0.8 * l) }, weights: h.weights, checkpoints: h.checkpoints })),
    status: 422,
    reason: "evidence_mismatch",
  },
];
