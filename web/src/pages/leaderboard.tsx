// The leaderboard: every protocol's verified runs, seeds and contributors, each metric as mean ± std over
// seeds, and the paper's claims with their verdicts, grouped by figure.
import type { LeaderboardEntry, ProtocolInfo } from "../../../shared/api";
import { api, loadProtocols } from "../api";
import { ClaimsList } from "../components/claims";
import { ErrorBox, Loading } from "../components/status";
import { formatStat } from "../format";
import { groupByFigure } from "../protocol-groups";
import { boardUrl, labUrl } from "../routes";
import { useAsync } from "../use-async";

export function LeaderboardPage() {
  const data = useAsync(() => Promise.all([api.leaderboard(), loadProtocols()]), []);
  if (data.status === "loading") return <Loading what="the leaderboard" />;
  if (data.status === "error") return <ErrorBox error={data.error} onRetry={data.reload} />;
  const [entries, protocols] = data.data;
  return <Leaderboard entries={entries} protocols={protocols} />;
}

function Leaderboard({ entries, protocols }: { readonly entries: readonly LeaderboardEntry[]; readonly protocols: readonly ProtocolInfo[] }) {
  const titleOf = (id: string): string => entries.find((e) => e.protocolId === id)?.title ?? id;
  return (
    <div class="leaderboard">
      <h1>Leaderboard</h1>
      <p class="lede">
        Only runs the server verified count: it recomputed their metrics from the submitted weights and replayed their first steps. Metrics are the
        mean ± population std over seeds of each seed's mean.
      </p>
      {groupByFigure(entries, (e) => e.figure).map((group) => (
        <section key={group.figure} aria-labelledby={`fig-${group.figure}`}>
          <h2 id={`fig-${group.figure}`}>{group.figure}</h2>
          {group.items.map((entry) => {
            const info = protocols.find((p) => p.protocol.id === entry.protocolId);
            const metrics = info?.metrics ?? [];
            return (
              <article class="panel board-entry" key={entry.protocolId} data-testid="leaderboard-row" data-protocol={entry.protocolId} data-runs={entry.runs}>
                <h3>
                  <a href={boardUrl(entry.protocolId)}>{entry.title}</a>
                </h3>
                <p class="counts">
                  <span data-testid="entry-runs">{entry.runs}</span> verified {entry.runs === 1 ? "run" : "runs"} · {entry.seeds}{" "}
                  {entry.seeds === 1 ? "seed" : "seeds"} · {entry.contributors} {entry.contributors === 1 ? "contributor" : "contributors"} ·{" "}
                  <a href={labUrl({ protocol: entry.protocolId })}>add a run</a>
                </p>
                <div class="table-scroll">
                  <table class="compact">
                    <thead>
                      <tr>
                        {metrics.map((m) => (
                          <th scope="col" class="num" key={m.key} title={m.description}>
                            {m.label}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      <tr>
                        {metrics.map((m) => (
                          <td class="num" key={m.key} data-metric={m.key}>
                            {formatStat(entry.metrics[m.key], m.digits)}
                          </td>
                        ))}
                      </tr>
                    </tbody>
                  </table>
                </div>
                {entry.claims.length > 0 && <ClaimsList protocolId={entry.protocolId} claims={entry.claims} metrics={metrics} titleOf={titleOf} />}
              </article>
            );
          })}
        </section>
      ))}
    </div>
  );
}
