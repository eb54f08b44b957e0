// Gets a content-addressed dataset pack into the browser once: from Cache Storage when it is there,
// otherwise downloaded with progress, checked against the committed SHA-256, and only then cached.
// fetch and Cache Storage are injectable, so the logic runs under vitest in Node.
import { MNIST_PACK_MANIFEST } from "../../../shared/data/mnist-pack-manifest";
import { type MnistPack, decodeMnistPack } from "../../../shared/data/mnist-pack";
import { checkPackBytes, PackIntegrityError, type DatasetPackManifest } from "../../../shared/data/pack-manifest";

export const DATASET_CACHE_NAME = "gs-lab-datasets-v1";

/** The part of the Cache API this module uses (the browser's `Cache` satisfies it). */
export interface PackCache {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/** The part of `CacheStorage` this module uses; absent where the page has none (e.g. an insecure origin). */
export interface PackCacheStorage {
  open(name: string): Promise<PackCache>;
}

export interface PackProgress {
  /** Bytes of the body received so far. */
  readonly received: number;
  /** The pack's size from the manifest. */
  readonly total: number;
}

export interface LoadPackOptions {
  onProgress?: (progress: PackProgress) => void;
  signal?: AbortSignal;
  /** Defaults to the global fetch. */
  fetch?: (url: string, init: { signal?: AbortSignal }) => Promise<Response>;
  /** Defaults to the global `caches`; null or undefined where there is none (then nothing is cached). */
  caches?: PackCacheStorage | null;
}

export interface LoadedPack<T> {
  readonly pack: T;
  readonly fromCache: boolean;
  readonly bytesDownloaded: number;
}

export { checkPackBytes, PackIntegrityError };

/** Reads a response body chunk by chunk into one buffer of the manifest's size, reporting progress. */
async function readBody(response: Response, manifest: DatasetPackManifest, options: LoadPackOptions): Promise<Uint8Array<ArrayBuffer>> {
  const total = manifest.bytes;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const bytes = new Uint8Array(total);
  const reader = response.body.getReader();
  let received = 0;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      if (received + value.length > total) {
        throw new PackIntegrityError(manifest, `the download is longer than the expected ${total} bytes`);
      }
      bytes.set(value, received);
      received += value.length;
      options.onProgress?.({ received, total });
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  return received === total ? bytes : bytes.subarray(0, received);
}

function defaultCaches(): PackCacheStorage | null {
  return (globalThis as { caches?: PackCacheStorage }).caches ?? null;
}

async function openCache(storage: PackCacheStorage | null): Promise<PackCache | null> {
  if (!storage) return null;
  try {
    return await storage.open(DATASET_CACHE_NAME);
  } catch {
    return null; // Cache Storage can be unavailable (private modes, quota); the download still works.
  }
}

/** The cached bytes when they are present and intact; a damaged entry is deleted. */
async function fromCache(cache: PackCache | null, manifest: DatasetPackManifest): Promise<Uint8Array | null> {
  const cached = await cache?.match(manifest.path);
  if (!cached || !cache) return null;
  const bytes = new Uint8Array(await cached.arrayBuffer());
  try {
    await checkPackBytes(bytes, manifest);
    return bytes;
  } catch {
    await cache.delete(manifest.path);
    return null;
  }
}

/** Any dataset pack named by a manifest: cached bytes, else a checked download, then `decode`. */
export async function loadDatasetPack<T>(
  manifest: DatasetPackManifest,
  decode: (bytes: Uint8Array) => T,
  options: LoadPackOptions = {},
): Promise<LoadedPack<T>> {
  const cache = await openCache(options.caches === undefined ? defaultCaches() : options.caches);
  const cached = await fromCache(cache, manifest);
  if (cached) return { pack: decode(cached), fromCache: true, bytesDownloaded: 0 };

  const fetcher = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const response = await fetcher(manifest.path, options.signal ? { signal: options.signal } : {});
  if (!response.ok) throw new Error(`Downloading ${manifest.path} failed: HTTP ${response.status} ${response.statusText}`.trim());
  const bytes = await readBody(response, manifest, options);
  await checkPackBytes(bytes, manifest);
  const pack = decode(bytes);
  const headers = { "content-type": "application/octet-stream", "content-length": String(bytes.length) };
  // A full cache only costs the next visit a download; the data in hand is good.
  await cache?.put(manifest.path, new Response(bytes, { headers })).catch(() => undefined);
  return { pack, fromCache: false, bytesDownloaded: bytes.length };
}

/** The 14×14 MNIST train pack of the Colored-MNIST protocols. */
export const loadMnistPack = (options: LoadPackOptions = {}): Promise<LoadedPack<MnistPack>> =>
  loadDatasetPack(MNIST_PACK_MANIFEST, decodeMnistPack, options);
