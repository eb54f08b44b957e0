// Each experiment family's verifiable core, behind one interface: its metrics, its parameter count and its
// own checks of a submission. The Worker verifies any protocol through this table without knowing its family.
import type { RunMeta } from "../api";
import type { Verdict } from "../metrics/verdict";
import { toyFamily } from "../toy/family";
import { twoMoonsFamily } from "./two-moons-family";
import type { MetricDefinition, MoonsProtocol, Protocol, ToyProtocol } from "./types";

export interface ExperimentFamily<P extends Protocol = Protocol> {
  metrics(protocol: P): readonly MetricDefinition[];
  /** Float32 values in the submitted weights file (0 for families without weights). */
  paramCount(protocol: P): number;
  /**
   * The family's checks after the generic ones (workunit, weight count and finiteness, claim names):
   * evidence, replay and the metrics recomputed from the weights.
   */
  verify(protocol: P, seed: number, meta: RunMeta, weights: Float32Array): Verdict;
}

export function familyOf(protocol: Protocol): ExperimentFamily {
  switch (protocol.family) {
    case "two-moons":
      return twoMoonsFamily as ExperimentFamily;
    case "toy-dynamics":
      return toyFamily as ExperimentFamily;
  }
}

export const isMoons = (protocol: Protocol): protocol is MoonsProtocol => protocol.family === "two-moons";
export const isToy = (protocol: Protocol): protocol is ToyProtocol => protocol.family === "toy-dynamics";
