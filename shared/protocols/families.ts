// Each experiment family's verifiable core, behind one interface: its metrics, its parameter count and its
// own checks of a submission. The Worker verifies any protocol through this table without knowing its family.
import type { RunMeta } from "../api";
import type { MnistPack } from "../data/mnist-pack";
import type { CmnistSubsetSource } from "../metrics/cmnist-verify";
import { moonsSeries } from "../metrics/ntk-evidence";
import type { Verdict } from "../metrics/verdict";
import { toyFamily } from "../toy/family";
import type { CmnistProtocol } from "./colored-mnist";
import { coloredMnistFamily } from "./colored-mnist-family";
import { twoMoonsFamily } from "./two-moons-family";
import type { MetricDefinition, MoonsProtocol, Protocol, ToyProtocol } from "./types";

/** What a verification may need beyond the submission, loaded by the caller (the Worker reads the pack from its assets). */
export interface VerifyResources {
  /** The 14×14 MNIST pack; required for Colored MNIST (see needsMnistPack). */
  readonly mnistPack?: MnistPack;
  /** Which Colored-MNIST images to check; default: cryptoSubset() (5,000 random training images, the whole test env). */
  readonly cmnistSubset?: CmnistSubsetSource;
  /**
   * Two-moons trajectory evidence (protocols with evidence.checkpointEvery): the uploaded checkpoints and the
   * indices of the segments to replay (every one of them: worker/routes/runs.ts).
   */
  readonly trajectory?: { readonly checkpoints: Float32Array | null; readonly segments: readonly number[] };
}

export interface ExperimentFamily<P extends Protocol = Protocol> {
  metrics(protocol: P): readonly MetricDefinition[];
  /** Float32 values in the submitted weights file (0 for families without weights). */
  paramCount(protocol: P): number;
  /**
   * The family's checks after the generic ones (workunit, weight count and finiteness, claim names):
   * evidence, replay and the metrics recomputed from the weights.
   */
  verify(protocol: P, seed: number, meta: RunMeta, weights: Float32Array, resources: VerifyResources): Verdict;
}

export function familyOf(protocol: Protocol): ExperimentFamily {
  switch (protocol.family) {
    case "two-moons":
      return twoMoonsFamily as ExperimentFamily;
    case "toy-dynamics":
      return toyFamily as ExperimentFamily;
    case "colored-mnist":
      return coloredMnistFamily as ExperimentFamily;
  }
}

/** Whether verifying (or running) this protocol needs the MNIST pack. */
export const needsMnistPack = (protocol: Protocol): boolean => protocol.family === "colored-mnist";

export const isMoons = (protocol: Protocol): protocol is MoonsProtocol => protocol.family === "two-moons";
export const isToy = (protocol: Protocol): protocol is ToyProtocol => protocol.family === "toy-dynamics";
export const isCmnist = (protocol: Protocol): protocol is CmnistProtocol => protocol.family === "colored-mnist";

/** The evidence series a protocol's runs record (only two-moons protocols with NTK evidence record one). */
export const recordedSeries = (protocol: Protocol): readonly string[] => (isMoons(protocol) ? moonsSeries(protocol) : []);
