// A board's figures from the seeds' first counted runs (seed_stats.first_run_id, lowest seeds first): the
// seed-averaged decision function on the figure grid and the seed-mean of an evidence series, at most
// FIGURE_SEEDS R2 objects per request, never a scan of runs.
import type { ProtocolBoard, SeriesAggregate } from "../../shared/api";
import { decodeFloat32 } from "../../shared/nn/float32-codec";
import { artifactKeys } from "../storage";

/** Seeds drawn in the averaged figure (the lowest ones; the paper averages seeds 0-9). */
export const FIGURE_SEEDS = 20;

/** Mean over seeds of the figure grid, using each given seed's first counted run. */
export async function averagedGrid(bucket: R2Bucket, firstRunIds: readonly string[]): Promise<ProtocolBoard["boundary"]> {
  const grids = (
    await Promise.all(
      firstRunIds.slice(0, FIGURE_SEEDS).map(async (id) => {
        const object = await bucket.get(artifactKeys(id).grid);
        return object ? decodeFloat32(new Uint8Array(await object.arrayBuffer())) : null;
      }),
    )
  ).filter((g): g is Float32Array => g !== null);
  if (grids.length === 0) return null;
  const sum = new Float64Array(grids[0]!.length);
  for (const grid of grids) grid.forEach((v, k) => (sum[k] = sum[k]! + v));
  return { seeds: grids.length, grid: Array.from(sum, (v) => Math.round((v / grids.length) * 1e5) / 1e5) };
}

/** Per-index mean and population std over equally long series. */
function seriesMeanStd(series: readonly number[][]): { mean: number[]; std: number[] } {
  const length = series[0]?.length ?? 0;
  const mean = Array.from({ length }, (_, k) => series.reduce((a, s) => a + s[k]!, 0) / series.length);
  const std = mean.map((m, k) => Math.sqrt(series.reduce((a, s) => a + (s[k]! - m) ** 2, 0) / series.length));
  return { mean, std };
}

/** The seed-mean of one evidence series over the given seeds' first counted runs (those of the first one's length). */
export async function seriesAggregate(bucket: R2Bucket, firstRunIds: readonly string[], name: string): Promise<SeriesAggregate> {
  const series = (
    await Promise.all(
      firstRunIds.slice(0, FIGURE_SEEDS).map(async (id) => {
        const object = await bucket.get(artifactKeys(id).evidence);
        const evidence = object ? ((await object.json()) as { series?: Record<string, number[]> }) : null;
        return evidence?.series?.[name] ?? null;
      }),
    )
  ).filter((s): s is number[] => s !== null);
  const length = series[0]?.length;
  const usable = series.filter((s) => s.length === length);
  return { name, seeds: usable.length, ...seriesMeanStd(usable) };
}
