// Loads the fused two-moons kernel in the browser (the training worker): the wasm comes from the app's own
// origin, compiled asynchronously (browsers refuse synchronous compiles of this size off a worker's first
// turn), then installed for every session. Without it the trainer runs tfjs ops: slower, same results.
import moonsWasmUrl from "../../../shared/kernels/build/moons.wasm?url";
import { installMoonsKernel, moonsKernelInstalled } from "../../../shared/kernels/moons-kernel";

let loading: Promise<boolean> | null = null;

/** Resolves true once the kernel is installed, false (with a console warning) if it cannot load here. */
export function loadMoonsKernel(): Promise<boolean> {
  loading ??= (async () => {
    if (moonsKernelInstalled()) return true;
    try {
      const response = await fetch(moonsWasmUrl);
      if (!response.ok) throw new Error(`GET ${moonsWasmUrl} answered ${response.status}`);
      installMoonsKernel(await WebAssembly.compile(await response.arrayBuffer()));
      return true;
    } catch (error) {
      console.warn(`[gs-lab] the fused two-moons kernel did not load (${(error as Error).message}); training runs tfjs ops instead`);
      return false;
    }
  })();
  return loading;
}
