// One playground session in the training worker: trains the chosen recipe with the shared trainer and
// pauses it by awaiting inside its progress callback (so momentum and every tensor survive a pause),
// steps it exactly, and streams the loss, the NTK features |z_1| and |z_6| (U computed once from the
// initial weights) and, now and then, the decision function.
import { absFeatures, ntkFeatures } from "../../../shared/metrics/ntk";
import { moonsLoss, signedTargets } from "../../../shared/metrics/loss";
import { mlpForward } from "../../../shared/metrics/mlp-math";
import { trainMoons } from "../../../shared/nn/train";
import { playgroundProtocol, type PlaygroundParams } from "../../../shared/protocols/playground";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import { liveGrid } from "../train/live-grid";
import { LIVE_COMPONENTS, type FromPlayground, type PlaygroundCommand, type PlaygroundSnapshot } from "./playground-messages";

/** Minimum time between updates to the page, between |z| read-outs, and between grids. */
const UPDATE_MS = 60;
const FEATURES_MS = 30;
const GRID_MS = 250;

type Mode = { readonly kind: "paused" } | { readonly kind: "playing" } | { readonly kind: "stepping"; readonly until: number };

export interface PlaygroundSession {
  /** Trains until the last step (pausing whenever told); resolves once it is finished. */
  run(): Promise<void>;
  control(command: PlaygroundCommand): void;
  snapshot(): Promise<PlaygroundSnapshot>;
}

export function createPlaygroundSession(
  params: PlaygroundParams,
  maxSteps: number,
  post: (message: FromPlayground, transfer?: Transferable[]) => void,
): PlaygroundSession {
  const protocol = playgroundProtocol(params, maxSteps);
  const data = twoMoonsFamily.dataset(protocol, params.seed);
  const initialWeights = twoMoonsFamily.initialWeights(protocol, params.seed);
  const { U } = ntkFeatures(initialWeights, data);
  const targets = signedTargets(data.y);
  const every = protocol.evidence.historyEvery;

  let mode: Mode = { kind: "paused" };
  let wake: (() => void) | null = null;
  let step = 0;
  let finished = false;
  let stepsPerSecond: number | null = null;
  /** Where the current stretch of training started, for a speed that leaves out pauses. */
  let since: { readonly step: number; readonly time: number } | null = null;
  let readWeights = async (): Promise<Float32Array> => initialWeights;
  const history: number[] = [];
  let newLosses: Array<readonly [number, number]> = [];
  let newFeatures: Array<readonly [number, number, number]> = [];
  let lastUpdate = -Infinity;
  let lastFeatures = -Infinity;
  let lastGrid = -Infinity;

  const featuresOf = (weights: Float32Array): readonly [number, number, number] => {
    const z = absFeatures(mlpForward(protocol.model, weights, data.x), U, Math.max(...LIVE_COMPONENTS) + 1);
    return [step, z[LIVE_COMPONENTS[0]]!, z[LIVE_COMPONENTS[1]]!];
  };

  /** Sends what is new; `complete` adds the current |z| and grid (at a pause and at the end). */
  const update = async (complete: boolean): Promise<void> => {
    const now = performance.now();
    const weights = complete || now - lastFeatures >= FEATURES_MS || now - lastGrid >= GRID_MS ? await readWeights() : null;
    if (weights && (complete || now - lastFeatures >= FEATURES_MS)) {
      if (newFeatures.at(-1)?.[0] !== step) newFeatures.push(featuresOf(weights));
      lastFeatures = now;
    }
    if (!complete && now - lastUpdate < UPDATE_MS) return;
    if (since && now > since.time && step > since.step) stepsPerSecond = ((step - since.step) * 1000) / (now - since.time);
    const grid = weights && (complete || now - lastGrid >= GRID_MS) ? liveGrid(protocol.model, weights) : null;
    if (grid) lastGrid = performance.now();
    post(
      {
        type: "update",
        step,
        running: mode.kind !== "paused" && !finished,
        finished,
        stepsPerSecond,
        losses: newLosses,
        features: newFeatures,
        grid,
      },
      grid ? [grid.buffer] : [],
    );
    newLosses = [];
    newFeatures = [];
    lastUpdate = performance.now();
  };

  const mustWait = (): boolean => mode.kind === "paused" || (mode.kind === "stepping" && step >= mode.until);

  /** Holds training while paused (or once a step request is done), telling the page first. */
  const gate = async (): Promise<void> => {
    if (!mustWait()) return;
    mode = { kind: "paused" };
    await update(true);
    since = null;
    while (mustWait()) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    since = { step, time: performance.now() };
    await update(true);
  };

  return {
    control(command) {
      if (finished) return;
      mode =
        command.type === "play"
          ? { kind: "playing" }
          : command.type === "step"
            ? { kind: "stepping", until: step + command.steps }
            : { kind: "paused" };
      wake?.();
    },
    async snapshot() {
      const weights = await readWeights();
      const finalLoss = moonsLoss(mlpForward(protocol.model, weights, data.x), targets, protocol.training.sdCoef);
      return { type: "snapshot", step, weights: Float32Array.from(weights), lossHistory: [...history, finalLoss] };
    },
    async run() {
      await update(true);
      await gate();
      const result = await trainMoons({
        protocol,
        seed: params.seed,
        data,
        initialWeights,
        progressIntervalMs: 0,
        onProgress: async (progress) => {
          step = progress.step;
          readWeights = progress.readWeights;
          if ((step - 1) % every === 0) {
            history.push(progress.loss);
            newLosses.push([step - 1, progress.loss]);
          }
          if (step < maxSteps) {
            await update(false);
            await gate();
          }
        },
      });
      finished = true;
      readWeights = async () => result.weights;
      await update(true);
    },
  };
}
