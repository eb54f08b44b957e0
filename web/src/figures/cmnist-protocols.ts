// The Colored-MNIST protocols the Table 1 and Fig. 4 pages show, read from the registry (the paper's five and
// the reduced configurations) and split into the paper's protocols and the reduced ones, which are not comparable.
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import { PROTOCOLS } from "../../../shared/protocols/registry";
import type { Protocol } from "../../../shared/protocols/types";

export interface CmnistProtocolSets {
  /** The paper's protocols, registry order (ERM, SD, IRM, REx, oracle). */
  readonly paper: readonly CmnistProtocol[];
  /** Reduced CPU configurations: NOT the paper's protocol, never compared with its numbers. */
  readonly reduced: readonly CmnistProtocol[];
}

/** The colored-mnist members of a protocol list, in its order. */
export const cmnistProtocolsIn = (list: readonly Protocol[]): CmnistProtocol[] => list.filter((p): p is CmnistProtocol => p.family === "colored-mnist");

export function splitCmnistProtocols(protocols: readonly CmnistProtocol[]): CmnistProtocolSets {
  return { paper: protocols.filter((p) => !p.reduced), reduced: protocols.filter((p) => p.reduced) };
}

/** The registry's Colored-MNIST protocols, the paper's apart from the reduced configurations. */
export const cmnistProtocols = (registry: readonly Protocol[] = PROTOCOLS): CmnistProtocolSets => splitCmnistProtocols(cmnistProtocolsIn(registry));

const METHOD_NAMES: Readonly<Record<CmnistProtocol["training"]["method"], string>> = {
  erm: "ERM",
  sd: "SD",
  irm: "IRM",
  rex: "REx",
};

/** The method column of Table 1: "ERM", "SD", "IRM", "REx", "Oracle (grayscale)"; reduced ones say so. */
export function methodName(protocol: CmnistProtocol): string {
  const base = protocol.model.inputs === "grayscale" ? "Oracle (grayscale)" : METHOD_NAMES[protocol.training.method];
  return protocol.reduced ? `${base}, reduced` : base;
}
