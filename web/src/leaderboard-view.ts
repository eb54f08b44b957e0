// What the leaderboard shows for its URL's search and sort: the entries that match every search word (in the
// title, protocol id or figure), in the chosen order, grouped by figure only in the paper's figure order.
// The facet is the server's (the entries arrive faceted); this is the part a page computes from them.
import type { LeaderboardEntry, ProtocolInfo } from "../../shared/api";
import { groupByFigure, type FigureGroup } from "./protocol-groups";
import type { LeaderboardSort, SortOrder } from "./routes";

/** True when every word of `q` appears in the entry's title, protocol id or figure (case-insensitive). */
export function matchesSearch(entry: LeaderboardEntry, q: string): boolean {
  const haystack = `${entry.title} ${entry.protocolId} ${entry.figure}`.toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

const metricKeyOf = (sort: LeaderboardSort): string | null => (sort.startsWith("metric:") ? sort.slice("metric:".length) : null);

/** The entries in the order asked for; the figure order is the server's (the registry's). Entries without the sorted metric come last either way. */
export function sortEntries(entries: readonly LeaderboardEntry[], sort: LeaderboardSort, order: SortOrder): LeaderboardEntry[] {
  const sign = order === "asc" ? 1 : -1;
  const indexed = entries.map((entry, index) => ({ entry, index }));
  const metric = metricKeyOf(sort);
  const compare = (a: { entry: LeaderboardEntry; index: number }, b: { entry: LeaderboardEntry; index: number }): number => {
    if (metric !== null) {
      const x = a.entry.metrics[metric]?.mean ?? null;
      const y = b.entry.metrics[metric]?.mean ?? null;
      if (x === null || y === null) return x === y ? a.index - b.index : x === null ? 1 : -1;
      return sign * (x - y) || a.index - b.index;
    }
    if (sort === "title") return sign * a.entry.title.localeCompare(b.entry.title, "en") || a.index - b.index;
    if (sort === "figure") return sign * (a.index - b.index);
    const count = sort as "runs" | "seeds" | "contributors";
    return sign * (a.entry[count] - b.entry[count]) || a.index - b.index;
  };
  return indexed.sort(compare).map(({ entry }) => entry);
}

/** The rows to draw: figure groups in figure order, otherwise one group ("") holding the sorted entries. */
export function leaderboardGroups(entries: readonly LeaderboardEntry[], q: string, sort: LeaderboardSort, order: SortOrder): FigureGroup<LeaderboardEntry>[] {
  const sorted = sortEntries(
    entries.filter((entry) => matchesSearch(entry, q)),
    sort,
    order,
  );
  if (sorted.length === 0) return [];
  return sort === "figure" ? groupByFigure(sorted, (e) => e.figure) : [{ figure: "", items: sorted }];
}

export interface MetricOption {
  readonly key: string;
  readonly label: string;
}

/** Every metric some protocol reports, once, in registry order: the leaderboard's "sort by a metric" choices. */
export function metricOptions(protocols: readonly ProtocolInfo[]): MetricOption[] {
  const seen = new Map<string, string>();
  for (const info of protocols) for (const metric of info.metrics) if (!seen.has(metric.key)) seen.set(metric.key, metric.label);
  return [...seen].map(([key, label]) => ({ key, label }));
}
