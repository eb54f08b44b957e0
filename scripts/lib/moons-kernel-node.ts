// Installs the fused two-moons kernel in Node (tests, CLI, benchmarks) from the wasm that `npm run kernels`
// builds (or, in the GPU machine's single-file bundles, the copy beside the bundle); importing this module is enough.
import { installMoonsKernel } from "../../shared/kernels/moons-kernel";

// node:fs by a computed name: the shared tests type-check this module without Node's types.
const fsModule = "node:fs";
const fs = (await import(/* @vite-ignore */ fsModule)) as { existsSync(path: URL): boolean; readFileSync(path: URL): Uint8Array<ArrayBuffer> };
const candidates = [new URL("../../shared/kernels/build/moons.wasm", import.meta.url), new URL("./moons.wasm", import.meta.url)];
const wasmUrl = candidates.find((url) => fs.existsSync(url));
if (!wasmUrl) throw new Error(`${candidates[0]!.pathname} is missing: run \`npm run kernels\` (npm ci runs it) to compile the AssemblyScript kernels`);
installMoonsKernel(new WebAssembly.Module(fs.readFileSync(wasmUrl)));
