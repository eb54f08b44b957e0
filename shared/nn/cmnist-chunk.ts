// Why: picks how many images each chunk of the Colored-MNIST full-batch gradient holds on each backend, so that one
// step fits the device and runs fast there (the gradient is the same whatever the chunking, up to float rounding).
import type { CmnistTraining } from "../protocols/colored-mnist";

/**
 * Images per chunk on GPU backends. A chunk's activations are n × h floats per layer (h ≤ 390): 5,000 images
 * make ≈ 7.8 MB per activation and ≈ 50 MB of transient memory for a forward and backward pass, against
 * ≈ 250 MB for a whole 25,000-image environment, on top of the 78 MB of resident inputs. That keeps a step
 * inside what integrated GPUs and WebGL's texture budgets give a page, each dispatch short (GPU watchdogs),
 * and 5,000 rows × 392 columns within common maximum texture sizes without tfjs re-packing the chunk.
 */
export const GPU_CHUNK_SIZE = 5000;

/**
 * Images per chunk on wasm. XNNPACK's GEMM does not block the inner dimension, and the weight gradients Xᵀ·dZ and
 * Hᵀ·dZ have the images as that dimension: with a whole 25,000-image environment each 8-column panel it streams
 * (25,000 × 8 floats, 800 kB) falls out of a core's L2, while 2,500 images (80 kB) stay in it. Measured on the
 * project's 2-core Zen 5 (`npm run bench -- cmnist`, 2 threads): ≈ 1.43 s per ERM step unchunked, ≈ 1.14 s in
 * chunks of 2,500; 2,000–4,000 were within noise of it and 625 slower again (per-op overhead).
 * Only for the pooled objectives (ERM, SD, the oracle): chunking IRMv1 and V-REx costs a forward pass over every
 * chunk first (their loss is nonlinear in the environments' means; shared/nn/cmnist-objective.ts), which ate the
 * gain there — IRMv1 2.17 → 2.40 s, V-REx 2.14 → 2.21 s per step on the same machine, against ERM 1.43 → 1.14 s,
 * SD 1.42 → 1.14 s and the oracle 1.20 → 0.99 s.
 */
export const WASM_CHUNK_SIZE = 2500;

/**
 * The chunkSize for the Colored-MNIST trainer of `method` on `backend` (the one actually running): GPU_CHUNK_SIZE
 * on webgpu and webgl; WASM_CHUNK_SIZE on wasm for the pooled objectives; otherwise undefined (one chunk per
 * environment: cpu's plain loops gain nothing, and IRMv1 and V-REx on wasm lose more than they gain).
 */
export function cmnistChunkSize(backend: string, method: CmnistTraining["method"]): number | undefined {
  if (backend === "webgpu" || backend === "webgl") return GPU_CHUNK_SIZE;
  return backend === "wasm" && (method === "erm" || method === "sd") ? WASM_CHUNK_SIZE : undefined;
}
