import { describe, expect, it } from "vitest";
import { CMNIST_REDUCED_PROTOCOLS } from "../../shared/protocols/colored-mnist";
import { findProtocol } from "../../shared/protocols/registry";
import { paperValueOf } from "./paper-values";

const protocol = (id: string) => {
  const found = findProtocol(id);
  if (!found) throw new Error(`no protocol ${id}`);
  return found;
};

describe("paperValueOf", () => {
  it("gives Table 1's accuracies as fractions for the Colored-MNIST protocols", () => {
    const train = paperValueOf(protocol("cmnist-erm"), "trainAccuracy")!;
    expect(train.source).toBe("Table 1");
    expect(train.value).toBeCloseTo(0.911);
    expect(train.std).toBeCloseTo(0.004);
    expect(paperValueOf(protocol("cmnist-erm"), "testAccuracy")!.value).toBeCloseTo(0.237);
    expect(paperValueOf(protocol("cmnist-erm"), "finalLoss")).toBeNull();
  });

  it("has none where the paper prints none", () => {
    expect(paperValueOf(protocol("fig1-margin-pos"), "curvature")).toBeNull();
    expect(paperValueOf(protocol("fig6-primal-sd"), "z1s8")).toBeNull();
    // A reduced CPU configuration is not the paper's protocol: nothing to compare with.
    expect(paperValueOf(CMNIST_REDUCED_PROTOCOLS[0]!, "testAccuracy")).toBeNull();
  });
});
