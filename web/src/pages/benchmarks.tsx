// The benchmark board (/benchmarks?backend=&gpuVendor=&gpuArchitecture=&browser=&os=&item=): every submitted suite
// grouped by GPU adapter, backend, browser and OS (median, p10–p90, n per item), a chart per item, the reference
// rows, the cross-backend agreement table and the newest results with their pages and a comparison of two.
// One result's page and the comparison live in benchmarks-result.tsx.
import { useState } from "preact/hooks";
import { BACKENDS } from "../../../shared/api";
import { BENCH_ITEM_INFO, BENCH_ITEMS, type BenchBoard, type BenchGroup, type BenchItem, type BenchQuery } from "../../../shared/bench-api";
import { BROWSERS, GPU_VENDORS, OPERATING_SYSTEMS } from "../../../shared/environment-facets";
import { END_STATE_TOLERANCE, MATMUL_TOLERANCE } from "../../../shared/metrics/benchmark-check";
import { benchClient } from "../bench-client";
import { benchmarksCompareUrl, benchmarksUrl, benchmarkUrl } from "../benchmarks-url";
import { ErrorBox, Loading } from "../components/status";
import { formatDate } from "../format";
import { navigate } from "../router";
import { useAsync } from "../use-async";
import { BenchChart, type ChartBar } from "./benchmarks-chart";
import { adapterText, formatFigure } from "./benchmarks-format";
import { REFERENCE_CAVEAT, REFERENCE_ROWS } from "./benchmarks-reference";

export { BenchmarkComparePage, BenchmarkPage } from "./benchmarks-result";

export function BenchmarksPage({ query }: { readonly query: BenchQuery }) {
  const data = useAsync(() => benchClient.board(query), [JSON.stringify(query)]);
  return (
    <div class="benchmarks">
      <h1>Benchmark board</h1>
      <p class="lede">
        Suites run from <a href="/bench">/bench</a> on any browser: the two-moons step (1 lane and 10 lanes batched), the Colored-MNIST step (reduced: 2 × 250
        images) and a tfjs matMul probe, per backend.
        Each result is a checked computation: the server replayed its end states in float64 from the seed it issued, recomputed rows of its product, and held
        its timings to what the backend can physically do.
      </p>
      <Filters query={query} />
      {data.status === "loading" && <Loading what="the benchmark board" />}
      {data.status === "error" && <ErrorBox error={data.error} onRetry={data.reload} />}
      {data.status === "ok" && <Board board={data.data} items={query.item ? [query.item] : BENCH_ITEMS} />}
    </div>
  );
}

const FILTERS: ReadonlyArray<{ key: Exclude<keyof BenchQuery, "gpuArchitecture">; label: string; options: readonly string[] }> = [
  { key: "backend", label: "Backend", options: BACKENDS },
  { key: "gpuVendor", label: "GPU vendor", options: GPU_VENDORS },
  { key: "browser", label: "Browser", options: BROWSERS },
  { key: "os", label: "OS", options: OPERATING_SYSTEMS },
  { key: "item", label: "Item", options: BENCH_ITEMS },
];

function Filters({ query }: { readonly query: BenchQuery }) {
  const [architecture, setArchitecture] = useState(query.gpuArchitecture ?? "");
  const set = (key: keyof BenchQuery, value: string): void => {
    const next: Record<string, string> = { ...query };
    if (value) next[key] = value;
    else delete next[key];
    navigate(benchmarksUrl(next as BenchQuery));
  };
  return (
    <form
      class="controls bench-filters"
      aria-label="Filters"
      onSubmit={(e) => {
        e.preventDefault();
        set("gpuArchitecture", architecture.trim().toLowerCase());
      }}
    >
      {FILTERS.map(({ key, label, options }) => (
        <label key={key}>
          {label}
          <select name={key} data-testid={`filter-${key}`} value={query[key] ?? ""} onChange={(e) => set(key, e.currentTarget.value)}>
            <option value="">all</option>
            {options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label>
        GPU architecture
        <input name="gpuArchitecture" value={architecture} placeholder="e.g. ampere" maxLength={32} onInput={(e) => setArchitecture(e.currentTarget.value)} />
      </label>
      <button type="submit">Filter</button>
      {Object.keys(query).length > 0 && <a href={benchmarksUrl()}>clear filters</a>}
    </form>
  );
}

function Board({ board, items }: { readonly board: BenchBoard; readonly items: readonly BenchItem[] }) {
  const references = REFERENCE_ROWS.filter((row) => items.includes(row.item));
  return (
    <>
      <p class="muted" data-testid="bench-rows">
        {board.rows} result{board.rows === 1 ? "" : "s"}
        {board.capped ? `: the figures use the newest ${board.cap} matching results only` : ""}.
      </p>
      <h2>Results by adapter, backend, browser and OS</h2>
      <div class="table-scroll">
        <table class="compact bench-groups" data-testid="bench-groups">
          <thead>
            <tr>
              <th scope="col">GPU adapter</th>
              <th scope="col">Backend</th>
              <th scope="col">Browser</th>
              <th scope="col">OS</th>
              <th scope="col" class="num">
                n
              </th>
              {items.map((item) => (
                <th scope="col" class="num" key={item}>
                  <abbr title={BENCH_ITEM_INFO[item].label}>{BENCH_ITEM_INFO[item].short}</abbr>
                  <br />
                  {BENCH_ITEM_INFO[item].unit}, median (p10–p90)
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {board.groups.length === 0 && (
              <tr>
                <td colSpan={5 + items.length} class="muted">
                  No results match these filters yet. Run the suite on <a href="/bench">/bench</a> and submit it.
                </td>
              </tr>
            )}
            {board.groups.map((group, k) => (
              <GroupRow key={k} group={group} items={items} />
            ))}
          </tbody>
        </table>
      </div>
      <h2>Reference rows</h2>
      <div class="table-scroll">
        <table class="compact" data-testid="bench-references">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Reference</th>
              <th scope="col" class="num">
                median (min–max of its repeats)
              </th>
              <th scope="col">Measured</th>
            </tr>
          </thead>
          <tbody>
            {references.map((row, k) => (
              <tr key={k} class="reference" data-testid="bench-reference-row">
                <td>{BENCH_ITEM_INFO[row.item].short}</td>
                <td class="wrap">{row.label}</td>
                <td class="num">
                  {formatFigure(row.median)} {BENCH_ITEM_INFO[row.item].unit} ({formatFigure(row.low)}–{formatFigure(row.high)})
                </td>
                <td class="wrap">{row.when}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted small">
        {[...new Map(references.map((r) => [r.when, `${r.when}: ${r.machine}; ${r.source}`])).values()].join(". ")}. {REFERENCE_CAVEAT} The Colored-MNIST and
        matmul items have no reference row: the compare script times the paper's 50,000-image Colored-MNIST step (GS Lab wasm against PyTorch, in
        web/src/data/bench-reference.json), not the board's 500-image one, and no matmul probe.
      </p>
      {items.map((item) => (
        <BenchChart key={item} title={BENCH_ITEM_INFO[item].label} unit={BENCH_ITEM_INFO[item].unit} bars={chartBars(board.groups, item)} />
      ))}
      <Agreement board={board} />
      <Recent board={board} />
    </>
  );
}

function GroupRow({ group, items }: { readonly group: BenchGroup; readonly items: readonly BenchItem[] }) {
  const { facets } = group;
  return (
    <tr data-testid="bench-group" data-backend={facets.backend} data-adapter={facets.adapter ?? ""}>
      <td class="wrap">{adapterText(facets)}</td>
      <td>{facets.backend}</td>
      <td>{facets.browser}</td>
      <td>{facets.os}</td>
      <td class="num">{group.n}</td>
      {items.map((item) => {
        const stat = group.items[item];
        return (
          <td class="num" key={item} data-item={item} data-value={stat?.median}>
            {stat ? `${formatFigure(stat.median)} (${formatFigure(stat.p10)}–${formatFigure(stat.p90)})` : "—"}
          </td>
        );
      })}
    </tr>
  );
}

function chartBars(groups: readonly BenchGroup[], item: BenchItem): ChartBar[] {
  const measured = groups.flatMap((group): ChartBar[] => {
    const stat = group.items[item];
    return stat ? [{ label: `${group.facets.backend} · ${adapterText(group.facets)} · ${group.facets.browser} · ${group.facets.os} (n ${stat.n})`, median: stat.median, low: stat.p10, high: stat.p90, reference: false }] : [];
  });
  const references = REFERENCE_ROWS.filter((row) => row.item === item).map((row) => ({ label: `reference: ${row.label}`, median: row.median, low: row.low, high: row.high, reference: true }));
  return [...measured, ...references];
}

function Agreement({ board }: { readonly board: BenchBoard }) {
  return (
    <>
      <h2>Cross-backend agreement</h2>
      <p>
        How far each backend's end state lies from the server's float64 recomputation, from the same submissions: for the two-moons and Colored-MNIST items ‖w − w₆₄‖ / ‖w₆₄ − w₀‖
        over the trainable weights after the suite's steps (a result above {END_STATE_TOLERANCE} is refused), for the matmul probe the largest relative error of
        the rows the server recomputed (refused above {MATMUL_TOLERANCE}).
      </p>
      <div class="table-scroll">
        <table class="compact" data-testid="bench-agreement">
          <thead>
            <tr>
              <th scope="col">Backend</th>
              <th scope="col">GPU vendor</th>
              <th scope="col">Item</th>
              <th scope="col" class="num">
                median
              </th>
              <th scope="col" class="num">
                max
              </th>
              <th scope="col" class="num">
                n
              </th>
            </tr>
          </thead>
          <tbody>
            {board.agreement.map((row, k) => (
              <tr key={k} data-testid="agreement-row" data-backend={row.backend} data-item={row.item}>
                <td>{row.backend}</td>
                <td>{row.gpuVendor}</td>
                <td>{row.item}</td>
                <td class="num">{row.median.toExponential(2)}</td>
                <td class="num">{row.max.toExponential(2)}</td>
                <td class="num">{row.n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Recent({ board }: { readonly board: BenchBoard }) {
  const [picked, setPicked] = useState<readonly string[]>([]);
  const toggle = (id: string, on: boolean): void => setPicked((now) => (on ? [...now.filter((p) => p !== id), id].slice(-2) : now.filter((p) => p !== id)));
  return (
    <>
      <h2>Newest results</h2>
      <p class="muted">Tick two to compare them.</p>
      <ul class="bench-recent" data-testid="bench-recent">
        {board.recent.map((entry) => (
          <li key={entry.id}>
            <label>
              <input type="checkbox" checked={picked.includes(entry.id)} onChange={(e) => toggle(entry.id, e.currentTarget.checked)} aria-label={`compare ${entry.id}`} />{" "}
            </label>
            <a href={benchmarkUrl(entry.id)} data-testid="bench-result-link">
              {formatDate(entry.createdAt)} · {entry.facets.backend} · {adapterText(entry.facets)} · {entry.facets.browser} · {entry.facets.os}
            </a>{" "}
            <span class="muted">
              {BENCH_ITEMS.map((item) => `${formatFigure(entry.values[item])} ${BENCH_ITEM_INFO[item].unit}`).join(" · ")}
            </span>
          </li>
        ))}
      </ul>
      {picked.length === 2 && (
        <a class="button" href={benchmarksCompareUrl(picked[0]!, picked[1]!)} data-testid="bench-compare-link">
          Compare the two
        </a>
      )}
    </>
  );
}
