// Why: picks how many images each chunk of the Colored-MNIST full-batch gradient holds on each backend, so
// that one step fits the device (the gradient is the same whatever the chunking).

/**
 * Images per chunk on GPU backends. A chunk's activations are n × h floats per layer (h ≤ 390): 5,000 images
 * make ≈ 7.8 MB per activation and ≈ 50 MB of transient memory for a forward and backward pass, against
 * ≈ 250 MB for a whole 25,000-image environment, on top of the 78 MB of resident inputs. That keeps a step
 * inside what integrated GPUs and WebGL's texture budgets give a page, each dispatch short (GPU watchdogs),
 * and 5,000 rows × 392 columns within common maximum texture sizes without tfjs re-packing the chunk.
 */
export const GPU_CHUNK_SIZE = 5000;

/**
 * The chunkSize for trainCmnist on `backend` (the one actually running): GPU_CHUNK_SIZE on webgpu and webgl;
 * undefined (one chunk per environment) on wasm and cpu, where tensors live in ordinary memory and fewer,
 * larger kernels are faster.
 */
export function cmnistChunkSize(backend: string): number | undefined {
  return backend === "webgpu" || backend === "webgl" ? GPU_CHUNK_SIZE : undefined;
}
