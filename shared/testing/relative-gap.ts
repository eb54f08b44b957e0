// The tests' measure of how far two float arrays lie apart: the largest absolute difference over the largest |reference| value.

/** max |a - b| / max |reference|, reference = b. */
export function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`arrays of ${a.length} and ${b.length} values`);
  let gap = 0;
  let scale = 0;
  for (let k = 0; k < a.length; k++) {
    gap = Math.max(gap, Math.abs(a[k]! - b[k]!));
    scale = Math.max(scale, Math.abs(b[k]!));
  }
  return gap / scale;
}
