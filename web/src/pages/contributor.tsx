// A contributor's page, by the 12-hex public id of their key (display names are free text anyone can type, so
// a page is never looked up by one): the names the key used, its runs by outcome, its standing and the replays it
// answered, and its runs, paged through the URL.
import type { ContributorPage as ContributorData } from "../../../shared/board-api";
import { api, loadProtocols } from "../api";
import { RunsTable } from "../components/runs-table";
import { ErrorBox, Loading } from "../components/status";
import { formatCount, formatDate } from "../format";
import { contributorUrl } from "../routes";
import { useAsync } from "../use-async";

export function ContributorPage({ contributorId, cursor }: { readonly contributorId: string; readonly cursor: string | null }) {
  const record = useAsync(() => api.contributor(contributorId), [contributorId]);
  if (record.status === "loading") return <Loading what="the contributor" />;
  if (record.status === "error") return <ErrorBox error={record.error} onRetry={record.reload} />;
  return (
    <div class="contributor-page">
      <p class="breadcrumb">
        <a href="/leaderboard">Leaderboard</a> › Contributors
      </p>
      <Record record={record.data} />
      <ContributorRuns contributorId={contributorId} cursor={cursor} />
    </div>
  );
}

const count = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

function Record({ record }: { readonly record: ContributorData }) {
  const { runs, standing, replays } = record;
  return (
    <>
      <h1>
        Contributor <code data-testid="contributor-id">#{record.contributorId}</code>
      </h1>
      <p class="lede">
        Identified by the hash of their browser's key, not by name: anyone can type any name, only this key's runs are listed here.
      </p>
      <dl class="facts" data-testid="contributor-facts">
        <dt>Names used</dt>
        <dd data-testid="contributor-names">
          {record.names.length === 0 ? (
            <span class="muted">none (anonymous)</span>
          ) : (
            record.names.map((name, k) => (
              <span key={name}>
                {k > 0 && ", "}
                <bdi>{name}</bdi>
              </span>
            ))
          )}
        </dd>
        <dt>Runs</dt>
        <dd data-testid="contributor-runs">
          {count(runs.counted, "counted run", "counted runs")} · {formatCount(runs.pending)} pending · {formatCount(runs.refuted)} refuted by replays ·{" "}
          {formatCount(runs.rejected)} rejected by the server
        </dd>
        <dt>Standing</dt>
        <dd data-testid="contributor-standing">
          {count(standing.serverVerifiedRuns, "run", "runs")} verified in full by the server · weight {standing.weight.toFixed(2)}
          {standing.suspect && (
            <>
              {" "}
              · <strong>suspect</strong> (their replays disagreed with others')
            </>
          )}
          {standing.hidden && (
            <>
              {" "}
              · <strong>hidden</strong> by a moderator (not counted)
            </>
          )}
        </dd>
        <dt>Replays of others' runs</dt>
        <dd data-testid="contributor-replays">
          {count(replays.answered, "answered", "answered")} · {formatCount(replays.agreed)} agreed with the verdict · {formatCount(replays.outvoted)} outvoted
        </dd>
        <dt>Active</dt>
        <dd>{record.firstSeen ? `${formatDate(record.firstSeen)} – ${record.lastSeen ? formatDate(record.lastSeen) : "now"}` : "no runs yet"}</dd>
      </dl>
    </>
  );
}

function ContributorRuns({ contributorId, cursor }: { readonly contributorId: string; readonly cursor: string | null }) {
  const data = useAsync(() => Promise.all([api.runsPage({ contributor: contributorId, counted: "false", cursor }), loadProtocols()]), [contributorId, cursor]);
  return (
    <section aria-labelledby="contributor-runs-heading">
      <h2 id="contributor-runs-heading">Their runs</h2>
      {data.status === "loading" ? (
        <Loading what="their runs" />
      ) : data.status === "error" ? (
        <ErrorBox error={data.error} onRetry={data.reload} />
      ) : data.data[0].runs.length === 0 && cursor === null ? (
        <p class="muted">No accepted run.</p>
      ) : (
        <>
          <RunsTable
            runs={data.data[0].runs}
            metrics={[]}
            showContributor={false}
            protocolTitle={(id) => data.data[1].find((p) => p.protocol.id === id)?.protocol.title ?? id}
            label="Their runs"
          />
          <nav class="pager" aria-label="Pages of runs">
            {cursor !== null && (
              <a href={contributorUrl(contributorId)} data-testid="first-page">
                ← Newest runs
              </a>
            )}
            {data.data[0].nextCursor !== null && (
              <a href={contributorUrl(contributorId, data.data[0].nextCursor)} data-testid="next-page" rel="next">
                Older runs →
              </a>
            )}
          </nav>
        </>
      )}
    </section>
  );
}
