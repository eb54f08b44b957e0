// Checks the RandomState port against draws made by numpy 1.24's legacy RandomState.
import { describe, expect, it } from "vitest";
import extra from "../data/fixtures/make_moons_extra.json";
import { RandomState } from "./random-state";

const numpy = extra.random_state;

function draw(count: number, next: () => number): number[] {
  return Array.from({ length: count }, next);
}

/** Indices where the two sequences differ as float64 bit patterns (Object.is), with both values. */
function bitMismatches(actual: readonly number[], expected: readonly number[]): string[] {
  expect(actual.length).toBe(expected.length);
  return expected.flatMap((want, i) => (Object.is(actual[i], want) ? [] : [`#${i}: got ${actual[i]}, want ${want}`]));
}

describe("RandomState (MT19937)", () => {
  it("produces the reference MT19937 outputs for seed 5489", () => {
    const rs = new RandomState(5489);
    expect(rs.nextUint32()).toBe(3499211612);
    expect(draw(4, () => rs.nextUint32())).toEqual(numpy.seed5489_uint32.slice(1));
  });

  it("matches random_sample for an integer seed", () => {
    const rs = new RandomState(5);
    expect(bitMismatches(draw(5, () => rs.randomDouble()), numpy.seed5_random_sample)).toEqual([]);
  });

  it("matches random_sample for the largest integer seed", () => {
    const rs = new RandomState(4294967295);
    expect(bitMismatches(draw(3, () => rs.randomDouble()), numpy.seed4294967295_random_sample)).toEqual([]);
  });

  it("matches standard_normal, including the cached second Gaussian", () => {
    const rs = new RandomState(5);
    expect(bitMismatches(draw(5, () => rs.standardNormal()), numpy.seed5_standard_normal)).toEqual([]);
  });

  it("keeps the cached Gaussian across uniform draws, as numpy does", () => {
    const rs = new RandomState(9);
    const values = [
      ...draw(3, () => rs.standardNormal()),
      ...draw(2, () => rs.randomDouble()),
      ...draw(2, () => rs.standardNormal()),
    ];
    expect(bitMismatches(values, numpy.seed9_normal_then_uniform_then_normal)).toEqual([]);
  });

  it("matches normal(loc, scale)", () => {
    const rs = new RandomState(4);
    expect(bitMismatches(draw(5, () => rs.normal(2, 3)), numpy.seed4_normal_loc2_scale3)).toEqual([]);
  });

  it("matches uniform for array seeds (init_by_array)", () => {
    const short = new RandomState([7, 1]);
    expect(bitMismatches(draw(5, () => short.uniform(-0.5, 0.5)), numpy.array7_1_uniform)).toEqual([]);
    const bound = 1 / Math.sqrt(2);
    const pair = new RandomState([0, 1]);
    expect(bitMismatches(draw(6, () => pair.uniform(-bound, bound)), numpy.array0_1_uniform)).toEqual([]);
  });

  it("matches init_by_array with a key longer than the state", () => {
    const key = Array.from({ length: 700 }, (_, i) => 1000 + i);
    const rs = new RandomState(key);
    expect(bitMismatches(draw(4, () => rs.randomDouble()), numpy.array_long_key_random_sample)).toEqual([]);
  });

  it("matches the masked-rejection bounded integers (randint)", () => {
    const small = new RandomState(8);
    expect(draw(10, () => small.randomInterval(1000))).toEqual(numpy.seed8_interval_1000);
    const large = new RandomState(8);
    expect(draw(5, () => large.randomInterval(2 ** 32 - 2))).toEqual(numpy.seed8_interval_2pow32_minus_2);
  });

  it("returns 0 for randomInterval(0) without consuming a draw", () => {
    const rs = new RandomState(1);
    expect(rs.randomInterval(0)).toBe(0);
    expect(rs.nextUint32()).toBe(new RandomState(1).nextUint32());
  });

  it("shuffles like the legacy 1-D shuffle", () => {
    const values = Array.from({ length: 20 }, (_, i) => i);
    new RandomState(3).shuffle(values);
    expect(values).toEqual(numpy.seed3_shuffle_arange20);
    const typed = Int32Array.from({ length: 20 }, (_, i) => i);
    new RandomState(3).shuffle(typed);
    expect(Array.from(typed)).toEqual(numpy.seed3_shuffle_arange20);
  });

  it("rejects invalid seeds", () => {
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN, Infinity]) {
      expect(() => new RandomState(seed)).toThrow(RangeError);
    }
    expect(() => new RandomState([])).toThrow(/non-empty/);
    expect(() => new RandomState([1, -1])).toThrow(/index 1/);
    expect(() => new RandomState([2 ** 32])).toThrow(RangeError);
  });

  it("rejects out-of-range randomInterval bounds", () => {
    const rs = new RandomState(0);
    for (const max of [-1, 0.5, 2 ** 32]) expect(() => rs.randomInterval(max)).toThrow(RangeError);
  });
});
