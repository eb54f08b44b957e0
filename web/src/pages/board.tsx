// One protocol's board: the seed-averaged decision function drawn like the paper's figure (seed 0's points
// on top) or, for the toy model, its trajectories; the claims, the metric aggregates, each metric's per-seed
// distribution next to the paper's value, and the counted runs — narrowed by facet, sorted and paged through
// the URL — each with its run page, its rerun and a box to compare it with others.
import { useRef } from "preact/hooks";
import type { ProtocolInfo } from "../../../shared/api";
import { BOARD_PAGE_DEFAULT, BOARD_PAGE_MAX, type BoardPage as BoardData, type BoardSort } from "../../../shared/board-api";
import { moonsDatasetPath } from "../../../shared/data/moons-url";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import type { MoonsProtocol, ToyProtocol } from "../../../shared/protocols/types";
import { zKey } from "../../../shared/toy/family";
import { api, loadProtocols } from "../api";
import { ClaimsList } from "../components/claims";
import { FacetControls, DIMENSION_LABELS } from "../components/facet-controls";
import { AggregateTable } from "../components/metrics-table";
import { ProtocolDetails } from "../components/protocol-details";
import { FigureLabel } from "../components/figure-label";
import { RunsTable } from "../components/runs-table";
import { SeedDistribution } from "../components/seed-distribution";
import { ErrorBox, Loading } from "../components/status";
import { ToyEndPoints } from "../components/toy-endpoints";
import { computeCurves } from "../figures/toy-curves";
import { formatStat } from "../format";
import { Heatmap } from "../plots/heatmap";
import { ToyPlot } from "../plots/toy-plot";
import { navigate } from "../router";
import { boardUrl, labUrl, newerPage, nextPage, type BoardParams, type SortOrder } from "../routes";
import { useAsync } from "../use-async";

export function BoardPage({ protocolId, params }: { readonly protocolId: string; readonly params: BoardParams }) {
  const protocols = useAsync(() => loadProtocols(), []);
  const counts = useAsync(() => api.facetCounts(), []);
  const page = useAsync(() => api.boardPage(protocolId, params), [boardUrl(protocolId, params)]);
  // While another facet, order or page loads, the last one stays on screen (and the controls keep focus).
  const shown = useRef<BoardData | null>(null);
  if (page.status === "ok") shown.current = page.data;
  if (protocols.status === "error") return <ErrorBox error={protocols.error} onRetry={protocols.reload} />;
  if (page.status === "error") return <ErrorBox error={page.error} onRetry={page.reload} />;
  if (protocols.status === "loading" || shown.current === null) return <Loading what="the results" />;
  const info = protocols.data.find((p) => p.protocol.id === protocolId);
  if (!info) return <ErrorBox error={new Error(`No protocol ${protocolId}.`)} />;
  return (
    <Board
      page={shown.current}
      loading={page.status === "loading"}
      params={params}
      info={info}
      protocols={protocols.data}
      counts={counts.status === "ok" ? counts.data : null}
    />
  );
}

function SeedZeroFigure({ protocol, grid, seeds }: { readonly protocol: MoonsProtocol; readonly grid: readonly number[] | null; readonly seeds: number }) {
  const points = useAsync(async () => {
    const response = await api.dataset(moonsDatasetPath(0, protocol.data));
    return { x: Float64Array.from(response.x.flat()), y: Uint8Array.from(response.y) };
  }, [protocol.id]);
  return (
    <figure class="board-figure">
      <Heatmap
        grid={grid}
        points={points.status === "ok" ? points.data : null}
        boldContour
        testId="board-heatmap"
        label={
          grid
            ? `Network output averaged over ${seeds} seeds, red for class 0 and blue for class 1, with the decision boundary in black and seed 0's training points.`
            : "No verified run yet: seed 0's training points only."
        }
      />
      <figcaption>
        {grid ? `Network output averaged over ${seeds} ${seeds === 1 ? "seed" : "seeds"}` : "No verified run yet"}; bold line: the decision
        boundary; points: seed 0's training data, class 0 red, class 1 blue.
        {points.status === "error" && " (The training points could not be loaded.)"}
      </figcaption>
    </figure>
  );
}

function ToyFigure({ protocol }: { readonly protocol: ToyProtocol }) {
  return (
    <figure class="board-figure">
      <ToyPlot
        sets={[{ solver: protocol.toy.solver, curves: computeCurves(protocol) }]}
        label={`|z2| against |z1| for s1 = ${protocol.toy.s1Values.join(", ")}, computed in this browser.`}
        testId="board-toy-plot"
      />
      <figcaption>
        |z₂| against |z₁| for each s1, computed in your browser with the same float64 code the server verifies with; every verified run's series
        matches these curves within 1e-4.
      </figcaption>
    </figure>
  );
}

/** Colored MNIST has no picture of its own on the board: the paper's row, and where Table 1 and Fig. 4 are drawn. */
function CmnistPanel({ protocol, entry }: { readonly protocol: CmnistProtocol; readonly entry: BoardData["entry"] }) {
  const { train, test } = protocol.reference.table1;
  const percent = (stat: BoardData["entry"]["metrics"][string]) => (stat ? `${(100 * stat.mean).toFixed(1)} ± ${(100 * stat.std).toFixed(1)} %` : "—");
  return (
    <figure class="board-figure" data-testid="cmnist-panel">
      <table class="metrics">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col" class="num">
              Train accuracy
            </th>
            <th scope="col" class="num">
              Test accuracy
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{protocol.reduced ? "Paper (full protocol, not comparable)" : "Paper, Table 1"}</th>
            <td class="num">
              {train.mean.toFixed(1)} ± {train.std.toFixed(1)} %
            </td>
            <td class="num">
              {test.mean.toFixed(1)} ± {test.std.toFixed(1)} %
            </td>
          </tr>
          <tr>
            <th scope="row">GS Lab, {entry.seeds} verified {entry.seeds === 1 ? "seed" : "seeds"}</th>
            <td class="num">{percent(entry.metrics.trainAccuracy ?? null)}</td>
            <td class="num">{percent(entry.metrics.testAccuracy ?? null)}</td>
          </tr>
        </tbody>
      </table>
      <figcaption>
        Every method side by side: <a href="/figures/table1">Table 1</a>; what each model looks at: <a href="/figures/fig4">Fig. 4</a>.
        {protocol.reduced && ` ${protocol.reduced.note}`}
      </figcaption>
    </figure>
  );
}

/** The metric columns of the runs table: all of them for two-moons, the s1 = 8 end points for the toy model. */
const listedMetrics = (info: ProtocolInfo) => (info.protocol.family === "toy-dynamics" ? info.metrics.filter((m) => m.key.endsWith("s8")) : info.metrics);

const SORT_NAMES: Readonly<Record<string, string>> = { createdAt: "submission time", seed: "seed", trainMs: "training time" };

interface BoardProps {
  readonly page: BoardData;
  readonly loading: boolean;
  readonly params: BoardParams;
  readonly info: ProtocolInfo;
  readonly protocols: readonly ProtocolInfo[];
  readonly counts: Parameters<typeof FacetControls>[0]["counts"];
}

function Board({ page, loading, params, info, protocols, counts }: BoardProps) {
  const { entry } = page;
  const titleOf = (id: string): string => protocols.find((p) => p.protocol.id === id)?.protocol.title ?? id;
  const protocol = info.protocol;
  const runMetrics = listedMetrics(info);
  const url = (next: Partial<BoardParams>): string => boardUrl(entry.protocolId, { ...params, ...next });
  const sortName = (sort: BoardSort): string => SORT_NAMES[sort] ?? info.metrics.find((m) => `metric:${m.key}` === sort)?.label ?? sort;
  return (
    <div class="board" aria-busy={loading}>
      <p class="breadcrumb">
        <a href="/leaderboard">Leaderboard</a> › <FigureLabel label={entry.figure} />
      </p>
      <h1>{entry.title}</h1>
      <p class="counts" data-testid="board-counts">
        {entry.runs} verified {entry.runs === 1 ? "run" : "runs"} · {entry.seeds} {entry.seeds === 1 ? "seed" : "seeds"} · {entry.contributors}{" "}
        {entry.contributors === 1 ? "contributor" : "contributors"} · {entry.reproducedSeeds} reproduced by a second contributor
        {entry.disputedSeeds > 0 && ` · ${entry.disputedSeeds} disputed (left out of the averages)`} · <a href={labUrl({ protocol: entry.protocolId })}>add a run</a>
      </p>
      <div class="board-controls">
        <FacetControls facet={params.facet} counts={counts} onChange={(facet) => navigate(url({ facet, cursor: null, prev: [] }))} />
        {page.facet && (
          <p class="muted" data-testid="board-facet">
            Counting only runs with {DIMENSION_LABELS[page.facet.dimension].toLowerCase()} {page.facet.value}. <a href={url({ facet: { trust: params.facet.trust }, cursor: null, prev: [] })}>Count every environment</a>
          </p>
        )}
      </div>
      <div class="board-top">
        {protocol.family === "two-moons" ? (
          <SeedZeroFigure protocol={protocol} grid={page.boundary?.grid ?? null} seeds={page.boundary?.seeds ?? 0} />
        ) : protocol.family === "colored-mnist" ? (
          <CmnistPanel protocol={protocol} entry={entry} />
        ) : (
          <ToyFigure protocol={protocol} />
        )}
        <section aria-labelledby="claims-heading">
          <h2 id="claims-heading">The paper's claims</h2>
          <ClaimsList protocolId={entry.protocolId} claims={entry.claims} metrics={info.metrics} titleOf={titleOf} />
          <h2>Metrics</h2>
          {protocol.family === "toy-dynamics" ? (
            <ToyEndPoints
              s1Values={protocol.toy.s1Values}
              columns={[
                {
                  title: `End points, mean over ${entry.runs} verified ${entry.runs === 1 ? "run" : "runs"}`,
                  cell: (component, s1) => formatStat(entry.metrics[zKey(component, s1)], 3),
                },
              ]}
            />
          ) : (
            <AggregateTable metrics={info.metrics} stats={entry.metrics} />
          )}
        </section>
      </div>

      <section aria-labelledby="seeds-heading" data-testid="seed-distribution">
        <h2 id="seeds-heading">Per seed</h2>
        {page.seeds.length === 0 ? <p class="muted">No counted seed yet.</p> : <SeedDistribution protocol={protocol} metrics={runMetrics} page={page} />}
      </section>

      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading">Verified runs</h2>
        {page.runs.length === 0 && params.cursor === null ? (
          page.facet || params.facet.trust ? (
            <p data-testid="no-matching-runs">No counted run matches this facet.</p>
          ) : (
            <p>
              No verified run yet. <a href={labUrl({ protocol: entry.protocolId })}>Be the first.</a>
            </p>
          )
        ) : (
          <>
            <p class="muted" data-testid="runs-order" data-sort={params.sort} data-order={params.order}>
              Sorted by {sortName(params.sort)}, {params.order === "asc" ? "ascending" : "descending"}; click a column's name to sort by it.
            </p>
            <RunsTable
              runs={page.runs}
              metrics={runMetrics}
              protocolId={entry.protocolId}
              label="Verified runs"
              sorting={{ sort: params.sort, order: params.order, href: (sort: BoardSort, order: SortOrder) => url({ sort, order, cursor: null, prev: [] }) }}
            />
            <nav class="pager" aria-label="Pages of runs">
              <label>
                Runs per page{" "}
                <select data-testid="page-size" value={String(params.limit)} onChange={(event) => navigate(url({ limit: Number(event.currentTarget.value), cursor: null, prev: [] }))}>
                  {[...new Set([10, 25, BOARD_PAGE_DEFAULT, BOARD_PAGE_MAX, params.limit])]
                    .sort((a, b) => a - b)
                    .map((size) => (
                      <option key={size} value={String(size)}>
                        {size}
                      </option>
                    ))}
                </select>
              </label>
              {params.cursor !== null && (
                <>
                  <a href={url({ cursor: null, prev: [] })} data-testid="first-page">
                    ⇤ First page
                  </a>
                  <a href={url(newerPage(params))} data-testid="newer-page" rel="prev">
                    ← {params.sort === "createdAt" && params.order === "desc" ? "Newer" : "Previous page"}
                  </a>
                </>
              )}
              {page.nextCursor !== null && (
                <a href={url(nextPage(params, page.nextCursor))} data-testid="next-page" rel="next">
                  {params.sort === "createdAt" && params.order === "desc" ? "Older" : "Next page"} →
                </a>
              )}
            </nav>
          </>
        )}
      </section>

      <section aria-labelledby="recipe-heading">
        <h2 id="recipe-heading">The recipe</h2>
        <ProtocolDetails info={info} />
      </section>
    </div>
  );
}
