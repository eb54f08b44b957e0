// Why: the Colored-MNIST verifier tests need an MNIST-shaped pack without MNIST, small fast-training protocols and
// reproducible subset draws; one definition for every such test (shared/metrics/cmnist-*.test.ts).
import { CMNIST_TRAIN_POOL } from "../data/colored-mnist";
import type { MnistPack } from "../data/mnist-pack";
import { reducedCmnistProtocol, type CmnistProtocol } from "../protocols/colored-mnist";
import { RandomState } from "../rng/random-state";

/**
 * CMNIST_TRAIN_POOL + `testImages` random 14×14 images (30 % of pixels lit, xorshift32 from `seed`) with random
 * digits: shaped like MNIST's pack, without MNIST.
 */
export function syntheticMnistPack(seed: number, testImages = 2000): MnistPack {
  const count = CMNIST_TRAIN_POOL + testImages;
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const labels = Uint8Array.from({ length: count }, () => Math.floor(10 * next()));
  const images = Uint8Array.from({ length: count * 196 }, () => (next() < 0.3 ? 1 + Math.floor(255 * next()) : 0));
  return { count, rows: 14, cols: 14, labels, images };
}

/** A reduced protocol with a narrow network (`hidden` units), so it trains in seconds; `stepFraction` of the paper's steps. */
export function smallCmnistProtocol(base: CmnistProtocol, options: { hidden: number; examplesPerEnv: number; stepFraction?: number }): CmnistProtocol {
  const reduced = reducedCmnistProtocol(base, { examplesPerEnv: options.examplesPerEnv, ...(options.stepFraction === undefined ? {} : { stepFraction: options.stepFraction }) });
  return { ...reduced, model: { ...reduced.model, hidden: options.hidden } };
}

/** A reproducible stand-in for the Worker's crypto-random index draw: n ↦ an integer in [0, n). */
export const seededDraw = (seed: number): ((n: number) => number) => {
  const rs = new RandomState(seed);
  return (n: number): number => Math.floor(rs.randomDouble() * n);
};
