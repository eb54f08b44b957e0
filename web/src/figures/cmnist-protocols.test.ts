import { describe, expect, it } from "vitest";
import { CMNIST_PROTOCOLS, reducedCmnistProtocol } from "../../../shared/protocols/colored-mnist";
import { PROTOCOLS } from "../../../shared/protocols/registry";
import { cmnistProtocols, cmnistProtocolsIn, methodName, splitCmnistProtocols } from "./cmnist-protocols";

describe("Colored-MNIST protocol sets", () => {
  const reduced = CMNIST_PROTOCOLS.map((p) => reducedCmnistProtocol(p));
  const paperIds = ["cmnist-erm", "cmnist-sd", "cmnist-irm", "cmnist-rex", "cmnist-oracle"];

  it("keeps only the colored-mnist family, in order", () => {
    const others = PROTOCOLS.filter((p) => p.family !== "colored-mnist");
    expect(others.length).toBeGreaterThan(0);
    expect(cmnistProtocolsIn([others[0]!, ...CMNIST_PROTOCOLS, others[others.length - 1]!]).map((p) => p.id)).toEqual(paperIds);
  });

  it("separates the reduced configurations from the paper's protocols", () => {
    const sets = splitCmnistProtocols([...CMNIST_PROTOCOLS, ...reduced]);
    expect(sets.paper.map((p) => p.id)).toEqual(paperIds);
    expect(sets.reduced.map((p) => p.id)).toEqual(paperIds.map((id) => `${id}-reduced`));
  });

  it("reads the registry: the paper's five, and reduced configurations apart", () => {
    const sets = cmnistProtocols();
    expect(sets.paper.map((p) => p.id)).toEqual(paperIds);
    expect(sets.reduced.every((p) => p.reduced !== undefined && p.id.endsWith("-reduced"))).toBe(true);
  });

  it("names the methods as Table 1 does", () => {
    expect(CMNIST_PROTOCOLS.map(methodName)).toEqual(["ERM", "SD", "IRM", "REx", "Oracle (grayscale)"]);
    expect(methodName(reduced[1]!)).toBe("SD, reduced");
  });
});
