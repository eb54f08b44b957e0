import { describe, expect, it } from "vitest";
import type { Fig4Probes } from "../../../shared/metrics/cmnist-forward";
import { cmnistErm } from "../../../shared/protocols/colored-mnist";
import { rdbu } from "../plots/colormap";
import { cellColour, cssColour, fig4Cells, formatProbe, inkFor, MAX_ENTROPY, probeKey } from "./fig4-cells";

const probes: Fig4Probes = {
  digitGray: { accuracy: 0.633, entropy: 0.54 },
  digitColoured: { accuracy: 0.239, entropy: 0.44 },
  blankGray: { accuracy: 0.499, entropy: 0.63 },
  blankColoured: { accuracy: 0.094, entropy: 0 },
};

describe("fig4Cells", () => {
  it("lays the probes out as the paper: rows digit/blank, columns grayscale/coloured", () => {
    const cells = fig4Cells("accuracy", probes, cmnistErm.reference.fig4);
    expect(cells.map((row) => row.map((c) => c.probe))).toEqual([
      ["digitGray", "digitColoured"],
      ["blankGray", "blankColoured"],
    ]);
    expect(probeKey("blank", "coloured")).toBe("blankColoured");
  });

  it("shows accuracy in percent and entropy in nats, each with the paper's value", () => {
    const accuracy = fig4Cells("accuracy", probes, cmnistErm.reference.fig4);
    expect(accuracy[0]![0]!.value).toBeCloseTo(63.3, 10);
    expect(accuracy[0]![0]!.text).toBe("63.3 %");
    expect(accuracy[0]![0]!.paperText).toBe("63.3 %");
    expect(accuracy[1]![1]!.paper).toBe(9.4);
    const entropy = fig4Cells("entropy", probes, cmnistErm.reference.fig4);
    expect(entropy[0]![1]!.value).toBe(0.44);
    expect(entropy[0]![1]!.text).toBe("0.44");
    expect(entropy[1]![1]!.paperText).toBe("0.00");
  });

  it("leaves the cells blank until the probes arrive, and without a paper reference", () => {
    const cells = fig4Cells("entropy", null, null).flat();
    expect(cells.every((c) => c.value === null && c.paper === null && c.text === "—" && c.paperText === "—")).toBe(true);
    expect(cells[0]!.fill).toBe("rgb(246, 247, 248)");
  });
});

describe("cell colours", () => {
  it("diverge around chance for accuracy", () => {
    expect(cellColour("accuracy", 50)).toEqual(rdbu(0.5));
    expect(cellColour("accuracy", 0)).toEqual(rdbu(0));
    expect(cellColour("accuracy", 100)).toEqual(rdbu(1));
    expect(cellColour("accuracy", 9.4)[0]).toBeGreaterThan(cellColour("accuracy", 9.4)[2]); // red
    expect(cellColour("accuracy", 90)[2]).toBeGreaterThan(cellColour("accuracy", 90)[0]); // blue
  });

  it("run from white to blue for entropy, clamped to [0, ln 2]", () => {
    expect(cellColour("entropy", 0)).toEqual(rdbu(0.5));
    expect(cellColour("entropy", MAX_ENTROPY)).toEqual(rdbu(1));
    expect(cellColour("entropy", 5)).toEqual(rdbu(1));
    expect(cellColour("entropy", -1)).toEqual(rdbu(0.5));
    expect(cellColour("entropy", Number.NaN)).toEqual([246, 247, 248]);
  });

  it("pick readable text", () => {
    expect(inkFor([247, 247, 247])).toBe("#000000");
    expect(inkFor([5, 48, 97])).toBe("#ffffff");
    expect(inkFor([103, 0, 31])).toBe("#ffffff");
    expect(cssColour([1, 2, 3])).toBe("rgb(1, 2, 3)");
  });

  it("format values", () => {
    expect(formatProbe("accuracy", 67.25)).toBe("67.3 %");
    expect(formatProbe("entropy", 0.6349)).toBe("0.63");
    expect(formatProbe("accuracy", null)).toBe("—");
  });
});
