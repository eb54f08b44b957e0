// Content addresses of datasets: SHA-256 over a canonical byte layout, computed with WebCrypto so that the
// browser, Node and the Worker agree on what "the same data" means.
import type { MoonsData } from "./moons";

interface Digester {
  digest(algorithm: "SHA-256", data: Uint8Array): Promise<ArrayBuffer>;
}

const subtle = (): Digester => (globalThis as unknown as { crypto: { subtle: Digester } }).crypto.subtle;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await subtle().digest("SHA-256", bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Canonical bytes of a two-moons dataset: x as little-endian float64 (n×2 row-major), then y as bytes. */
export function moonsBytes(data: MoonsData): Uint8Array {
  const bytes = new Uint8Array(data.n * 16 + data.n);
  const view = new DataView(bytes.buffer);
  data.x.forEach((value, k) => view.setFloat64(8 * k, value, true));
  bytes.set(data.y, data.n * 16);
  return bytes;
}

export const moonsDigest = (data: MoonsData): Promise<string> => sha256Hex(moonsBytes(data));
