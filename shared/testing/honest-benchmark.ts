// An honest benchmark submission computed in Node without a browser: the two-moons end states from the float64
// replay (rounded to float32, as a perfect float32 trainer would end), the matmul product's exact row digests, and
// timings a real machine could take; for the unit and Worker tests of the benchmark check.
import type { BenchSubmission, BenchWorkunit } from "../bench-api";
import { BENCH_SUITE } from "../bench-api";
import { benchProtocol, float32Base64, laneSeed, type BenchTask } from "../metrics/benchmark-check";
import { matmulOperands, rowDigests } from "../metrics/benchmark-matmul";
import { replaySegment } from "../metrics/replay";
import type { CmnistSet } from "../data/colored-mnist";
import { benchCmnistInitialWeights, benchCmnistProtocol, replayCmnistErm } from "../metrics/benchmark-cmnist";
import { twoMoonsFamily } from "../protocols/two-moons-family";

export const toBase64 = float32Base64;

/** The float32 end state of `steps` steps from `seed` (the float64 replay, rounded). */
export function honestEndState(seed: number, steps: number): Float32Array {
  const protocol = benchProtocol();
  const start = { step: 0, weights: twoMoonsFamily.initialWeights(protocol, seed), optimizerState: null };
  return Float32Array.from(replaySegment(protocol, twoMoonsFamily.dataset(protocol, seed), seed, start, steps).weights);
}

/** The row digests of the seed's product, computed plainly (n³ multiply-adds: keep n small in tests). */
export function honestDigests(seed: number, n: number): number[] {
  const { a, b } = matmulOperands(seed, n, BENCH_SUITE.matmulRange);
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) c[i * n + j]! += a[i * n + k]! * b[k * n + j]!;
  return [...rowDigests(c, n)];
}

/** The Colored-MNIST item's float32 end state (the float64 replay, rounded). */
export function honestCmnistEndState(seed: number, steps: number, train: readonly CmnistSet[]): Float32Array {
  const protocol = benchCmnistProtocol();
  return Float32Array.from(replayCmnistErm(protocol, train, benchCmnistInitialWeights(protocol, seed), steps));
}

export function honestSubmission(
  workunit: Pick<BenchWorkunit, "id" | "token"> & BenchTask,
  cmnistTrain: readonly CmnistSet[],
  userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0 Safari/537.36",
): BenchSubmission {
  return {
    workunitId: workunit.id,
    token: workunit.token,
    environment: { backend: "wasm", tfjsVersion: "4.22.0", client: "web", adapter: "SIMD build, 1 thread", userAgent },
    moons1: { elapsedMs: 40, weights: toBase64(honestEndState(workunit.seed, workunit.steps)) },
    moons10: {
      elapsedMs: 150,
      weights: Array.from({ length: workunit.lanes }, (_, lane) => toBase64(honestEndState(laneSeed(workunit.seed, lane), workunit.steps))),
    },
    cmnist: { elapsedMs: 60, weights: toBase64(honestCmnistEndState(workunit.seed, workunit.cmnistSteps, cmnistTrain)) },
    matmul: { elapsedMs: Array.from({ length: workunit.matmulRepeats }, () => 100), rowDigests: honestDigests(workunit.seed, workunit.matmulSize) },
  };
}
