// One protocol's board: the seed-averaged decision function drawn like the paper's figure (seed 0's points
// on top), the claims, the metric aggregates, and every verified run with a link and a one-click rerun.
import type { ProtocolBoard, ProtocolInfo } from "../../../shared/api";
import { moonsDatasetPath } from "../../../shared/data/moons-url";
import { api, loadProtocols } from "../api";
import { ClaimsList } from "../components/claims";
import { AggregateTable } from "../components/metrics-table";
import { ProtocolDetails } from "../components/protocol-details";
import { ErrorBox, Loading } from "../components/status";
import { formatDate, formatDuration, formatValue } from "../format";
import { Heatmap } from "../plots/heatmap";
import { labUrl, rerunUrl, runUrl } from "../routes";
import { useAsync } from "../use-async";

export function BoardPage({ protocolId }: { readonly protocolId: string }) {
  const data = useAsync(() => Promise.all([api.board(protocolId), loadProtocols()]), [protocolId]);
  if (data.status === "loading") return <Loading what="the results" />;
  if (data.status === "error") return <ErrorBox error={data.error} onRetry={data.reload} />;
  const [board, protocols] = data.data;
  const info = protocols.find((p) => p.protocol.id === protocolId);
  if (!info) return <ErrorBox error={new Error(`No protocol ${protocolId}.`)} />;
  return <Board board={board} info={info} protocols={protocols} />;
}

function SeedZeroFigure({ info, grid, seeds }: { readonly info: ProtocolInfo; readonly grid: readonly number[] | null; readonly seeds: number }) {
  const points = useAsync(async () => {
    const response = await api.dataset(moonsDatasetPath(0, info.protocol.data));
    return { x: Float64Array.from(response.x.flat()), y: Uint8Array.from(response.y) };
  }, [info.protocol.id]);
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

function Board({ board, info, protocols }: { readonly board: ProtocolBoard; readonly info: ProtocolInfo; readonly protocols: readonly ProtocolInfo[] }) {
  const { entry } = board;
  const titleOf = (id: string): string => protocols.find((p) => p.protocol.id === id)?.protocol.title ?? id;
  return (
    <div class="board">
      <p class="breadcrumb">
        <a href="/leaderboard">Leaderboard</a> › {entry.figure}
      </p>
      <h1>{entry.title}</h1>
      <p class="counts" data-testid="board-counts">
        {entry.runs} verified {entry.runs === 1 ? "run" : "runs"} · {entry.seeds} {entry.seeds === 1 ? "seed" : "seeds"} · {entry.contributors}{" "}
        {entry.contributors === 1 ? "contributor" : "contributors"} · <a href={labUrl({ protocol: entry.protocolId })}>add a run</a>
      </p>
      <div class="board-top">
        <SeedZeroFigure info={info} grid={board.boundary?.grid ?? null} seeds={board.boundary?.seeds ?? 0} />
        <section aria-labelledby="claims-heading">
          <h2 id="claims-heading">The paper's claims</h2>
          <ClaimsList protocolId={entry.protocolId} claims={entry.claims} metrics={info.metrics} titleOf={titleOf} />
          <h2>Metrics</h2>
          <AggregateTable metrics={info.metrics} stats={entry.metrics} />
        </section>
      </div>

      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading">Verified runs</h2>
        {board.runs.length === 0 ? (
          <p>
            No verified run yet. <a href={labUrl({ protocol: entry.protocolId })}>Be the first.</a>
          </p>
        ) : (
          <div class="table-scroll">
            <table class="runs" data-testid="runs-table">
              <thead>
                <tr>
                  <th scope="col" class="num">
                    Seed
                  </th>
                  <th scope="col">Contributor</th>
                  <th scope="col">Backend</th>
                  {info.metrics.map((m) => (
                    <th scope="col" class="num" key={m.key} title={m.description}>
                      {m.label}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    Training time
                  </th>
                  <th scope="col">Submitted</th>
                  <th scope="col">
                    <span class="visually-hidden">Links</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {board.runs.map((run) => (
                  <tr key={run.id} data-testid="run-row" data-run={run.id}>
                    <td class="num">{run.seed}</td>
                    <td>{run.contributor ?? <span class="muted">anonymous</span>}</td>
                    <td>{run.backend}</td>
                    {info.metrics.map((m) => (
                      <td class="num" key={m.key}>
                        {formatValue(run.recomputed[m.key], m.digits)}
                      </td>
                    ))}
                    <td class="num">{formatDuration(run.trainMs)}</td>
                    <td>{formatDate(run.createdAt)}</td>
                    <td class="links">
                      <a href={runUrl(run.id)}>run</a> · <a href={rerunUrl(entry.protocolId, run.seed)}>rerun</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="recipe-heading">
        <h2 id="recipe-heading">The recipe</h2>
        <ProtocolDetails info={info} />
      </section>
    </div>
  );
}
