// Why: picks how many images each chunk of the Colored-MNIST full-batch gradient holds on each backend, so that one
// step fits the device and runs fast there (the gradient is the same whatever the chunking, up to float rounding).

/**
 * Images per chunk on GPU backends. A chunk's activations are n × h floats per layer (h ≤ 390): 5,000 images
 * make ≈ 7.8 MB per activation and ≈ 50 MB of transient memory for a forward and backward pass, against
 * ≈ 250 MB for a whole 25,000-image environment, on top of the 78 MB of resident inputs. That keeps a step
 * inside what integrated GPUs and WebGL's texture budgets give a page, each dispatch short (GPU watchdogs),
 * and 5,000 rows × 392 columns within common maximum texture sizes without tfjs re-packing the chunk.
 */
export const GPU_CHUNK_SIZE = 5000;

/**
 * Images per chunk on wasm. XNNPACK does not block the inner dimension, and the weight gradients Xᵀ·dZ and
 * Hᵀ·dZ have the images as that dimension: with a whole 25,000-image environment each 8-column panel it streams
 * (25,000 × 8 floats, 800 kB) falls out of a core's L2, while 2,500 images (80 kB) stay in it. `npm run bench --
 * cmnist` measures it (whole vs chunked, interleaved, a fresh process each, 1 thread); on the project's 2-core Zen 5,
 * 2026-12-04: ERM 2.41 → 1.93 s a step, IRMv1 3.54 → 2.85 s (1.25× and 1.24×). 2,000–4,000 images were within noise
 * of 2,500 and 625 slower again (per-op overhead). IRMv1 and V-REx need the environments' means before their
 * gradient, so their chunked gradient keeps each chunk's forward pass for its backward pass on wasm
 * (shared/nn/cmnist-objective.ts); recomputing it instead made them slower chunked than whole.
 */
export const WASM_CHUNK_SIZE = 2500;

/**
 * The chunkSize for the Colored-MNIST trainer on `backend` (the one actually running): GPU_CHUNK_SIZE on webgpu and
 * webgl, WASM_CHUNK_SIZE on wasm; undefined (one chunk per environment) on cpu, whose plain loops gain nothing.
 */
export function cmnistChunkSize(backend: string): number | undefined {
  if (backend === "webgpu" || backend === "webgl") return GPU_CHUNK_SIZE;
  return backend === "wasm" ? WASM_CHUNK_SIZE : undefined;
}
