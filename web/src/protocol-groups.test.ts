import { describe, expect, it } from "vitest";
import { PROTOCOLS } from "../../shared/protocols/registry";
import { groupByFigure } from "./protocol-groups";

describe("groupByFigure", () => {
  it("keeps the registry's order of figures and of protocols within a figure", () => {
    const groups = groupByFigure(PROTOCOLS, (p) => p.figure);
    expect(groups.map((g) => g.figure)).toEqual(["Fig. 1", "Fig. 2", "Fig. 3", "Fig. 6", "Table 1, Fig. 4"]);
    expect(groups[2]!.items).toHaveLength(10);
    // Colored MNIST: the five methods, then their reduced CPU configurations.
    expect(groups[4]!.items.map((p) => p.id).slice(0, 6)).toEqual(["cmnist-erm", "cmnist-sd", "cmnist-irm", "cmnist-rex", "cmnist-oracle", "cmnist-erm-reduced"]);
    expect(groups[0]!.items.map((p) => p.id)).toEqual(["fig1-margin-neg", "fig1-margin-pos"]);
    expect(groups.flatMap((g) => g.items)).toHaveLength(PROTOCOLS.length);
  });
});
