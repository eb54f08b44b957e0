import { describe, expect, it } from "vitest";
import { findProtocol, moonsProtocol } from "../../../shared/protocols/registry";
import { diffRecipes, recipeRows } from "./recipe-diff";

const run = (seed: number, protocolVersion = 1) => ({ seed, protocolVersion });

describe("recipeRows", () => {
  it("flattens a two-moons protocol into dotted settings, run fields first", () => {
    const rows = recipeRows(moonsProtocol("fig1-margin-pos"), run(3));
    expect(rows.slice(0, 4)).toEqual([
      { key: "protocol", value: "fig1-margin-pos" },
      { key: "version", value: "1" },
      { key: "family", value: "two-moons" },
      { key: "seed", value: "3" },
    ]);
    const byKey = new Map(rows.map((r) => [r.key, r.value]));
    expect(byKey.get("data.margin")).toBe("0.1");
    expect(byKey.get("data.nSamples")).toBe("300");
    expect(byKey.get("model.layerSizes")).toBe("2, 500, 1");
    expect(byKey.get("training.optimizer.kind")).toBe("sgd");
    expect(byKey.get("training.steps")).toBe("1000");
    // Descriptions, claims and paper numbers are not recipe.
    expect(rows.some((r) => /^(title|summary|claims|reference|paperRef)/.test(r.key))).toBe(false);
  });

  it("writes small coefficients as the paper does and leaves prose out", () => {
    const sd = recipeRows(moonsProtocol("fig2-margin-pos-sd"), run(0));
    expect(new Map(sd.map((r) => [r.key, r.value])).get("training.sdCoef")).toBe("0.003");
    const rows = recipeRows(findProtocol("cmnist-erm-reduced")!, run(0));
    expect(rows.some((r) => r.key === "reduced.note")).toBe(false);
    expect(rows.some((r) => r.key === "reduced.stepFraction")).toBe(true);
    expect(new Map(rows.map((r) => [r.key, r.value])).get("training.optimizer.eps")).toBe("1e-8");
  });
});

describe("diffRecipes", () => {
  it("marks only the rows whose values differ", () => {
    const rows = diffRecipes([recipeRows(moonsProtocol("fig1-margin-pos"), run(0)), recipeRows(moonsProtocol("fig1-margin-neg"), run(0))]);
    const differing = rows.filter((r) => r.differs).map((r) => r.key);
    expect(differing).toEqual(["protocol", "data.margin"]);
    expect(rows.find((r) => r.key === "data.margin")!.values).toEqual(["0.1", "-0.1"]);
    expect(rows.find((r) => r.key === "seed")).toEqual({ key: "seed", values: ["0", "0"], differs: false });
  });

  it("keeps every key of any recipe, a missing one differing from a present one", () => {
    const toy = findProtocol("fig6-primal-sd")!;
    const rows = diffRecipes([recipeRows(moonsProtocol("fig2-margin-pos"), run(1)), recipeRows(toy, run(0))]);
    const toySolver = rows.find((r) => r.key === "toy.solver")!;
    expect(toySolver).toEqual({ key: "toy.solver", values: [null, "primal-sd"], differs: true });
    const ntk = rows.find((r) => r.key === "evidence.ntkEvery")!;
    expect(ntk.values[1]).toBeNull();
    expect(ntk.differs).toBe(true);
    // The first recipe's keys come first, in its order.
    expect(rows.slice(0, 4).map((r) => r.key)).toEqual(["protocol", "version", "family", "seed"]);
    expect(rows.findIndex((r) => r.key === "toy.solver")).toBeGreaterThan(rows.findIndex((r) => r.key === "evidence.ntkEvery"));
  });

  it("finds nothing different between a recipe and itself, and compares three at once", () => {
    const a = recipeRows(moonsProtocol("fig1-margin-pos"), run(2));
    expect(diffRecipes([a, a]).every((r) => !r.differs)).toBe(true);
    const three = diffRecipes([a, a, recipeRows(moonsProtocol("fig1-margin-pos"), run(5))]);
    expect(three.filter((r) => r.differs)).toEqual([{ key: "seed", values: ["2", "2", "5"], differs: true }]);
    expect(diffRecipes([])).toEqual([]);
  });
});
