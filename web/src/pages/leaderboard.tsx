// The leaderboard: one compact table of every protocol's counted runs, seeds and contributors, its metrics as
// mean ± std over seeds and its claims' verdicts, narrowed by where the runs ran and how far they are trusted
// (the server's facets), searched and sorted — all of it in the URL, so a view is a link and Back undoes a change.
import { useEffect, useState } from "preact/hooks";
import type { LeaderboardEntry, ProtocolInfo } from "../../../shared/api";
import type { FacetQuery } from "../../../shared/board-api";
import { api, loadProtocols } from "../api";
import { FacetControls } from "../components/facet-controls";
import { ErrorBox, Loading } from "../components/status";
import { formatMetricStat } from "../format";
import { leaderboardGroups, metricOptions } from "../leaderboard-view";
import { navigate } from "../router";
import {
  boardUrl,
  defaultLeaderboardOrder,
  facetChoice,
  figureName,
  figurePagesOf,
  figureUrl,
  labUrl,
  leaderboardUrl,
  LEADERBOARD_SORTS,
  SEARCH_MAX_CHARS,
  type LeaderboardParams,
  type LeaderboardSort,
} from "../routes";
import { useAsync } from "../use-async";

const SORT_LABELS: Readonly<Record<(typeof LEADERBOARD_SORTS)[number], string>> = {
  figure: "the paper's figure order",
  title: "title",
  runs: "verified runs",
  seeds: "seeds",
  contributors: "contributors",
};
/** How long typing in the search waits before it rewrites the URL (one history entry per search, not per key). */
const SEARCH_DELAY_MS = 250;

export function LeaderboardPage({ params }: { readonly params: LeaderboardParams }) {
  const facetKey = leaderboardUrl({ facet: params.facet });
  const data = useAsync(() => Promise.all([api.facetedLeaderboard(params.facet), loadProtocols()]), [facetKey]);
  const counts = useAsync(() => api.facetCounts(), []);
  const go = (next: Partial<LeaderboardParams>, replace = false): void => navigate(leaderboardUrl({ ...params, ...next }), { replace });
  return (
    <div class="leaderboard">
      <h1>Leaderboard</h1>
      <p class="lede">
        Only runs the server verified count: it recomputed their metrics from the submitted weights and replayed their first steps. Metrics are the mean ±
        population std over seeds of each seed's mean.
      </p>
      <Controls params={params} counts={counts.status === "ok" ? counts.data : null} protocols={data.status === "ok" ? data.data[1] : []} go={go} />
      {data.status === "loading" ? (
        <Loading what="the leaderboard" />
      ) : data.status === "error" ? (
        <ErrorBox error={data.error} onRetry={data.reload} />
      ) : (
        <LeaderboardTable entries={data.data[0].protocols} protocols={data.data[1]} params={params} />
      )}
    </div>
  );
}

interface ControlsProps {
  readonly params: LeaderboardParams;
  readonly counts: Parameters<typeof FacetControls>[0]["counts"];
  readonly protocols: readonly ProtocolInfo[];
  readonly go: (next: Partial<LeaderboardParams>, replace?: boolean) => void;
}

function Controls({ params, counts, protocols, go }: ControlsProps) {
  const [text, setText] = useState(params.q);
  // Back and forward change the URL under the field: show what it says.
  useEffect(() => setText(params.q), [params.q]);
  useEffect(() => {
    if (text.trim() === params.q) return;
    const timer = setTimeout(() => go({ q: text }, true), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
    // Keyed by the whole URL too, so a sort chosen while typing is not undone by the search's rewrite.
  }, [text, leaderboardUrl(params)]);
  const metrics = metricOptions(protocols);
  const setSort = (sort: LeaderboardSort): void => go({ sort, order: defaultLeaderboardOrder(sort) });
  return (
    <form
      class="board-controls"
      role="search"
      aria-label="Leaderboard"
      onSubmit={(event) => {
        event.preventDefault();
        go({ q: text });
      }}
    >
      <label class="search-field">
        Search{" "}
        <input
          type="search"
          data-testid="leaderboard-search"
          value={text}
          maxLength={SEARCH_MAX_CHARS}
          placeholder="title, protocol id or figure"
          onInput={(event) => setText(event.currentTarget.value)}
        />
      </label>
      <FacetControls facet={params.facet} counts={counts} onChange={(facet: FacetQuery) => go({ facet })} />
      <label>
        Sort by{" "}
        <select data-testid="leaderboard-sort" value={params.sort} onChange={(event) => setSort(event.currentTarget.value as LeaderboardSort)}>
          {LEADERBOARD_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {SORT_LABELS[sort]}
            </option>
          ))}
          {/* A metric sort from the URL stays selectable while the protocols load. */}
          {metrics.length === 0 && params.sort.startsWith("metric:") && <option value={params.sort}>{params.sort.slice(7)}</option>}
          {metrics.length > 0 && (
            <optgroup label="A metric (mean over seeds)">
              {metrics.map((m) => (
                <option key={m.key} value={`metric:${m.key}`}>
                  {m.label}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <label>
        Order{" "}
        <select data-testid="leaderboard-order" value={params.order} onChange={(event) => go({ order: event.currentTarget.value === "desc" ? "desc" : "asc" })}>
          <option value="asc">ascending</option>
          <option value="desc">descending</option>
        </select>
      </label>
    </form>
  );
}

/** The in-page anchor of a figure's group ("Fig. 2" → "fig-Fig2"). */
const sectionId = (figure: string): string => `fig-${figure.replace(/\W+/g, "")}`;

/** The metrics a row shows: the s1 = 8 end points for the toy model (the full table is on its board), all of them otherwise; the sorted one first. */
function rowMetrics(info: ProtocolInfo | undefined, sortedKey: string | null) {
  const metrics = info ? (info.protocol.family === "toy-dynamics" ? info.metrics.filter((m) => m.key.endsWith("s8")) : info.metrics) : [];
  const sorted = info?.metrics.find((m) => m.key === sortedKey);
  return sorted ? [sorted, ...metrics.filter((m) => m !== sorted)] : metrics;
}

function ClaimsSummary({ entry }: { readonly entry: LeaderboardEntry }) {
  if (entry.claims.length === 0) return <span class="muted">none</span>;
  const holding = entry.claims.filter((c) => c.holds === true).length;
  const failing = entry.claims.filter((c) => c.holds === false).length;
  return (
    <ul class="claim-marks" data-testid="claims-summary" data-holding={holding} data-failing={failing}>
      {entry.claims.map((claim) => (
        <li key={`${claim.metric}-${claim.otherProtocolId}`} class={claim.holds === null ? "pending" : claim.holds ? "holds" : "fails"} title={claim.text}>
          <span aria-hidden="true">{claim.holds === null ? "…" : claim.holds ? "✓" : "✗"}</span>
          <span class="visually-hidden">
            {claim.text}: {claim.holds === null ? "not enough runs yet" : claim.holds ? "holds" : "does not hold"}
          </span>
        </li>
      ))}
    </ul>
  );
}

interface RowProps {
  readonly entry: LeaderboardEntry;
  readonly info: ProtocolInfo | undefined;
  readonly facet: FacetQuery;
  readonly sortedKey: string | null;
  readonly showFigure: boolean;
}

function Row({ entry, info, facet, sortedKey, showFigure }: RowProps) {
  return (
    <tr data-testid="leaderboard-row" data-protocol={entry.protocolId} data-runs={entry.runs}>
      <th scope="row" class="protocol-cell">
        <a href={boardUrl(entry.protocolId, { facet })}>{entry.title}</a>
        <span class="protocol-id">
          {entry.protocolId}
          {showFigure && ` · ${entry.figure}`} · <a href={labUrl({ protocol: entry.protocolId })}>add a run</a>
        </span>
      </th>
      <td class="num" data-label="runs">
        <span data-testid="entry-runs">{entry.runs}</span>
      </td>
      <td class="num" data-label="seeds">
        {entry.seeds}
        {entry.reproducedSeeds > 0 && (
          <span class="cell-note">
            <span data-testid="entry-reproduced">{entry.reproducedSeeds}</span> reproduced
          </span>
        )}
        {entry.disputedSeeds > 0 && (
          <strong class="cell-note" data-testid="entry-disputed">
            {entry.disputedSeeds} disputed
          </strong>
        )}
      </td>
      <td class="num" data-label="people">
        {entry.contributors}
      </td>
      <td class="metrics-cell">
        {entry.runs === 0 ? (
          <span class="muted">no verified run yet</span>
        ) : (
          <ul class="metric-list">
            {rowMetrics(info, sortedKey).map((m) => (
              <li key={m.key} data-metric={m.key} class={m.key === sortedKey ? "sorted" : undefined} title={m.description}>
                <span class="metric-name">{m.label}</span> <span class="num">{formatMetricStat(entry.metrics[m.key], m, false)}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td data-label="claims">
        <ClaimsSummary entry={entry} />
      </td>
    </tr>
  );
}

function GroupHeading({ figure }: { readonly figure: string }) {
  const pages = figurePagesOf(figure);
  return (
    <tr class="group-row">
      <th scope="colgroup" colSpan={6} id={sectionId(figure)}>
        {figure}
        {pages.map((page) => (
          <span key={page}>
            {" · "}
            <a href={figureUrl(page)} data-testid="figure-page-link" data-figure-page={page}>
              See {figureName(page)} drawn from these runs
            </a>
          </span>
        ))}
      </th>
    </tr>
  );
}

function LeaderboardTable({ entries, protocols, params }: { readonly entries: readonly LeaderboardEntry[]; readonly protocols: readonly ProtocolInfo[]; readonly params: LeaderboardParams }) {
  const groups = leaderboardGroups(entries, params.q, params.sort, params.order);
  const shown = groups.reduce((n, g) => n + g.items.length, 0);
  const sortedKey = params.sort.startsWith("metric:") ? params.sort.slice("metric:".length) : null;
  const narrowed = facetChoice(params.facet) || params.facet.trust;
  return (
    <>
      <p class="muted" role="status" data-testid="leaderboard-shown" data-shown={shown}>
        {shown} of {entries.length} protocols
        {params.q && ` matching “${params.q}”`}
        {narrowed && ", counting only the runs that match the facet"}.
        {(params.q || narrowed || params.sort !== "figure") && (
          <>
            {" "}
            <a href={leaderboardUrl()}>Show everything</a>
          </>
        )}
      </p>
      {shown > 0 && (
        <div class="table-scroll" role="region" aria-label="Protocols" tabIndex={0}>
          <table class="leaderboard-table" data-testid="leaderboard-table">
            <thead>
              <tr>
                <th scope="col">Protocol</th>
                <th scope="col" class="num">
                  Runs
                </th>
                <th scope="col" class="num">
                  Seeds
                </th>
                <th scope="col" class="num" title="Contributors">
                  People
                </th>
                <th scope="col">Metrics, mean ± std over seeds</th>
                <th scope="col">Claims</th>
              </tr>
            </thead>
            {groups.map((group) => (
              <tbody key={group.figure} data-testid="figure-group" data-figure={group.figure}>
                {group.figure && <GroupHeading figure={group.figure} />}
                {group.items.map((entry) => (
                  <Row
                    key={entry.protocolId}
                    entry={entry}
                    info={protocols.find((p) => p.protocol.id === entry.protocolId)}
                    facet={params.facet}
                    sortedKey={sortedKey}
                    showFigure={!group.figure}
                  />
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </>
  );
}
