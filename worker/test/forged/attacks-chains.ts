// Forged chains: every way a trajectory can fail to be one training run, each refused whatever segment it
// breaks — splices with the break at every link of Fig. 1 and at several of a 10,000-step run, chains that
// never trained or copy one checkpoint (server-replayed and peer-replayed two-moons), a loss history invented
// between checkpoints, and weights crafted to make the metrics expensive. The Worker replays every link of
// the protocols it replays itself, so a refusal no longer depends on which segments a draw picked.
import { vi } from "vitest";
import { moonsProtocol } from "../../../shared/protocols/registry";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import { historySteps, trajectorySegments } from "../../../shared/protocols/evidence";
import { checkpointLayout } from "../../../shared/metrics/trajectory";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../../shared/nn/cmnist-model";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import { findProtocol } from "../../../shared/protocols/registry";
import { replayMoons } from "../../../shared/metrics/replay";
import { evaluateMoons } from "../../../shared/metrics/two-moons";
import { buildChain } from "../../../shared/testing/honest-chain";
import { checkerboardWeights, gatedCheckerboardWeights } from "../../../shared/testing/crafted-weights";
import { moonsLoss, signedTargets } from "../../../shared/metrics/loss";
import { mlpForward } from "../../../shared/metrics/mlp-math";
import type { RunMeta } from "../../../shared/api";
import { TEST_ENVIRONMENT } from "../submissions";
import { CMNIST, CMNIST_IRM, DEEP, FIG1, historyAtCheckpoints, moonsSubmission, moonsWithWeights, type Attack, type Ctx, type Forged, type Submission } from "./kit";

// Refusals now come after whole-chain replays (a fig1 chain: 10 segments; a forged 10,000-step one up to its
// break), and the honest chains they start from are trained in full once per protocol and seed.
vi.setConfig({ testTimeout: 300_000 });

const LONGER = "fig3-longer";
/** A 10,000-step protocol the server replays itself (40 segments of 250 steps). */
const LONG = "fig3-none";
const FIG1_SEGMENTS = trajectorySegments(1000, 100);

/** Seed 0's honest fig1 run with the checkpoints from link `link` on, and the final weights, from seed 1's run (another trajectory). */
async function splicedAt(link: number, { honest, token }: Ctx): Promise<Forged> {
  const h = await honest();
  const other = await moonsSubmission(FIG1, 1, token);
  const protocol = moonsProtocol(FIG1);
  const layout = checkpointLayout(protocol)!;
  const spliced = Float32Array.from(h.checkpoints!);
  if (link < layout.steps.length) spliced.set(other.checkpoints!.subarray(link * layout.size), link * layout.size);
  // Past the break the history is the other trajectory's; each checkpoint's own loss at its step, as a forger would fix it.
  const breakStep = FIG1_SEGMENTS[link]![1];
  const stepsOfHistory = historySteps(1000, protocol.evidence.historyEvery);
  const mixed = h.meta.lossHistory.map((loss, k) => (stepsOfHistory[k]! >= breakStep ? other.meta.lossHistory[k]! : loss));
  const forged: Submission = { meta: { ...h.meta, lossHistory: historyAtCheckpoints({ ...h.meta, lossHistory: mixed }, spliced, 0) }, weights: h.weights, checkpoints: spliced };
  return moonsWithWeights(forged, other.weights);
}

const spliceAttacks: Attack[] = FIG1_SEGMENTS.map(([from, to], link) => ({
  name: `fig1: a splice broken at link ${link + 1} of 10 (steps ${from}–${to}): from there on, another trajectory's checkpoints and final weights`,
  protocolId: FIG1,
  forge: (ctx) => splicedAt(link, ctx),
  status: 422,
  reason: "trajectory_mismatch",
  message: new RegExp(`^Replaying steps ${from}–${to} `),
}));

/** The splice: honest first steps, then a trajectory that starts at step 100 from weights of the forger's choice and follows the recipe. */
async function recipeFromChosenStart({ honest }: Ctx): Promise<Forged> {
  const h = await honest();
  const protocol = moonsProtocol(FIG1);
  const data = twoMoonsFamily.dataset(protocol, 0);
  const chosen = Float32Array.from(twoMoonsFamily.initialWeights(protocol, 0), (w) => 0.9 * w);
  // The chain of a run that starts from `chosen`: its checkpoint 0 is `chosen` itself with a fresh optimiser.
  const tail = buildChain({ protocol, seed: 0, data, initialWeights: chosen, real: "all", fallbackFinal: chosen });
  const layout = checkpointLayout(protocol)!;
  const checkpoints = new Float32Array(h.checkpoints!.length);
  checkpoints.set(chosen, 0);
  checkpoints.set(tail.checkpoints.subarray(0, (layout.steps.length - 1) * layout.size), layout.size);
  const forged: Submission = { meta: { ...h.meta, lossHistory: historyAtCheckpoints(h.meta, checkpoints, 0) }, weights: h.weights, checkpoints };
  return moonsWithWeights(forged, tail.finalWeights);
}

/** A forgery of a 10,000-step run whose first `link` segments are honest and whose checkpoint `link` is the forger's (the honest one scaled). */
async function longBrokenAt(link: number, token: string): Promise<Submission> {
  const protocol = moonsProtocol(LONG);
  const data = twoMoonsFamily.dataset(protocol, 0);
  const initialWeights = twoMoonsFamily.initialWeights(protocol, 0);
  const chain = buildChain({ protocol, seed: 0, data, initialWeights, real: Array.from({ length: link + 1 }, (_, k) => k), fallbackFinal: initialWeights });
  const layout = checkpointLayout(protocol)!;
  const checkpoints = Float32Array.from(chain.checkpoints);
  for (let i = link * layout.size; i < link * layout.size + layout.weights; i++) checkpoints[i] = checkpoints[i]! * 1.02;
  const first = replayMoons(protocol, data, 0, initialWeights, protocol.evidence.replaySteps);
  const firstLosses = Array.from(first.losses);
  const stepsOfHistory = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  // The true losses where the chain is honest, a made-up decreasing curve elsewhere; the checkpoint losses fixed up.
  const history = stepsOfHistory.map((step, k) => (step < firstLosses.length ? firstLosses[step]! : Number.isNaN(chain.losses[step] ?? Number.NaN) ? firstLosses[0]! / (1 + k / 10) : chain.losses[step]!));
  const weights = Float32Array.from(first.weights);
  const metrics = evaluateMoons(protocol, data, weights).metrics;
  history[history.length - 1] = metrics.finalLoss!;
  const meta: RunMeta = {
    token,
    protocolId: LONG,
    protocolVersion: protocol.version,
    seed: 0,
    claimed: { ...metrics },
    firstLosses,
    lossHistory: historyAtCheckpoints({ lossHistory: history } as RunMeta, checkpoints, 0, LONG),
    environment: { ...TEST_ENVIRONMENT },
    timings: { trainMs: 1234.4, steps: protocol.training.steps },
  };
  return { meta, weights, checkpoints };
}

const longAttacks: Attack[] = [0, 1, 3].map((link) => ({
  name: `${LONG} (10,000 steps, 40 links): the forger's checkpoint at link ${link + 1}, the links before it honest`,
  protocolId: LONG,
  forge: ({ token }) => longBrokenAt(link, token),
  status: 422,
  reason: "trajectory_mismatch",
  message: new RegExp(`^Replaying steps ${250 * link}–${250 * (link + 1)} `),
}));

/** The honest submission's checkpoints replaced by `change` (the history fixed up at each checkpoint), final weights by `final`. */
const chainOf =
  (protocolId: string, change: (checkpoints: Float32Array, layout: NonNullable<ReturnType<typeof checkpointLayout>>, h: Submission) => Float32Array, final?: (h: Submission) => Float32Array) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    const layout = checkpointLayout(moonsProtocol(protocolId))!;
    const checkpoints = change(Float32Array.from(h.checkpoints!), layout, h);
    const forged: Submission = { meta: { ...h.meta, lossHistory: historyAtCheckpoints(h.meta, checkpoints, 0, protocolId) }, weights: h.weights, checkpoints };
    return final ? moonsWithWeights(forged, final(h)) : forged;
  };

const initialOf = (protocolId: string) => twoMoonsFamily.initialWeights(moonsProtocol(protocolId), 0);
/** Every checkpoint the seed's initial weights with a zero optimiser state: a run that never trained. */
const neverTrained = (protocolId: string) => (c: Float32Array, layout: { steps: readonly number[]; size: number }) => {
  c.fill(0);
  for (let k = 0; k < layout.steps.length; k++) c.set(initialOf(protocolId), k * layout.size);
  return c;
};
/** Checkpoint `source` copied into every slot. */
const copied = (source: number) => (c: Float32Array, layout: { steps: readonly number[]; size: number }) => {
  const one = c.slice(source * layout.size, (source + 1) * layout.size);
  for (let k = 0; k < layout.steps.length; k++) c.set(one, k * layout.size);
  return c;
};

const neverTrainedAttacks: Attack[] = [
  {
    name: "fig1: never trained — every checkpoint the initial weights with a zero velocity, the final weights too",
    protocolId: FIG1,
    forge: chainOf(FIG1, neverTrained(FIG1), () => initialOf(FIG1)),
    status: 422,
    reason: "trajectory_mismatch",
    message: /^Replaying steps 0–100 /,
  },
  {
    name: "fig1: one trained checkpoint (step 100) copied into all nine slots, the honest final weights",
    protocolId: FIG1,
    forge: chainOf(FIG1, copied(0)),
    status: 422,
    reason: "trajectory_mismatch",
    message: /^Replaying steps 100–200 /,
  },
  {
    name: "fig1: the last checkpoint copied into every slot (a run that trained once and claims the rest)",
    protocolId: FIG1,
    forge: chainOf(FIG1, copied(8)),
    status: 422,
    reason: "trajectory_mismatch",
    message: /^Replaying steps 0–100 /,
  },
  {
    name: "fig1: the issue's splice — the first losses honest, then a run that starts at step 100 from weights of the forger's choice and follows the recipe",
    protocolId: FIG1,
    forge: recipeFromChosenStart,
    status: 422,
    reason: "trajectory_mismatch",
    message: /^Replaying steps 0–100 /,
  },
  {
    name: `${LONGER} (peer-replayed): never trained — 39 checkpoints of the initial weights, zero momentum`,
    protocolId: LONGER,
    forge: chainOf(LONGER, neverTrained(LONGER)),
    status: 422,
    reason: "trajectory_mismatch",
    message: /initial weights: the run did not train/,
  },
  {
    name: `${LONGER} (peer-replayed): 39 copies of one trained checkpoint (the issue's 20-step run)`,
    protocolId: LONGER,
    forge: chainOf(LONGER, copied(0)),
    status: 422,
    reason: "trajectory_mismatch",
    message: /hold the same weights/,
  },
  {
    name: `${LONGER} (peer-replayed): distinct weights but one momentum buffer copied into every checkpoint`,
    protocolId: LONGER,
    forge: chainOf(LONGER, (c, layout) => {
      const weights = checkpointLayout(moonsProtocol(LONGER))!.weights;
      const momentum = c.slice(weights, layout.size); // checkpoint 0's
      for (let k = 0; k < layout.steps.length; k++) c.set(momentum, k * layout.size + weights);
      return c;
    }),
    status: 422,
    reason: "trajectory_mismatch",
    message: /is the one at step 2500/,
  },
  {
    name: `${LONGER} (peer-replayed): the momentum zeroed at one checkpoint (a checkpoint that is weights alone)`,
    protocolId: LONGER,
    forge: chainOf(LONGER, (c, layout) => {
      const weights = checkpointLayout(moonsProtocol(LONGER))!.weights;
      c.fill(0, 10 * layout.size + weights, 11 * layout.size);
      return c;
    }),
    status: 422,
    reason: "trajectory_mismatch",
    message: /step 27500 is all zeros/,
  },
];

/** A Colored-MNIST submission (restart 0's weights, true accuracies) with its checkpoints replaced by `change`. */
const cmnistChain =
  (protocolId: string, change: (checkpoints: Float32Array, layout: NonNullable<ReturnType<typeof checkpointLayout>>, initial: Float32Array) => Float32Array) =>
  async ({ honest }: Ctx): Promise<Forged> => {
    const h = await honest();
    const protocol = findProtocol(protocolId) as CmnistProtocol;
    const initial = cmnistInitialWeights(cmnistMlpSpec(protocol.model), 0);
    return { ...h, checkpoints: change(Float32Array.from(h.checkpoints!), checkpointLayout(protocol)!, initial) };
  };

const cmnistAttacks: Attack[] = [
  {
    name: "Colored MNIST (ERM): never trained — zero checkpoints (the issue's attack)",
    protocolId: CMNIST,
    forge: cmnistChain(CMNIST, (c) => c.fill(0)),
    status: 422,
    reason: "trajectory_mismatch",
    message: /is all zeros/,
  },
  {
    name: "Colored MNIST (ERM): never trained — every checkpoint the restart's initial weights, Adam's moments kept",
    protocolId: CMNIST,
    forge: cmnistChain(CMNIST, (c, layout, initial) => {
      for (let k = 0; k < layout.steps.length; k++) c.set(initial, k * layout.size);
      return c;
    }),
    status: 422,
    reason: "trajectory_mismatch",
    message: /initial weights: the run did not train/,
  },
  {
    name: "Colored MNIST (IRM): one checkpoint copied into both slots",
    protocolId: CMNIST_IRM,
    forge: cmnistChain(CMNIST_IRM, (c, layout) => {
      c.set(c.slice(0, layout.size), layout.size);
      return c;
    }),
    status: 422,
    reason: "trajectory_mismatch",
    message: /hold the same weights/,
  },
  {
    name: "Colored MNIST (ERM): the final weights as the last checkpoint (a run that stopped early)",
    protocolId: CMNIST,
    forge: async (ctx) => {
      const h = await ctx.honest();
      const layout = checkpointLayout(findProtocol(CMNIST) as CmnistProtocol)!;
      const c = Float32Array.from(h.checkpoints!);
      c.set(h.weights, (layout.steps.length - 1) * layout.size);
      return { ...h, checkpoints: c };
    },
    status: 422,
    reason: "trajectory_mismatch",
    message: /holds the submitted final weights/,
  },
];

/** The honest submission with its loss history changed by `change`. */
const inventedHistory = (change: (history: number[]) => number[]) => async ({ honest }: Ctx): Promise<Forged> => {
  const h = await honest();
  return { ...h, meta: { ...h.meta, lossHistory: change([...h.meta.lossHistory]) } };
};

const historyAttacks: Attack[] = [
  {
    name: "fig1: the loss history 1e-3 lower at step 150, between two checkpoints (true at every checkpoint and in the first steps)",
    protocolId: FIG1,
    forge: inventedHistory((history) => history.map((loss, k) => (k === 15 ? loss - 1e-3 : loss))),
    status: 422,
    reason: "trajectory_mismatch",
    message: /at step 150, but the loss history says/,
  },
  {
    name: "fig1: a smooth made-up decreasing curve between the checkpoints (the old test client's history)",
    protocolId: FIG1,
    forge: inventedHistory((history) => history.map((loss, k) => (k >= 2 && k % 10 !== 0 && k < history.length - 1 ? history[0]! / (1 + k / 10) : loss))),
    status: 422,
    reason: "trajectory_mismatch",
    message: /^Replaying steps 0–100 gives training loss .* at step 20,/,
  },
  {
    name: "fig1: the last segment's history 10 % lower (a faster finish than the run had)",
    protocolId: FIG1,
    forge: inventedHistory((history) => history.map((loss, k) => (k > 90 && k < 100 ? 0.9 * loss : loss))),
    status: 422,
    reason: "trajectory_mismatch",
    message: /^Replaying steps 900–1000 gives training loss .* at step 910,/,
  },
];

/** The deep net's crafted weights: a weak linear classifier leaning the right way, plus a checkerboard in the empty strip x1 < −1.5. */
function craftedDeep(): Float32Array {
  const protocol = moonsProtocol(DEEP);
  const data = twoMoonsFamily.dataset(protocol, 0);
  const targets = signedTargets(data.y);
  let lean = 0;
  for (let i = 0; i < data.n; i++) lean += targets[i]! * data.x[2 * i + 1]!;
  return gatedCheckerboardWeights(protocol.model, { w: [0, Math.sign(lean)], b: 0, beta: 0.5 });
}

const costAttacks: Attack[] = [
  {
    name: "fig1: crafted-cost final weights (a boundary across all 19,800 grid edges), claims and final loss honest for them: refused at the last link, before any metric",
    protocolId: FIG1,
    forge: async ({ honest }) => moonsWithWeights(await honest(), checkerboardWeights(moonsProtocol(FIG1).model)),
    status: 422,
    reason: "trajectory_mismatch",
    message: /^Replaying steps 900–1000 /,
  },
  {
    name: "fig3-deeper (peer-replayed): crafted-cost weights (a 2,600-edge checkerboard where no point lies, loss below the initial weights'): refused before the boundary is refined",
    protocolId: DEEP,
    forge: async ({ honest }) => {
      const h = await honest();
      const weights = craftedDeep();
      // Claims cannot be computed cheaply for these weights (that is the attack): the honest run's stand in; the check refuses first.
      return { meta: { ...h.meta, lossHistory: [...h.meta.lossHistory.slice(0, -1), deepLoss(weights)] }, weights, checkpoints: h.checkpoints };
    },
    status: 422,
    reason: "implausible_weights",
    message: /crosses 26\d\d of the 19,800 edges/,
  },
  {
    name: `${LONG} (10,000 steps, server-replayed): crafted-cost final weights (every grid edge), claims and final loss honest for them, the chain honest at link 1: refused at link 2, before any metric`,
    protocolId: LONG,
    forge: async ({ token }) => moonsWithWeights(await longBrokenAt(1, token), checkerboardWeights(moonsProtocol(LONG).model)),
    status: 422,
    reason: "trajectory_mismatch",
    message: /^Replaying steps 250–500 /,
  },
  {
    name: "fig3-longer (peer-replayed, 2-500-1): the checkerboard across every grid edge, claims and final loss honest for it: its loss is no lower than the initial weights', refused before any metric",
    protocolId: LONGER,
    forge: async ({ honest }) => moonsWithWeights(await honest(), checkerboardWeights(moonsProtocol(LONGER).model)),
    status: 422,
    reason: "evidence_mismatch",
    message: /no lower than the initial weights'/,
  },
  {
    name: "fig3-deeper (peer-replayed): the plain checkerboard across every grid edge: its loss is no lower than the initial weights', refused before any metric",
    protocolId: DEEP,
    forge: async ({ honest }) => {
      const h = await honest();
      const weights = checkerboardWeights(moonsProtocol(DEEP).model);
      return { meta: { ...h.meta, lossHistory: [...h.meta.lossHistory.slice(0, -1), deepLoss(weights)] }, weights, checkpoints: h.checkpoints };
    },
    status: 422,
    reason: "evidence_mismatch",
    message: /no lower than the initial weights'/,
  },
];

/** The deep net's training objective at `weights` (what the history's final value must say). */
function deepLoss(weights: Float32Array): number {
  const protocol = moonsProtocol(DEEP);
  const data = twoMoonsFamily.dataset(protocol, 0);
  return moonsLoss(mlpForward(protocol.model, weights, data.x), signedTargets(data.y), protocol.training.sdCoef);
}

export const CHAIN_ATTACKS: readonly Attack[] = [...spliceAttacks, ...longAttacks, ...neverTrainedAttacks, ...cmnistAttacks, ...historyAttacks, ...costAttacks];
