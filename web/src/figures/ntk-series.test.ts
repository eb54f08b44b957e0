import { describe, expect, it } from "vitest";
import { NTK_COMPONENTS, ntkSteps } from "../../../shared/metrics/ntk-evidence";
import { moonsProtocol } from "../../../shared/protocols/registry";
import { componentCurve, yMax } from "./ntk-series";

describe("Fig. 2's |z| curves", () => {
  const protocol = moonsProtocol("fig2-margin-pos-sd");
  const records = ntkSteps(protocol).length;
  const mean = Array.from({ length: records * NTK_COMPONENTS }, (_, i) => (i % NTK_COMPONENTS) + Math.floor(i / NTK_COMPONENTS) / 1000);

  it("picks component k of every record, against the record's step", () => {
    const curve = componentCurve(protocol, { name: "ntkAbsZ", seeds: 3, mean, std: mean }, 6)!;
    expect(records).toBe(201);
    expect(curve.steps[0]).toBe(0);
    expect(curve.steps.at(-1)).toBe(10_000);
    expect(curve.values[0]).toBe(6);
    expect(curve.values[200]).toBeCloseTo(6.2);
    expect(yMax([curve, null])).toBeCloseTo(6.2 * 1.05);
  });

  it("has nothing to draw without verified runs or with a series of another shape", () => {
    expect(componentCurve(protocol, { name: "ntkAbsZ", seeds: 0, mean: [], std: [] }, 1)).toBeNull();
    expect(componentCurve(protocol, { name: "ntkAbsZ", seeds: 1, mean: [1, 2], std: [0, 0] }, 1)).toBeNull();
    expect(yMax([null])).toBe(1);
  });
});
