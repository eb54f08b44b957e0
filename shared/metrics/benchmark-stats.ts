// The benchmark board's figures from a bounded set of results: per group of where they ran (GPU adapter,
// backend, browser, OS) each item's median, p10 and p90 and n, and per backend × GPU vendor the end states'
// deviation from the float64 recomputation (median, max, n) — the cross-backend agreement table.
import { BENCH_ITEMS, type AgreementRow, type BenchFacets, type BenchGroup, type BenchItem, type BenchStat, type BenchValues } from "../bench-api";

/** One stored result as the figures need it. */
export interface BenchSample {
  readonly facets: BenchFacets;
  readonly values: BenchValues;
  /** Deviation per item: the two-moons end states' relative distance, the matmul rows' relative error. */
  readonly deviations: Readonly<Record<BenchItem, number>>;
}

/** The q-quantile of sorted values, linearly interpolated (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError("no values");
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export function benchStat(values: readonly number[]): BenchStat {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p10: quantile(sorted, 0.1), p90: quantile(sorted, 0.9), n: sorted.length };
}

const groupKey = (f: BenchFacets): string => JSON.stringify([f.gpuVendor, f.gpuArchitecture, f.adapter, f.backend, f.browser, f.os]);

/** Groups by adapter (vendor, architecture, description), backend, browser and OS; largest groups first. */
export function groupBenchmarks(samples: readonly BenchSample[], items: readonly BenchItem[] = BENCH_ITEMS): BenchGroup[] {
  const groups = new Map<string, { facets: BenchFacets; samples: BenchSample[] }>();
  for (const sample of samples) {
    const key = groupKey(sample.facets);
    const group = groups.get(key) ?? { facets: sample.facets, samples: [] };
    group.samples.push(sample);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ facets, samples: members }) => ({
      facets,
      n: members.length,
      items: Object.fromEntries(items.map((item) => [item, benchStat(members.map((s) => s.values[item]))])) as BenchGroup["items"],
    }))
    .sort((a, b) => b.n - a.n || groupKey(a.facets).localeCompare(groupKey(b.facets)));
}

/** Per backend × GPU vendor × item: the median and largest deviation from the float64 recomputation, and n. */
export function agreementTable(samples: readonly BenchSample[], items: readonly BenchItem[] = BENCH_ITEMS): AgreementRow[] {
  const cells = new Map<string, { backend: BenchFacets["backend"]; gpuVendor: BenchFacets["gpuVendor"]; item: BenchItem; values: number[] }>();
  for (const sample of samples) {
    for (const item of items) {
      const key = JSON.stringify([sample.facets.backend, sample.facets.gpuVendor, item]);
      const cell = cells.get(key) ?? { backend: sample.facets.backend, gpuVendor: sample.facets.gpuVendor, item, values: [] };
      cell.values.push(sample.deviations[item]);
      cells.set(key, cell);
    }
  }
  return [...cells.values()]
    .map(({ backend, gpuVendor, item, values }) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { backend, gpuVendor, item, median: quantile(sorted, 0.5), max: sorted.at(-1)!, n: sorted.length };
    })
    .sort((a, b) => a.backend.localeCompare(b.backend) || a.gpuVendor.localeCompare(b.gpuVendor) || BENCH_ITEMS.indexOf(a.item) - BENCH_ITEMS.indexOf(b.item));
}
