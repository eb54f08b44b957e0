// A small deterministic PRNG (mulberry32) for synthetic data — the scale seeding script and the aggregate tests —
// so that the same seed writes the same runs and a failure is reproducible. Not for anything the server decides.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
