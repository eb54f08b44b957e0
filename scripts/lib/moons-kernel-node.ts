// Installs the fused two-moons kernel in Node (tests, CLI, benchmarks) from the wasm that `npm run kernels`
// builds; importing this module is enough.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { installMoonsKernel } from "../../shared/kernels/moons-kernel";

const wasmPath = fileURLToPath(new URL("../../shared/kernels/build/moons.wasm", import.meta.url));
if (!existsSync(wasmPath)) throw new Error(`${wasmPath} is missing: run \`npm run kernels\` (npm ci runs it) to compile the AssemblyScript kernels`);
installMoonsKernel(new WebAssembly.Module(readFileSync(wasmPath)));
