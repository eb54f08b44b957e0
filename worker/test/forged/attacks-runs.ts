// Forged submissions, part 1: claims the weights do not support, another run's weights or meta, and tokens.
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import { findProtocol, moonsProtocol } from "../../../shared/protocols/registry";
import { CMNIST, CMNIST_IRM, DEEP, FIG1, FIG1_NEG, TOY, cmnistSubmission, meta, moonsSubmission, without } from "./kit";
import type { Attack } from "./kit";

export const RUN_ATTACKS: readonly Attack[] = [
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

];
