// Installs the fused two-moons kernel in the Worker: the wasm is imported statically (wrangler bundles it as a
// compiled module; Workers cannot compile wasm at run time), so every replay the verifier runs uses it.
import moonsKernel from "../shared/kernels/build/moons.wasm";
import { installMoonsKernel } from "../shared/kernels/moons-kernel";

installMoonsKernel(moonsKernel);
