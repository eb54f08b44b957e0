// MNIST in the compact binary pack the Colored-MNIST protocols download (14×14 uint8 images + labels), and
// the IDX parser and striding that build it: isomorphic (Uint8Array/DataView only), so build script,
// browser and Worker read the same bytes the same way.

/** The pack's first four bytes: "GSMN". */
export const MNIST_PACK_MAGIC = Uint8Array.of(0x47, 0x53, 0x4d, 0x4e);
export const MNIST_PACK_VERSION = 1;
/** magic (4) + version u32 + count u32 + rows u16 + cols u16, little-endian. */
export const MNIST_PACK_HEADER_BYTES = 16;

export interface MnistPack {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** Digit labels 0–9, one byte per image. */
  readonly labels: Uint8Array;
  /** count × rows × cols pixels, row-major, image after image. */
  readonly images: Uint8Array;
}

export class MnistPackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MnistPackError";
  }
}

const MAX_DIM = 0xffff;

function checkShape(count: number, rows: number, cols: number): void {
  if (!Number.isInteger(count) || count < 0 || count > 0xffffffff) {
    throw new MnistPackError(`MNIST pack: count must be an integer in [0, 2^32 - 1], got ${count}`);
  }
  for (const [name, value] of [["rows", rows], ["cols", cols]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_DIM) {
      throw new MnistPackError(`MNIST pack: ${name} must be an integer in [1, ${MAX_DIM}], got ${value}`);
    }
  }
}

export const mnistPackBytes = (count: number, rows: number, cols: number): number =>
  MNIST_PACK_HEADER_BYTES + count + count * rows * cols;

/** Serialises labels and images behind the fixed header. */
export function encodeMnistPack(pack: MnistPack): Uint8Array {
  const { count, rows, cols, labels, images } = pack;
  checkShape(count, rows, cols);
  if (labels.length !== count) {
    throw new MnistPackError(`MNIST pack: ${labels.length} labels for ${count} images`);
  }
  if (images.length !== count * rows * cols) {
    throw new MnistPackError(`MNIST pack: ${images.length} pixels, expected ${count}×${rows}×${cols}`);
  }
  const bytes = new Uint8Array(mnistPackBytes(count, rows, cols));
  const view = new DataView(bytes.buffer);
  bytes.set(MNIST_PACK_MAGIC, 0);
  view.setUint32(4, MNIST_PACK_VERSION, true);
  view.setUint32(8, count, true);
  view.setUint16(12, rows, true);
  view.setUint16(14, cols, true);
  bytes.set(labels, MNIST_PACK_HEADER_BYTES);
  bytes.set(images, MNIST_PACK_HEADER_BYTES + count);
  return bytes;
}

/** Reads a pack, refusing anything that is not exactly one well-formed pack. Returns views into `bytes`. */
export function decodeMnistPack(bytes: Uint8Array): MnistPack {
  if (bytes.length < MNIST_PACK_HEADER_BYTES) {
    throw new MnistPackError(`MNIST pack: ${bytes.length} bytes is shorter than the ${MNIST_PACK_HEADER_BYTES}-byte header`);
  }
  if (!MNIST_PACK_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new MnistPackError("MNIST pack: the file does not start with the magic bytes \"GSMN\"");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== MNIST_PACK_VERSION) {
    throw new MnistPackError(`MNIST pack: format version ${version} is not supported (expected ${MNIST_PACK_VERSION})`);
  }
  const count = view.getUint32(8, true);
  const rows = view.getUint16(12, true);
  const cols = view.getUint16(14, true);
  checkShape(count, rows, cols);
  const expected = mnistPackBytes(count, rows, cols);
  if (bytes.length !== expected) {
    throw new MnistPackError(
      `MNIST pack: ${bytes.length} bytes, but the header (${count} images of ${rows}×${cols}) needs exactly ${expected}`,
    );
  }
  const labels = bytes.subarray(MNIST_PACK_HEADER_BYTES, MNIST_PACK_HEADER_BYTES + count);
  const bad = labels.findIndex((label) => label > 9);
  if (bad >= 0) throw new MnistPackError(`MNIST pack: label ${labels[bad]} at index ${bad} is not a digit 0–9`);
  return { count, rows, cols, labels, images: bytes.subarray(MNIST_PACK_HEADER_BYTES + count) };
}

export interface IdxArray {
  /** Dimension sizes, outermost first (e.g. [60000, 28, 28]). */
  readonly dims: readonly number[];
  /** The unsigned-byte payload, row-major (a view into the input). */
  readonly data: Uint8Array;
}

const IDX_UBYTE = 0x08;

/**
 * Parses an IDX file of unsigned bytes (LeCun's MNIST format): big-endian magic 0x000008DD (DD = number
 * of dimensions: 0x00000801 labels, 0x00000803 images), then one big-endian uint32 per dimension, then data.
 * `expectedDims`, when given, must equal the file's number of dimensions.
 */
export function parseIdx(bytes: Uint8Array, expectedDims?: number): IdxArray {
  if (bytes.length < 4) throw new MnistPackError(`IDX: ${bytes.length} bytes is too short for the magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const ndims = magic & 0xff;
  const type = (magic >>> 8) & 0xff;
  if (magic >>> 16 !== 0 || type !== IDX_UBYTE || ndims === 0) {
    const hex = magic.toString(16).padStart(8, "0");
    throw new MnistPackError(`IDX: magic 0x${hex} is not an unsigned-byte IDX file (0x000008nn)`);
  }
  if (expectedDims !== undefined && ndims !== expectedDims) {
    throw new MnistPackError(`IDX: expected ${expectedDims} dimension(s), the file has ${ndims}`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) throw new MnistPackError(`IDX: ${bytes.length} bytes is too short for ${ndims} dimensions`);
  const dims = Array.from({ length: ndims }, (_, k) => view.getUint32(4 + 4 * k, false));
  const size = dims.reduce((product, dim) => product * dim, 1);
  if (bytes.length !== headerBytes + size) {
    throw new MnistPackError(`IDX: dimensions ${dims.join("×")} need ${headerBytes + size} bytes, the file has ${bytes.length}`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** `img[::step, ::step]` for every rows×cols image in `images` (NumPy striding: keeps rows/cols 0, step, 2·step, …). */
export function strideImages(images: Uint8Array, rows: number, cols: number, step: number): Uint8Array {
  const pixels = rows * cols;
  if (!Number.isInteger(step) || step < 1) throw new MnistPackError(`strideImages: step must be a positive integer, got ${step}`);
  if (pixels === 0 || images.length % pixels !== 0) {
    throw new MnistPackError(`strideImages: ${images.length} pixels is not a whole number of ${rows}×${cols} images`);
  }
  const count = images.length / pixels;
  const outRows = Math.ceil(rows / step);
  const outCols = Math.ceil(cols / step);
  const out = new Uint8Array(count * outRows * outCols);
  let k = 0;
  for (let n = 0; n < count; n++) {
    for (let r = 0; r < rows; r += step) {
      const rowStart = n * pixels + r * cols;
      for (let c = 0; c < cols; c += step) out[k++] = images[rowStart + c]!;
    }
  }
  return out;
}

/** The pack of the first `count` IDX images (strided by 2) with their labels: what the build script writes. */
export function mnistPackFromIdx(imagesIdx: Uint8Array, labelsIdx: Uint8Array, step = 2): MnistPack {
  const images = parseIdx(imagesIdx, 3);
  const labels = parseIdx(labelsIdx, 1);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) {
    throw new MnistPackError(`IDX: ${labels.dims[0]} labels for ${count} images`);
  }
  return {
    count,
    rows: Math.ceil(rows / step),
    cols: Math.ceil(cols / step),
    labels: labels.data,
    images: strideImages(images.data, rows, cols, step),
  };
}
