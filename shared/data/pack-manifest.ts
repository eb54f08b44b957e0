// What a committed dataset-pack manifest records, so that every client can check a downloaded pack's bytes
// and show the data's source and terms next to the download; and the check itself, shared by the browser's
// loader and the Worker.
import { sha256Hex } from "./digest";

export interface DatasetPackManifest {
  /** SHA-256 of the whole pack file, lowercase hex. */
  readonly sha256: string;
  readonly bytes: number;
  /** Where the web client fetches it (content-addressed, served with a one-year immutable cache). */
  readonly path: string;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** Where the data comes from, to show next to every download. */
  readonly source: string;
  /** The data's licence terms, to show next to every download. */
  readonly terms: string;
}

export class PackIntegrityError extends Error {
  constructor(manifest: DatasetPackManifest, detail: string) {
    super(`The dataset ${manifest.path} is corrupt or was tampered with: ${detail}. It was not cached; reload to try again.`);
    this.name = "PackIntegrityError";
  }
}

/** Resolves when `bytes` are exactly the pack the manifest names; throws PackIntegrityError otherwise. */
export async function checkPackBytes(bytes: Uint8Array, manifest: DatasetPackManifest): Promise<void> {
  if (bytes.length !== manifest.bytes) {
    throw new PackIntegrityError(manifest, `${bytes.length} bytes, expected ${manifest.bytes}`);
  }
  const actual = await sha256Hex(bytes);
  if (actual !== manifest.sha256) {
    throw new PackIntegrityError(manifest, `SHA-256 ${actual}, expected ${manifest.sha256}`);
  }
}
