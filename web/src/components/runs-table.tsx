// A table of runs as boards and contributor pages list them: seed, contributor (linked by key), trust, backend,
// the chosen metric columns, training time and date, a link to each run and its rerun, a "compare" checkbox per
// run with a "Compare selected" link, and — where the page sorts — column headers that sort through the URL.
import { useState } from "preact/hooks";
import type { BoardPage, BoardSort } from "../../../shared/board-api";
import { PENDING_SENTENCE } from "../../../shared/metrics/counted";
import type { MetricDefinition } from "../../../shared/protocols/types";
import { formatDate, formatDuration, formatMetric } from "../format";
import { boardUrl, compareUrl, contributorUrl, nextSortOrder, rerunUrl, runUrl, type SortOrder } from "../routes";

/** The /compare page takes 2 to 8 runs. */
export const COMPARE_MAX = 8;

const TRUST_TITLE =
  "pending: other contributors' browsers have not yet replayed it (counted nowhere until they have); recomputed: the server recomputed it from the weights; replayed: and segments of its training between the uploaded checkpoints were replayed (by the server, or by other contributors' browsers); reproduced: the runs of two contributors with earned standing, from different networks, agree on this seed; disputed: two such runs disagree (left out of the averages unless the server replayed both itself), or other contributors' replays contradict the run (never counted)";

type RunSummary = BoardPage["runs"][number];

export interface ListedRow extends RunSummary {
  /** Set on lists that mix protocols (a contributor's runs). */
  readonly protocolId?: string;
}

export interface SortState {
  readonly sort: BoardSort;
  readonly order: SortOrder;
  /** The page's address sorted this way (first page). */
  readonly href: (sort: BoardSort, order: SortOrder) => string;
}

interface Props {
  readonly runs: readonly ListedRow[];
  readonly metrics: readonly MetricDefinition[];
  /** The protocol of every run, for its rerun link, where the runs do not name theirs. */
  readonly protocolId?: string;
  /** Shows a protocol column with these titles (lists that mix protocols). */
  readonly protocolTitle?: (protocolId: string) => string;
  readonly showContributor?: boolean;
  readonly sorting?: SortState;
  readonly label: string;
}

function SortHeader({ label, sortKey, sorting, numeric, title }: { label: string; sortKey: BoardSort; sorting: SortState | undefined; numeric: boolean; title?: string }) {
  const className = numeric ? "num" : undefined;
  if (!sorting) {
    return (
      <th scope="col" class={className} title={title}>
        {label}
      </th>
    );
  }
  const current = sorting.sort === sortKey ? sorting.order : null;
  const next = nextSortOrder(sortKey, sorting);
  return (
    <th scope="col" class={className} title={title} aria-sort={current === null ? undefined : current === "asc" ? "ascending" : "descending"}>
      <a href={sorting.href(sortKey, next)} class="sort-link" data-testid="sort-link" data-sort={sortKey} data-current={current ?? undefined} rel="nofollow">
        {label}
        <span aria-hidden="true" class="sort-mark">
          {current === "asc" ? " ▲" : current === "desc" ? " ▼" : ""}
        </span>
        <span class="visually-hidden">{current === null ? ", sort" : current === "asc" ? ", sorted ascending" : ", sorted descending"}</span>
      </a>
    </th>
  );
}

export function RunsTable({ runs, metrics, protocolId, protocolTitle, showContributor = true, sorting, label }: Props) {
  const [picked, setPicked] = useState<readonly string[]>([]);
  const toggle = (id: string, on: boolean): void => setPicked((now) => (on ? [...now.filter((x) => x !== id), id].slice(-COMPARE_MAX) : now.filter((x) => x !== id)));
  const shownPicked = picked.filter((id) => runs.some((run) => run.id === id));
  return (
    <>
      <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>
        <table class="runs" data-testid="runs-table">
          <thead>
            <tr>
              <th scope="col" class="pick">
                <span title="Pick runs to compare">Compare</span>
              </th>
              {protocolTitle && <th scope="col">Protocol</th>}
              <SortHeader label="Seed" sortKey="seed" sorting={sorting} numeric />
              {showContributor && <th scope="col">Contributor</th>}
              <th scope="col" title={TRUST_TITLE}>
                Trust
              </th>
              <th scope="col">Backend</th>
              {metrics.map((m) => (
                <SortHeader key={m.key} label={m.label} sortKey={`metric:${m.key}`} sorting={sorting} numeric title={m.description} />
              ))}
              <SortHeader label="Time" sortKey="trainMs" sorting={sorting} numeric title="Training time" />
              <SortHeader label="Submitted (UTC)" sortKey="createdAt" sorting={sorting} numeric={false} />
              <th scope="col">
                <span class="visually-hidden">Links</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-testid="run-row" data-run={run.id}>
                <td class="pick">
                  <input
                    type="checkbox"
                    data-testid="compare-pick"
                    aria-label={`Compare the run of seed ${run.seed} (${run.id})`}
                    checked={shownPicked.includes(run.id)}
                    onChange={(event) => toggle(run.id, event.currentTarget.checked)}
                  />
                </td>
                {protocolTitle && <td class="protocol-name">{run.protocolId ? <a href={boardUrl(run.protocolId)}>{protocolTitle(run.protocolId)}</a> : "—"}</td>}
                <td class="num" data-column="seed">
                  {run.seed}
                </td>
                {showContributor && (
                  <td class="contributor-cell">
                    {run.contributorId ? (
                      <a href={contributorUrl(run.contributorId)} title="The first digits of the hash of this contributor's key: the same digits, the same key." data-testid="contributor-link">
                        {run.contributor !== null ? <bdi>{run.contributor}</bdi> : "anonymous"} <span class="key-digits">#{run.contributorId.slice(0, 6)}</span>
                      </a>
                    ) : (
                      <span class="muted">{run.contributor !== null ? <bdi>{run.contributor}</bdi> : "anonymous"}</span>
                    )}
                  </td>
                )}
                <td data-testid="run-trust" data-trust={run.trust} data-counted={String(run.counted)} title={run.trust === "pending" ? PENDING_SENTENCE : undefined}>
                  {run.trust === "disputed" ? <strong>disputed</strong> : run.trust === "pending" ? <em>pending</em> : run.trust}
                </td>
                <td>{run.backend}</td>
                {metrics.map((m) => (
                  <td class="num" key={m.key} data-column={`metric:${m.key}`}>
                    {formatMetric(run.recomputed[m.key], m)}
                  </td>
                ))}
                <td class="num" data-column="trainMs">
                  {formatDuration(run.trainMs)}
                </td>
                <td class="date" data-column="createdAt">
                  {formatDate(run.createdAt).replace(" UTC", "")}
                </td>
                <td class="links">
                  <a href={runUrl(run.id)}>run</a> · <a href={rerunUrl(run.protocolId ?? protocolId ?? "", run.seed)}>rerun</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="compare-row">
        {shownPicked.length >= 2 ? (
          <a class="button" href={compareUrl(shownPicked)} data-testid="compare-selected">
            Compare selected ({shownPicked.length})
          </a>
        ) : (
          <span class="muted" data-testid="compare-hint">
            Tick two to {COMPARE_MAX} runs to compare them{shownPicked.length === 1 ? " (one ticked)" : ""}.
          </span>
        )}
      </p>
      {runs.some((run) => run.trust === "pending") && (
        <p class="muted" data-testid="runs-pending-note">
          Runs marked <em>pending</em>: {PENDING_SENTENCE}
        </p>
      )}
    </>
  );
}
