// What a protocol is: a frozen, versioned recipe for one run of one of the paper's experiments, with the
// paper reference it reproduces and the claims a leaderboard can check against it.
import type { MlpSpec } from "../nn/mlp";

/** SGD with (PyTorch-style) momentum and L2 weight decay added to the gradient. */
export interface SgdSpec {
  readonly kind: "sgd";
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
}

export type OptimizerSpec = SgdSpec;

/** The two-moons data of a run: make_moons(nSamples, noise, seed) and the paper's transform. */
export interface MoonsDataSpec {
  readonly nSamples: number;
  readonly noise: number;
  readonly margin: number;
  readonly rotationDegrees: number;
}

/**
 * A claim of the paper, checkable on aggregates: the seed-mean of `metric` under this protocol is
 * `relation` its seed-mean under `otherProtocolId`.
 */
export interface ClaimCheck {
  readonly text: string;
  readonly metric: string;
  readonly relation: "<" | ">";
  readonly otherProtocolId: string;
}

export interface MoonsProtocol {
  /** Stable identifier, used in URLs and the database. */
  readonly id: string;
  /** Bumped whenever anything that changes results changes; runs are compared within one version. */
  readonly version: number;
  readonly family: "two-moons";
  readonly title: string;
  /** Figure of the paper this run belongs to, e.g. "Fig. 1". */
  readonly figure: string;
  /** Where in the paper (and the authors' code) the recipe comes from. */
  readonly paperRef: string;
  readonly summary: string;
  /** Where GS Lab follows the authors' code rather than the paper's text, said plainly. */
  readonly codeNote?: string;
  readonly data: MoonsDataSpec;
  readonly model: MlpSpec;
  readonly training: {
    readonly steps: number;
    readonly optimizer: OptimizerSpec;
    /** Spectral Decoupling coefficient: loss += sdCoef * mean(yhat²). 0 = plain cross-entropy. */
    readonly sdCoef: number;
  };
  readonly evidence: {
    /** The server replays this many first steps from the seeded initial weights. */
    readonly replaySteps: number;
    /** The client reports the loss every this many steps. */
    readonly historyEvery: number;
  };
  readonly claims: readonly ClaimCheck[];
}

export type Protocol = MoonsProtocol;

/** How a metric is shown and how closely a claimed value must match the server's recomputation. */
export interface MetricDefinition {
  readonly key: string;
  readonly label: string;
  readonly description: string;
  /** |claimed - recomputed| <= abs + rel * |recomputed| */
  readonly tolerance: { readonly abs: number; readonly rel: number };
  readonly nullable: boolean;
  readonly digits: number;
}
