// What a protocol is: a frozen, versioned recipe for one run of one of the paper's experiments, with the
// paper reference it reproduces and the claims a leaderboard can check against it.
import type { MlpSpec } from "../nn/mlp";
import type { CmnistProtocol } from "./colored-mnist";

/** SGD with (PyTorch-style) momentum and L2 weight decay added to the gradient. */
export interface SgdSpec {
  readonly kind: "sgd";
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
}

/** torch.optim.Adam with bias correction (no weight decay). tfjs' default ε differs: always set it. */
export interface AdamSpec {
  readonly kind: "adam";
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

export type OptimizerSpec = SgdSpec | AdamSpec;

/** The two-moons data of a run: make_moons(nSamples, noise, seed) and the paper's transform. */
export interface MoonsDataSpec {
  readonly nSamples: number;
  readonly noise: number;
  readonly margin: number;
  readonly rotationDegrees: number;
}

/** The two-moons network (see MlpSpec: optional dropout or BatchNorm after fc1, any depth). */
export type MoonsModelSpec = MlpSpec;

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

interface ProtocolBase {
  /** Stable identifier, used in URLs and the database. */
  readonly id: string;
  /** Bumped whenever anything that changes results changes; runs are compared within one version. */
  readonly version: number;
  readonly title: string;
  /** Figure of the paper this run belongs to, e.g. "Fig. 1". */
  readonly figure: string;
  /** Where in the paper (and the authors' code) the recipe comes from. */
  readonly paperRef: string;
  readonly summary: string;
  /** Where GS Lab follows the authors' code rather than the paper's text, said plainly. */
  readonly codeNote?: string;
  /**
   * "seeds": runs differ by seed (the server hands out the paper's seeds 0-9, then more);
   * "deterministic": the run does not depend on a seed, every workunit gets seed 0.
   */
  readonly seeding: "seeds" | "deterministic";
  readonly claims: readonly ClaimCheck[];
}

export interface MoonsProtocol extends ProtocolBase {
  readonly family: "two-moons";
  readonly data: MoonsDataSpec;
  readonly model: MoonsModelSpec;
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
    /** When set, the client also records |z| = |ŷᵀU| (NTK features at init, Fig. 2) every this many steps. */
    readonly ntkEvery?: number;
    /**
     * Trajectory evidence: when set, the client uploads its weights and optimiser state every this many steps
     * (a multiple of historyEvery), and the server replays server-chosen segments between them (see
     * shared/metrics/trajectory.ts). How the run is checked, not what it computes: setting it needs no new version.
     */
    readonly checkpointEvery?: number;
    /**
     * Who replays the drawn segments: the server, in float64 (default; cheap segments), or "peers": other
     * contributors' browsers, through replay workunits (shared/metrics/peer-replay.ts), for segments that cost
     * more CPU than a Worker has (Fig. 3's 5-layer net, its 100,000-step run).
     */
    readonly segmentReplay?: "server" | "peers";
  };
}

/**
 * The two-feature toy model of Fig. 6 (authors' Figure_6/toy_fig_6.py): Φ = U·diag(s1, s2)·V with
 * U a rotation by asin(delta), y = [+1, +1], trained from zero for `steps` steps with one of three solvers,
 * for each s1 in s1Values. Deterministic: no seed, no weights; the evidence is the z trajectory.
 */
export interface ToyProtocol extends ProtocolBase {
  readonly family: "toy-dynamics";
  readonly toy: {
    /** dual: SGD on α of (C/2)αᵀKα − H(α), α clamped to [0, 1]; primal-wd / primal-sd: SGD on θ. */
    readonly solver: "dual" | "primal-wd" | "primal-sd";
    readonly s1Values: readonly number[];
    readonly s2: number;
    readonly delta: number;
    readonly C: number;
    readonly steps: number;
    readonly lr: number;
    /** dual: α's initial value; primal-wd: the weight-decay coefficient (0.5/C); primal-sd: the SD coefficient (0.1/C). */
    readonly coefficient: number;
  };
  readonly evidence: {
    /** The client reports z every this many steps (and at the last step). */
    readonly trajectoryEvery: number;
  };
}

export type Protocol = MoonsProtocol | ToyProtocol | CmnistProtocol;

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
