import { describe, expect, it } from "vitest";
import { onlySdVerdict } from "./fig3-verdict";

const claim = (otherProtocolId: string, holds: boolean | null) => ({
  text: "",
  metric: "curvature",
  relation: ">" as const,
  otherProtocolId,
  value: null,
  other: null,
  holds,
});

describe("the 'only SD curves the boundary' banner", () => {
  it("holds only when every comparison holds", () => {
    expect(onlySdVerdict([claim("a", true), claim("b", true)])).toEqual({ status: "holds", comparisons: 2 });
  });

  it("fails as soon as one comparison fails, naming it", () => {
    expect(onlySdVerdict([claim("a", true), claim("b", false), claim("c", null)])).toEqual({ status: "fails", comparisons: 3, failing: ["b"] });
  });

  it("waits for runs while any comparison cannot be judged", () => {
    expect(onlySdVerdict([claim("a", true), claim("b", null)])).toEqual({ status: "pending", comparisons: 2, judged: 1 });
    expect(onlySdVerdict([])).toEqual({ status: "pending", comparisons: 0, judged: 0 });
  });
});
