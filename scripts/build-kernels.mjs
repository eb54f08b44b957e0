// Compiles the project's AssemblyScript kernels (shared/kernels/assembly) to wasm with the compiler from npm:
// run by `npm ci` (prepare) and before the tests, the web build and the dev server; the output is not committed.
// Each kernel is built twice: NAME.wasm with 128-bit SIMD (every browser), and NAME-relaxed.wasm with relaxed SIMD
// too (fused multiply-add in the float64 replays), for the runtimes that have it (workerd; Node where it validates).
import asc from "assemblyscript/asc";
import { mkdirSync } from "node:fs";

const KERNELS = ["moons"];

const VARIANTS = [
  { suffix: "", features: "simd" },
  { suffix: "-relaxed", features: "simd,relaxed-simd" },
];

mkdirSync("shared/kernels/build", { recursive: true });
for (const name of KERNELS) {
  for (const { suffix, features } of VARIANTS) {
    const { error, stderr } = await asc.main([
      `shared/kernels/assembly/${name}.ts`,
      "--outFile", `shared/kernels/build/${name}${suffix}.wasm`,
      "-O3", "--runtime", "stub", "--noAssert", "--enable", features,
    ]);
    if (error) {
      console.error(stderr.toString());
      console.error(`[gs-lab] compiling the ${name}${suffix} kernel failed: ${error.message}`);
      process.exit(1);
    }
  }
}
