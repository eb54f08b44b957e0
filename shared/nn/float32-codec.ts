// The wire format of weights and grids: little-endian float32, whatever the platform's byte order.

export function encodeFloat32(values: Float32Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, k) => view.setFloat32(4 * k, v, true));
  return bytes;
}

/** null when the byte count is not a whole number of floats. */
export function decodeFloat32(bytes: Uint8Array): Float32Array | null {
  if (bytes.byteLength % 4 !== 0) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, k) => view.getFloat32(4 * k, true));
}
