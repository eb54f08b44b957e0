// The playground's recipe (the authors' blog demo made real): a two-moons run whose margin, regulariser,
// strength and learning rate the user chooses. Explorations never count toward any protocol's aggregate.
import type { MoonsProtocol } from "./types";

export type Regularizer = "none" | "weight-decay" | "sd";

export interface PlaygroundParams {
  readonly margin: number;
  readonly regularizer: Regularizer;
  /** Weight decay or SD coefficient (ignored for "none"). */
  readonly lambda: number;
  readonly lr: number;
  readonly seed: number;
}

export const PLAYGROUND_DEFAULTS: PlaygroundParams = { margin: 0.1, regularizer: "sd", lambda: 0.003, lr: 0.01, seed: 0 };

/** Upper bound on a saved exploration's training length. */
export const PLAYGROUND_MAX_STEPS = 100_000;

/** A protocol-shaped recipe for the trainer and the evaluation (never registered, never on the leaderboard). */
export function playgroundProtocol(params: PlaygroundParams, steps: number): MoonsProtocol {
  return {
    id: "playground",
    version: 1,
    family: "two-moons",
    seeding: "seeds",
    title: "Playground",
    figure: "Playground",
    paperRef: "The authors' blog demo of gradient starvation, made interactive",
    summary: "An exploration: your margin, regulariser and learning rate.",
    data: { nSamples: 300, noise: 0.1, margin: params.margin, rotationDegrees: 0 },
    model: { layerSizes: [2, 500, 1] },
    training: {
      steps,
      optimizer: { kind: "sgd", lr: params.lr, momentum: 0.9, weightDecay: params.regularizer === "weight-decay" ? params.lambda : 0 },
      sdCoef: params.regularizer === "sd" ? params.lambda : 0,
    },
    evidence: { replaySteps: 0, historyEvery: 10 },
    claims: [],
  };
}
