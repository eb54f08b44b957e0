import { describe, expect, it } from "vitest";
import { dropoutMask, hash32 } from "./dropout";

describe("dropoutMask", () => {
  it("keeps about 1 - p of the units, scaled by 1/(1 - p)", () => {
    const mask = dropoutMask(3, 17, 150_000, 0.7);
    const kept = mask.filter((m) => m > 0);
    expect(kept.length / mask.length).toBeGreaterThan(0.295);
    expect(kept.length / mask.length).toBeLessThan(0.305);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.3)]));
  });

  it("is a pure function of (seed, step): reproducible, and different across steps and seeds", () => {
    expect(dropoutMask(1, 5, 1000, 0.5)).toEqual(dropoutMask(1, 5, 1000, 0.5));
    expect(dropoutMask(1, 5, 1000, 0.5)).not.toEqual(dropoutMask(1, 6, 1000, 0.5));
    expect(dropoutMask(1, 5, 1000, 0.5)).not.toEqual(dropoutMask(2, 5, 1000, 0.5));
  });

  it("drops nothing for p = 0", () => {
    expect(dropoutMask(0, 0, 100, 0).every((m) => m === 1)).toBe(true);
  });

  it("uses lowbias32 (pinned values, so the Python rebuild in the docs stays valid)", () => {
    // Values from an independent Python evaluation of the same formula.
    expect([hash32(0), hash32(1), hash32(0x9e3779b9)]).toEqual([0, 1753845952, 33350994]);
  });
});
