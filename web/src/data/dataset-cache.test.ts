// Checks the dataset-pack loader with an in-memory fetch and Cache Storage: progress, integrity, caching.
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../../shared/data/digest";
import { decodeMnistPack, encodeMnistPack } from "../../../shared/data/mnist-pack";
import type { DatasetPackManifest } from "../../../shared/data/pack-manifest";
import { DATASET_CACHE_NAME, type PackCache, type PackCacheStorage, type PackProgress, PackIntegrityError, loadDatasetPack } from "./dataset-cache";

const packBytes = encodeMnistPack({
  count: 10,
  rows: 4,
  cols: 4,
  labels: Uint8Array.from({ length: 10 }, (_, i) => i),
  images: Uint8Array.from({ length: 160 }, (_, i) => (i * 13) % 256),
});

async function manifestFor(bytes: Uint8Array): Promise<DatasetPackManifest> {
  return { sha256: await sha256Hex(bytes), bytes: bytes.length, path: "/data/test-pack.bin", count: 10, rows: 4, cols: 4, source: "test", terms: "test" };
}

class MemoryCaches implements PackCacheStorage {
  readonly stores = new Map<string, Map<string, Uint8Array>>();
  async open(name: string): Promise<PackCache> {
    const store = this.stores.get(name) ?? new Map<string, Uint8Array>();
    this.stores.set(name, store);
    return {
      match: async (key) => (store.has(key) ? new Response(store.get(key)!.slice()) : undefined),
      put: async (key, response) => void store.set(key, new Uint8Array(await response.arrayBuffer())),
      delete: async (key) => store.delete(key),
    };
  }
  entries(): string[] {
    return [...(this.stores.get(DATASET_CACHE_NAME)?.keys() ?? [])];
  }
}

/** A fetch that serves `body` in chunks of `chunk` bytes (or `status` without a body) and counts its calls. */
function fakeFetch(body: Uint8Array, chunk = 64, status = 200) {
  const calls: string[] = [];
  const fetch = async (url: string): Promise<Response> => {
    calls.push(url);
    if (status !== 200) return new Response(null, { status, statusText: "Not Found" });
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= body.length) return controller.close();
        controller.enqueue(body.slice(offset, offset + chunk));
        offset += chunk;
      },
    });
    return new Response(stream);
  };
  return { fetch, calls };
}

describe("loadDatasetPack", () => {
  it("downloads with progress, checks the hash, caches, then serves the next call from the cache", async () => {
    const manifest = await manifestFor(packBytes);
    const caches = new MemoryCaches();
    const { fetch, calls } = fakeFetch(packBytes);
    const progress: PackProgress[] = [];
    const first = await loadDatasetPack(manifest, decodeMnistPack, { fetch, caches, onProgress: (p) => progress.push(p) });
    expect(first.fromCache).toBe(false);
    expect(first.bytesDownloaded).toBe(packBytes.length);
    expect(Array.from(first.pack.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(progress.map((p) => p.received)).toEqual([64, 128, packBytes.length]);
    expect(progress.every((p) => p.total === packBytes.length)).toBe(true);
    expect(caches.entries()).toEqual([manifest.path]);

    const second = await loadDatasetPack(manifest, decodeMnistPack, { fetch, caches });
    expect(second.fromCache).toBe(true);
    expect(second.bytesDownloaded).toBe(0);
    expect(Array.from(second.pack.images)).toEqual(Array.from(first.pack.images));
    expect(calls).toEqual([manifest.path]);
  });

  it("rejects a body whose SHA-256 differs and does not cache it", async () => {
    const manifest = await manifestFor(packBytes);
    const tampered = packBytes.slice();
    tampered[tampered.length - 1]! ^= 1;
    const caches = new MemoryCaches();
    const load = loadDatasetPack(manifest, decodeMnistPack, { fetch: fakeFetch(tampered).fetch, caches });
    await expect(load).rejects.toBeInstanceOf(PackIntegrityError);
    await expect(load).rejects.toThrow(/SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}/);
    expect(caches.entries()).toEqual([]);
  });

  it("rejects short and over-long bodies without caching them", async () => {
    const manifest = await manifestFor(packBytes);
    const caches = new MemoryCaches();
    const short = fakeFetch(packBytes.subarray(0, 100)).fetch;
    await expect(loadDatasetPack(manifest, decodeMnistPack, { fetch: short, caches })).rejects.toThrow(/100 bytes, expected 186/);
    const long = fakeFetch(new Uint8Array(packBytes.length + 1)).fetch;
    await expect(loadDatasetPack(manifest, decodeMnistPack, { fetch: long, caches })).rejects.toThrow(/longer than the expected 186/);
    expect(caches.entries()).toEqual([]);
  });

  it("replaces a damaged cache entry with a fresh download", async () => {
    const manifest = await manifestFor(packBytes);
    const caches = new MemoryCaches();
    const cache = await caches.open(DATASET_CACHE_NAME);
    await cache.put(manifest.path, new Response(new Uint8Array(packBytes.length)));
    const { fetch, calls } = fakeFetch(packBytes);
    const loaded = await loadDatasetPack(manifest, decodeMnistPack, { fetch, caches });
    expect(loaded.fromCache).toBe(false);
    expect(calls).toHaveLength(1);
    expect(await sha256Hex(caches.stores.get(DATASET_CACHE_NAME)!.get(manifest.path)!)).toBe(manifest.sha256);
  });

  it("reports HTTP errors, honours an abort signal and works without Cache Storage", async () => {
    const manifest = await manifestFor(packBytes);
    await expect(loadDatasetPack(manifest, decodeMnistPack, { fetch: fakeFetch(packBytes, 64, 404).fetch, caches: null })).rejects.toThrow(
      /Downloading \/data\/test-pack.bin failed: HTTP 404/,
    );
    const controller = new AbortController();
    const onProgress = () => controller.abort();
    const aborted = loadDatasetPack(manifest, decodeMnistPack, { fetch: fakeFetch(packBytes).fetch, caches: null, onProgress, signal: controller.signal });
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    const uncached = await loadDatasetPack(manifest, decodeMnistPack, { fetch: fakeFetch(packBytes).fetch, caches: null });
    expect(uncached.fromCache).toBe(false);
  });
});
