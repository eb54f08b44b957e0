// The protocol registry: every experiment GS Lab can run, frozen at load time. Adding an experiment means
// adding its protocols here (one line) and its family to families.ts.
import { CMNIST_PROTOCOLS, CMNIST_REDUCED_PROTOCOLS } from "./colored-mnist";
import { TOY_PROTOCOLS } from "./toy";
import { FIG3_PROTOCOLS } from "./fig3";
import { TWO_MOONS_PROTOCOLS } from "./two-moons";
import type { MoonsProtocol, Protocol } from "./types";

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const PROTOCOLS: readonly Protocol[] = deepFreeze([
  ...TWO_MOONS_PROTOCOLS,
  ...FIG3_PROTOCOLS,
  ...TOY_PROTOCOLS,
  ...CMNIST_PROTOCOLS,
  ...CMNIST_REDUCED_PROTOCOLS,
]);

const byId = new Map(PROTOCOLS.map((p) => [p.id, p]));
if (byId.size !== PROTOCOLS.length) throw new Error("protocol ids must be unique");

/** The current version of a protocol, or undefined when no protocol has that id. */
export function findProtocol(id: string): Protocol | undefined {
  return byId.get(id);
}

/** A two-moons protocol by id, for code that only handles that family; throws for anything else. */
export function moonsProtocol(id: string): MoonsProtocol {
  const protocol = byId.get(id);
  if (!protocol || protocol.family !== "two-moons") throw new Error(`${id} is not a two-moons protocol`);
  return protocol;
}
