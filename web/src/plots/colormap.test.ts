import { describe, expect, it } from "vitest";
import { bandColor, rdbu, symmetricRange } from "./colormap";

describe("RdBu colour map", () => {
  it("runs from dark red through white to dark blue", () => {
    expect(rdbu(0)).toEqual([103, 0, 31]);
    expect(rdbu(0.5)).toEqual([247, 247, 247]);
    expect(rdbu(1)).toEqual([5, 48, 97]);
    expect(rdbu(2)).toEqual(rdbu(1));
    expect(rdbu(Number.NaN)).toEqual(rdbu(0.5));
  });

  it("puts negative values on the red side and positive on the blue side, symmetrically", () => {
    const negative = bandColor(-0.3, 1);
    const positive = bandColor(0.3, 1);
    expect(negative[0]).toBeGreaterThan(negative[2]);
    expect(positive[2]).toBeGreaterThan(positive[0]);
    expect(bandColor(-1, 1)).toEqual(rdbu(0.5 / 14));
    expect(bandColor(1, 1)).toEqual(rdbu(13.5 / 14));
  });

  it("picks a robust symmetric range", () => {
    const values = Array.from({ length: 100 }, (_, k) => k - 50);
    values[0] = -1e6;
    expect(symmetricRange(values)).toBeLessThan(60);
    expect(symmetricRange([0, 0.01])).toBe(0.5);
  });
});
