// Installs the fused two-moons kernel in Node (tests, CLI, benchmarks) from the wasm that `npm run kernels`
// builds; importing this module is enough.
import { installMoonsKernel } from "../../shared/kernels/moons-kernel";

// node:fs by a computed name: the shared tests type-check this module without Node's types.
const fsModule = "node:fs";
const fs = (await import(/* @vite-ignore */ fsModule)) as { existsSync(path: URL): boolean; readFileSync(path: URL): Uint8Array<ArrayBuffer> };
const wasmUrl = new URL("../../shared/kernels/build/moons.wasm", import.meta.url);
if (!fs.existsSync(wasmUrl)) throw new Error(`${wasmUrl.pathname} is missing: run \`npm run kernels\` (npm ci runs it) to compile the AssemblyScript kernels`);
installMoonsKernel(new WebAssembly.Module(fs.readFileSync(wasmUrl)));
