// Installs the fused two-moons kernel in the Worker: the wasm is imported statically (wrangler bundles it as a
// compiled module; Workers cannot compile wasm at run time), so every replay the verifier runs uses it. The Worker
// takes the relaxed-SIMD build (fused multiply-adds in the float64 replays: workerd's V8 has relaxed SIMD);
// worker/test/kernel.test.ts checks that it is the one installed and that it replays as the reference does.
import moonsKernel from "../shared/kernels/build/moons-relaxed.wasm";
import { installMoonsKernel } from "../shared/kernels/moons-kernel";

installMoonsKernel(moonsKernel);
