// Checks the MNIST pack format (round trip, refusal of damaged input), the IDX parser and the striding.
import { describe, expect, it } from "vitest";
import {
  MNIST_PACK_HEADER_BYTES,
  type MnistPack,
  decodeMnistPack,
  encodeMnistPack,
  mnistPackFromIdx,
  parseIdx,
  strideImages,
} from "./mnist-pack";

function tinyPack(count = 3, rows = 2, cols = 3): MnistPack {
  return {
    count,
    rows,
    cols,
    labels: Uint8Array.from({ length: count }, (_, i) => (i * 7) % 10),
    images: Uint8Array.from({ length: count * rows * cols }, (_, i) => (i * 37) % 256),
  };
}

/** An IDX file of unsigned bytes with the given dimensions and payload. */
function idx(dims: number[], data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x0800 | dims.length, false);
  dims.forEach((dim, k) => view.setUint32(4 + 4 * k, dim, false));
  bytes.set(data, 4 + 4 * dims.length);
  return bytes;
}

describe("MNIST pack", () => {
  it("round-trips labels, images and shape", () => {
    const pack = tinyPack();
    const bytes = encodeMnistPack(pack);
    expect(bytes.length).toBe(MNIST_PACK_HEADER_BYTES + 3 + 18);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("GSMN");
    const decoded = decodeMnistPack(bytes);
    expect([decoded.count, decoded.rows, decoded.cols]).toEqual([3, 2, 3]);
    expect(Array.from(decoded.labels)).toEqual(Array.from(pack.labels));
    expect(Array.from(decoded.images)).toEqual(Array.from(pack.images));
  });

  it("decodes a pack that sits at an offset inside a larger buffer", () => {
    const bytes = encodeMnistPack(tinyPack());
    const padded = new Uint8Array(bytes.length + 5);
    padded.set(bytes, 5);
    expect(Array.from(decodeMnistPack(padded.subarray(5)).labels)).toEqual([0, 7, 4]);
  });

  it("refuses truncated, padded and garbage input with a clear reason", () => {
    const bytes = encodeMnistPack(tinyPack());
    expect(() => decodeMnistPack(bytes.subarray(0, 10))).toThrow(/shorter than the 16-byte header/);
    expect(() => decodeMnistPack(bytes.subarray(0, bytes.length - 1))).toThrow(/needs exactly 37/);
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    expect(() => decodeMnistPack(padded)).toThrow(/needs exactly 37/);
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 91 + 3) % 256);
    expect(() => decodeMnistPack(garbage)).toThrow(/magic bytes "GSMN"/);
    const future = bytes.slice();
    future[4] = 2;
    expect(() => decodeMnistPack(future)).toThrow(/version 2 is not supported/);
    const zeroRows = bytes.slice();
    zeroRows[12] = 0;
    expect(() => decodeMnistPack(zeroRows)).toThrow(/rows must be/);
    const badLabel = bytes.slice();
    badLabel[MNIST_PACK_HEADER_BYTES + 1] = 10;
    expect(() => decodeMnistPack(badLabel)).toThrow(/label 10 at index 1/);
  });

  it("refuses to encode inconsistent arrays", () => {
    expect(() => encodeMnistPack({ ...tinyPack(), labels: new Uint8Array(2) })).toThrow(/2 labels for 3 images/);
    expect(() => encodeMnistPack({ ...tinyPack(), images: new Uint8Array(17) })).toThrow(/17 pixels/);
  });
});

describe("parseIdx", () => {
  it("reads big-endian label (0x801) and image (0x803) files", () => {
    const labels = parseIdx(idx([4], Uint8Array.of(5, 0, 4, 1)), 1);
    expect(labels.dims).toEqual([4]);
    expect(Array.from(labels.data)).toEqual([5, 0, 4, 1]);
    const images = parseIdx(idx([2, 2, 3], Uint8Array.from({ length: 12 }, (_, i) => i)), 3);
    expect(images.dims).toEqual([2, 2, 3]);
    expect(images.data.length).toBe(12);
  });

  it("refuses a wrong magic, a wrong rank and a wrong length", () => {
    const good = idx([3], Uint8Array.of(1, 2, 3));
    expect(() => parseIdx(good, 3)).toThrow(/expected 3 dimension\(s\), the file has 1/);
    const floats = good.slice();
    floats[2] = 0x0d;
    expect(() => parseIdx(floats)).toThrow(/magic 0x00000d01/);
    expect(() => parseIdx(good.subarray(0, good.length - 1))).toThrow(/need 11 bytes, the file has 10/);
    expect(() => parseIdx(Uint8Array.of(0, 0))).toThrow(/too short/);
  });
});

describe("strideImages", () => {
  it("keeps rows and columns 0, 2, 4, … of each image, like img[::2, ::2]", () => {
    // Two 5×4 images whose pixel value encodes (image, row, col).
    const rows = 5;
    const cols = 4;
    const images = Uint8Array.from({ length: 2 * rows * cols }, (_, k) => {
      const n = Math.floor(k / (rows * cols));
      const r = Math.floor((k % (rows * cols)) / cols);
      return 100 * n + 10 * r + (k % cols);
    });
    const strided = strideImages(images, rows, cols, 2);
    expect(Array.from(strided)).toEqual([0, 2, 20, 22, 40, 42, 100, 102, 120, 122, 140, 142]);
    expect(Array.from(strideImages(images, rows, cols, 1))).toEqual(Array.from(images));
    expect(() => strideImages(images.subarray(1), rows, cols, 2)).toThrow(/whole number/);
  });

  it("builds a pack from IDX images and labels", () => {
    const pixels = Uint8Array.from({ length: 2 * 4 * 4 }, (_, i) => i);
    const pack = mnistPackFromIdx(idx([2, 4, 4], pixels), idx([2], Uint8Array.of(3, 8)));
    expect([pack.count, pack.rows, pack.cols]).toEqual([2, 2, 2]);
    expect(Array.from(pack.images)).toEqual([0, 2, 8, 10, 16, 18, 24, 26]);
    expect(Array.from(pack.labels)).toEqual([3, 8]);
    expect(() => mnistPackFromIdx(idx([2, 4, 4], pixels), idx([3], Uint8Array.of(1, 2, 3)))).toThrow(/3 labels for 2 images/);
  });
});
