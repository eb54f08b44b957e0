import { describe, expect, it } from "vitest";
import { facetEntries, toQueryString } from "./query-string";

describe("toQueryString", () => {
  it("keeps defined values in order and escapes them", () => {
    expect(toQueryString([["backend", "webgpu"], ["sort", "metric:curvature"], ["q", "two moons & co"]])).toBe("?backend=webgpu&sort=metric%3Acurvature&q=two+moons+%26+co");
    expect(toQueryString({ a: 1, b: undefined, c: null, d: "", e: 0 })).toBe("?a=1&e=0");
    expect(toQueryString({})).toBe("");
  });
});

describe("facetEntries", () => {
  it("lists the dimension, then trust", () => {
    expect(toQueryString(facetEntries({ trust: "reproduced", os: "linux" }))).toBe("?os=linux&trust=reproduced");
    expect(toQueryString(facetEntries({}))).toBe("");
  });
});
