// Installs the fused two-moons kernel in Node (tests, CLI, benchmarks) from the wasm that `npm run kernels`
// builds (or, in the GPU machine's single-file bundles, the copy beside the bundle); importing this module is enough.
// Node gets the build the Worker runs, moons-relaxed.wasm (relaxed SIMD: fused multiply-adds in the float64
// replays), wherever its V8 accepts it, and the baseline moons.wasm otherwise.
import { installMoonsKernel } from "../../shared/kernels/moons-kernel";

// node:fs and node:v8 by computed names: the shared tests type-check this module without Node's types.
const fsModule = "node:fs";
const v8Module = "node:v8";
const fs = (await import(/* @vite-ignore */ fsModule)) as { existsSync(path: URL): boolean; readFileSync(path: URL): Uint8Array<ArrayBuffer> };

/** The first of `names` found in the build folder or beside this module. */
const find = (name: string): URL | undefined =>
  [new URL(`../../shared/kernels/build/${name}`, import.meta.url), new URL(`./${name}`, import.meta.url)].find((url) => fs.existsSync(url));

/**
 * Whether this V8 compiles relaxed SIMD. Node 22 and later do by default; Node 20's V8 (11.3) implements it, the
 * standard's final form, behind a flag that it reads when it compiles a module, so the flag is turned on here (it
 * changes nothing else: no other module here uses those instructions).
 */
async function relaxedSimd(bytes: Uint8Array<ArrayBuffer>): Promise<boolean> {
  if (WebAssembly.validate(bytes)) return true;
  const v8 = (await import(/* @vite-ignore */ v8Module)) as { setFlagsFromString(flags: string): void };
  v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
  return WebAssembly.validate(bytes);
}

const baseline = find("moons.wasm");
if (!baseline) throw new Error(`shared/kernels/build/moons.wasm is missing: run \`npm run kernels\` (npm ci runs it) to compile the AssemblyScript kernels`);
const relaxedUrl = find("moons-relaxed.wasm");
const relaxed = relaxedUrl ? fs.readFileSync(relaxedUrl) : null;
installMoonsKernel(new WebAssembly.Module(relaxed && (await relaxedSimd(relaxed)) ? relaxed : fs.readFileSync(baseline)));
