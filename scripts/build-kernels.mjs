// Compiles the project's AssemblyScript kernels (shared/kernels/assembly) to wasm with the compiler from npm:
// run by `npm ci` (prepare) and before the tests, the web build and the dev server; the output is not committed.
import asc from "assemblyscript/asc";
import { mkdirSync } from "node:fs";

const KERNELS = ["moons"];

mkdirSync("shared/kernels/build", { recursive: true });
for (const name of KERNELS) {
  const { error, stderr } = await asc.main([
    `shared/kernels/assembly/${name}.ts`,
    "--outFile", `shared/kernels/build/${name}.wasm`,
    "-O3", "--runtime", "stub", "--noAssert", "--enable", "simd",
  ]);
  if (error) {
    console.error(stderr.toString());
    console.error(`[gs-lab] compiling the ${name} kernel failed: ${error.message}`);
    process.exit(1);
  }
}
