// Which seed the next workunit gets: the paper's seeds 0-9 first, least-reproduced first (counting runs
// already accepted and workunits still out), then new seeds once every paper seed is well covered.

export const PAPER_SEEDS = 10;
/** Accepted runs each paper seed should have before new seeds are handed out. */
export const REPLICATION_TARGET = 3;

export interface SeedLoad {
  readonly accepted: number;
  readonly pending: number;
}

export function chooseSeed(load: ReadonlyMap<number, SeedLoad>): number {
  const weight = (seed: number): number => (load.get(seed)?.accepted ?? 0) + (load.get(seed)?.pending ?? 0);
  const paperCovered = Array.from({ length: PAPER_SEEDS }, (_, s) => load.get(s)?.accepted ?? 0).every((n) => n >= REPLICATION_TARGET);
  if (!paperCovered) {
    let best = 0;
    for (let seed = 1; seed < PAPER_SEEDS; seed++) if (weight(seed) < weight(best)) best = seed;
    return best;
  }
  let seed = PAPER_SEEDS;
  while (weight(seed) >= REPLICATION_TARGET) seed++;
  return seed;
}
