// The leaderboard: every protocol's verified runs, seeds and contributors, each metric as mean ± std over
// seeds (the toy model's end points per s1), and the paper's claims with their verdicts, grouped by
// figure, each figure linking to its page.
import type { LeaderboardEntry, ProtocolInfo } from "../../../shared/api";
import { zKey } from "../../../shared/toy/family";
import { api, loadProtocols } from "../api";
import { ClaimsList } from "../components/claims";
import { ErrorBox, Loading } from "../components/status";
import { ToyEndPoints } from "../components/toy-endpoints";
import { formatStat } from "../format";
import { groupByFigure, type FigureGroup } from "../protocol-groups";
import { boardUrl, figureName, figurePagesOf, figureUrl, labUrl } from "../routes";
import { useAsync } from "../use-async";

export function LeaderboardPage() {
  const data = useAsync(() => Promise.all([api.leaderboard(), loadProtocols()]), []);
  if (data.status === "loading") return <Loading what="the leaderboard" />;
  if (data.status === "error") return <ErrorBox error={data.error} onRetry={data.reload} />;
  const [entries, protocols] = data.data;
  return <Leaderboard entries={entries} protocols={protocols} />;
}

/** The in-page anchor of a figure's section ("Fig. 2" → "fig-Fig2"). */
const sectionId = (figure: string): string => `fig-${figure.replace(/\W+/g, "")}`;

function MetricsRow({ entry, info }: { readonly entry: LeaderboardEntry; readonly info: ProtocolInfo | undefined }) {
  const metrics = info?.metrics ?? [];
  return (
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
  );
}

interface EntryProps {
  readonly entry: LeaderboardEntry;
  readonly info: ProtocolInfo | undefined;
  readonly titleOf: (protocolId: string) => string;
}

function Entry({ entry, info, titleOf }: EntryProps) {
  const toy = info?.protocol.family === "toy-dynamics" ? info.protocol : null;
  return (
    <article class="panel board-entry" data-testid="leaderboard-row" data-protocol={entry.protocolId} data-runs={entry.runs}>
      <h3>
        <a href={boardUrl(entry.protocolId)}>{entry.title}</a>
      </h3>
      <p class="counts">
        <span data-testid="entry-runs">{entry.runs}</span> verified {entry.runs === 1 ? "run" : "runs"} · {entry.seeds} {entry.seeds === 1 ? "seed" : "seeds"} ·{" "}
        {entry.contributors} {entry.contributors === 1 ? "contributor" : "contributors"}
        {entry.reproducedSeeds > 0 && (
          <>
            {" "}
            · <span data-testid="entry-reproduced">{entry.reproducedSeeds}</span> reproduced by a second contributor
          </>
        )}
        {entry.disputedSeeds > 0 && (
          <>
            {" "}
            · <strong data-testid="entry-disputed">{entry.disputedSeeds} disputed</strong> (not averaged)
          </>
        )}{" "}
        · <a href={labUrl({ protocol: entry.protocolId })}>add a run</a>
      </p>
      {toy ? (
        <ToyEndPoints
          s1Values={toy.toy.s1Values}
          columns={[{ title: "End points of the verified runs", cell: (component, s1) => formatStat(entry.metrics[zKey(component, s1)], 3) }]}
        />
      ) : (
        <MetricsRow entry={entry} info={info} />
      )}
      {entry.claims.length > 0 && <ClaimsList protocolId={entry.protocolId} claims={entry.claims} metrics={info?.metrics ?? []} titleOf={titleOf} />}
    </article>
  );
}

function FigureSection({
  group,
  protocols,
  titleOf,
}: {
  readonly group: FigureGroup<LeaderboardEntry>;
  readonly protocols: readonly ProtocolInfo[];
  readonly titleOf: EntryProps["titleOf"];
}) {
  const figurePages = figurePagesOf(group.figure);
  return (
    <section aria-labelledby={sectionId(group.figure)} data-testid="figure-group" data-figure={group.figure}>
      <h2 id={sectionId(group.figure)}>{group.figure}</h2>
      {figurePages.length > 0 && (
        <p>
          {figurePages.map((page, k) => (
            <span key={page}>
              {k > 0 && " · "}
              <a href={figureUrl(page)} data-testid="figure-page-link" data-figure-page={page}>
                See {figureName(page)} drawn from these runs
              </a>
            </span>
          ))}
        </p>
      )}
      {group.items.map((entry) => (
        <Entry key={entry.protocolId} entry={entry} info={protocols.find((p) => p.protocol.id === entry.protocolId)} titleOf={titleOf} />
      ))}
    </section>
  );
}

function Leaderboard({ entries, protocols }: { readonly entries: readonly LeaderboardEntry[]; readonly protocols: readonly ProtocolInfo[] }) {
  const titleOf = (id: string): string => entries.find((e) => e.protocolId === id)?.title ?? id;
  const groups = groupByFigure(entries, (e) => e.figure);
  return (
    <div class="leaderboard">
      <h1>Leaderboard</h1>
      <p class="lede">
        Only runs the server verified count: it recomputed their metrics from the submitted weights and replayed their first steps. Metrics are the mean ±
        population std over seeds of each seed's mean.
      </p>
      <nav aria-label="Figures" class="figure-jump">
        Jump to:{" "}
        {groups.map((group, k) => (
          <span key={group.figure}>
            {k > 0 && " · "}
            <a href={`#${sectionId(group.figure)}`}>{group.figure}</a>
          </span>
        ))}
      </nav>
      {groups.map((group) => (
        <FigureSection key={group.figure} group={group} protocols={protocols} titleOf={titleOf} />
      ))}
    </div>
  );
}
