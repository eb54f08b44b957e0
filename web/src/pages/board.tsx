// One protocol's board: the seed-averaged decision function drawn like the paper's figure (seed 0's points
// on top) or, for the toy model, its trajectories; the claims, the metric aggregates, and every verified
// run with a link and a one-click rerun.
import type { ProtocolBoard, ProtocolInfo } from "../../../shared/api";
import { moonsDatasetPath } from "../../../shared/data/moons-url";
import { PENDING_SENTENCE } from "../../../shared/metrics/counted";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import type { MoonsProtocol, ToyProtocol } from "../../../shared/protocols/types";
import { zKey } from "../../../shared/toy/family";
import { api, loadProtocols } from "../api";
import { ClaimsList } from "../components/claims";
import { AggregateTable } from "../components/metrics-table";
import { ProtocolDetails } from "../components/protocol-details";
import { FigureLabel } from "../components/figure-label";
import { ErrorBox, Loading } from "../components/status";
import { ToyEndPoints } from "../components/toy-endpoints";
import { computeCurves } from "../figures/toy-curves";
import { formatDate, formatDuration, formatStat, formatValue } from "../format";
import { Heatmap } from "../plots/heatmap";
import { ToyPlot } from "../plots/toy-plot";
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
function CmnistPanel({ protocol, entry }: { readonly protocol: CmnistProtocol; readonly entry: ProtocolBoard["entry"] }) {
  const { train, test } = protocol.reference.table1;
  const percent = (stat: ProtocolBoard["entry"]["metrics"][string]) => (stat ? `${(100 * stat.mean).toFixed(1)} ± ${(100 * stat.std).toFixed(1)} %` : "—");
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

function Board({ board, info, protocols }: { readonly board: ProtocolBoard; readonly info: ProtocolInfo; readonly protocols: readonly ProtocolInfo[] }) {
  const { entry } = board;
  const titleOf = (id: string): string => protocols.find((p) => p.protocol.id === id)?.protocol.title ?? id;
  const protocol = info.protocol;
  const runMetrics = listedMetrics(info);
  return (
    <div class="board">
      <p class="breadcrumb">
        <a href="/leaderboard">Leaderboard</a> › <FigureLabel label={entry.figure} />
      </p>
      <h1>{entry.title}</h1>
      <p class="counts" data-testid="board-counts">
        {entry.runs} verified {entry.runs === 1 ? "run" : "runs"} · {entry.seeds} {entry.seeds === 1 ? "seed" : "seeds"} · {entry.contributors}{" "}
        {entry.contributors === 1 ? "contributor" : "contributors"} · {entry.reproducedSeeds} reproduced by a second contributor
        {entry.disputedSeeds > 0 && ` · ${entry.disputedSeeds} disputed (left out of the averages)`} · <a href={labUrl({ protocol: entry.protocolId })}>add a run</a>
      </p>
      <div class="board-top">
        {protocol.family === "two-moons" ? (
          <SeedZeroFigure protocol={protocol} grid={board.boundary?.grid ?? null} seeds={board.boundary?.seeds ?? 0} />
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
                  <th scope="col" title="pending: other contributors' browsers have not yet replayed it (counted nowhere until they have); recomputed: the server recomputed it from the weights; replayed: and segments of its training between the uploaded checkpoints were replayed (by the server, or by other contributors' browsers); reproduced: the runs of two contributors with earned standing, from different networks, agree on this seed; disputed: two such runs disagree (left out of the averages unless the server replayed both itself), or other contributors' replays contradict the run (never counted)">
                    Trust
                  </th>
                  <th scope="col">Backend</th>
                  {runMetrics.map((m) => (
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
                    <td>
                      {run.contributor !== null ? <bdi>{run.contributor}</bdi> : <span class="muted">anonymous</span>}
                      {run.contributorId && (
                        <span class="muted" title="The first digits of the hash of this contributor's key: the same digits, the same person.">
                          {" "}
                          #{run.contributorId.slice(0, 6)}
                        </span>
                      )}
                    </td>
                    <td data-testid="run-trust" data-trust={run.trust} data-counted={String(run.counted)} title={run.trust === "pending" ? PENDING_SENTENCE : undefined}>
                      {run.trust === "disputed" ? <strong>disputed</strong> : run.trust === "pending" ? <em>pending</em> : run.trust}
                    </td>
                    <td>{run.backend}</td>
                    {runMetrics.map((m) => (
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
            {board.runs.some((run) => run.trust === "pending") && (
              <p class="muted" data-testid="runs-pending-note">
                Runs marked <em>pending</em>: {PENDING_SENTENCE}
              </p>
            )}
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
