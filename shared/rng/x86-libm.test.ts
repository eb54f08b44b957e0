// Checks the libm emulation against glibc's log and numpy's SVML sin/cos (values recorded by the fixture script).
import { describe, expect, it } from "vitest";
import reference from "../data/fixtures/x86_libm_reference.json";
import { glibcLog, svmlCos, svmlSin } from "./x86-libm";

function bitMismatches(inputs: readonly number[], expected: readonly number[], fn: (x: number) => number): string[] {
  expect(inputs.length).toBe(expected.length);
  return inputs.flatMap((x, i) => {
    const got = fn(x);
    return Object.is(got, expected[i]) ? [] : [`f(${x}): got ${got}, want ${expected[i]}`];
  });
}

describe("glibcLog", () => {
  it("matches glibc's log bit for bit", () => {
    expect(bitMismatches(reference.log.x, reference.log.y, glibcLog)).toEqual([]);
  });

  it("handles the special values like glibc", () => {
    expect(glibcLog(0)).toBe(-Infinity);
    expect(glibcLog(-0)).toBe(-Infinity);
    expect(glibcLog(Infinity)).toBe(Infinity);
    expect(glibcLog(-1)).toBeNaN();
    expect(glibcLog(Number.NaN)).toBeNaN();
    expect(Object.is(glibcLog(1), 0)).toBe(true);
  });

  it("is not just Math.log (which differs in the last bit for some inputs)", () => {
    const differing = reference.log.x.filter((x, i) => Math.log(x) !== reference.log.y[i]);
    expect(differing.length).toBeGreaterThan(0);
  });
});

describe("svmlSin / svmlCos", () => {
  it("match numpy's np.sin and np.cos bit for bit", () => {
    const { x, sin, cos } = reference.sin_cos;
    expect(bitMismatches(x, sin, svmlSin)).toEqual([]);
    expect(bitMismatches(x, cos, svmlCos)).toEqual([]);
  });

  it("keep the sign of a zero argument in sin", () => {
    expect(Object.is(svmlSin(-0), -0)).toBe(true);
    expect(Object.is(svmlSin(0), 0)).toBe(true);
    expect(svmlCos(-0)).toBe(1);
  });

  it("refuse arguments that need SVML's large-argument reduction", () => {
    expect(() => svmlSin(2 ** 25)).toThrow(RangeError);
    expect(() => svmlCos(2 ** 25)).toThrow(RangeError);
    expect(() => svmlSin(Number.NaN)).toThrow(RangeError);
    expect(() => svmlCos(Infinity)).toThrow(RangeError);
  });
});
