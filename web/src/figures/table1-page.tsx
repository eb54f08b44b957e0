// /figures/table1: the paper's Table 1 (Colored MNIST train/test accuracy per method) next to GS Lab's
// verified runs, the gap in paper-std units, a banner that reads the paper's ordering off the data, and the
// reduced CPU configurations in a table of their own (never compared with the paper).
import type { LeaderboardEntry } from "../../../shared/api";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import { api } from "../api";
import { ErrorBox, Loading } from "../components/status";
import { boardUrl, figureUrl, labUrl } from "../routes";
import { useAsync } from "../use-async";
import { cmnistProtocols } from "./cmnist-protocols";
import {
  formatDiffInStd,
  formatDiffPoints,
  formatPercent,
  orderingVerdict,
  reducedRows,
  table1Rows,
  type OrderingVerdict,
  type Table1Cell,
  type Table1Row,
} from "./table1-rows";

function Banner({ verdict }: { readonly verdict: OrderingVerdict }) {
  const summary =
    verdict.status === "holds"
      ? "Holds ✓ on the verified runs."
      : verdict.status === "fails"
        ? "Does not hold ✗ on the verified runs."
        : verdict.status === "partial"
          ? "Partly judged: the checks below without runs wait for them."
          : "Not judged yet: none of ERM, SD and IRM has a verified run.";
  const tone = verdict.status === "holds" ? "notice-ok" : verdict.status === "fails" ? "notice-error" : "notice-info";
  return (
    <div class={`notice ${tone}`} data-testid="table1-banner" data-status={verdict.status} role="status">
      <p>
        <strong>The paper's ordering: ERM's test accuracy falls far below chance, while SD and IRM keep it near 67–68 %.</strong> {summary}
      </p>
      {verdict.status !== "no-runs" && (
        <ul>
          {verdict.checks.map((check) => (
            <li key={check.protocolId} data-testid="table1-check" data-protocol={check.protocolId} data-holds={String(check.holds)}>
              {check.holds === null ? "… " : check.holds ? "✓ " : "✗ "}
              {check.text}:{" "}
              {check.value === null ? (
                <>
                  no verified runs yet — <a href={labUrl({ protocol: check.protocolId })}>run it in the Lab</a>
                </>
              ) : (
                <>GS Lab {check.value.toFixed(1)} %</>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function LabCells({ row, compare }: { readonly row: Table1Row; readonly compare: boolean }) {
  const span = compare ? 6 : 4;
  if (row.protocolId === null) {
    return (
      <td colSpan={span} class="muted">
        not a protocol: the accuracy of guessing
      </td>
    );
  }
  if (!row.hasRuns) {
    return (
      <td colSpan={span} class="no-runs" data-testid="table1-no-runs">
        no verified runs yet — <a href={labUrl({ protocol: row.protocolId })}>run it in the Lab</a>
      </td>
    );
  }
  // Both units shown, not one on hover: a touch screen has no hover.
  const diff = (cell: Table1Cell, side: string) => (
    <td class="num" data-label={`Difference, ${side}`}>
      {formatDiffInStd(cell.diffInStd)}
      <span class="metric-description">{formatDiffPoints(cell.diffPoints)}</span>
    </td>
  );
  return (
    <>
      <td class="num" data-testid="table1-lab-train" data-label="GS Lab train">
        {formatPercent(row.train.lab)}
      </td>
      <td class="num" data-testid="table1-lab-test" data-label="GS Lab test">
        {formatPercent(row.test.lab)}
      </td>
      {compare && diff(row.train, "train")}
      {compare && diff(row.test, "test")}
      <td class="num" data-label="n (seeds)">
        {row.seeds} <span class="muted">({row.runs} {row.runs === 1 ? "run" : "runs"})</span>
      </td>
      <td class="num" data-label="Contributors">
        {row.contributors}
      </td>
    </>
  );
}

function MethodCell({ row, protocol }: { readonly row: Table1Row; readonly protocol: CmnistProtocol | undefined }) {
  return (
    <th scope="row">
      {row.protocolId ? (
        <a href={boardUrl(row.protocolId)} title={row.title}>
          {row.method}
        </a>
      ) : (
        row.method
      )}
      {protocol?.reduced && <span class="metric-description">{protocol.reduced.note}</span>}
    </th>
  );
}

function PaperTable({ rows, protocols }: { readonly rows: readonly Table1Row[]; readonly protocols: readonly CmnistProtocol[] }) {
  // The numbers at the foot of the authors' table_1.sh, as numbered notes under the table (not a hover-only title).
  const footnotes = rows.flatMap((row) => {
    const script = protocols.find((p) => p.id === row.protocolId)?.reference.scriptFooter ?? null;
    return script ? [{ row, script }] : [];
  });
  return (
    <div class="table-scroll">
      <table class="table1 cards-on-phone" data-testid="table1">
        <caption>Colored MNIST: train and test accuracy (%), mean ± population std over seeds</caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              Method
            </th>
            <th scope="colgroup" colSpan={2}>
              Paper (10 restarts)
            </th>
            <th scope="colgroup" colSpan={2}>
              GS Lab, verified runs
            </th>
            <th scope="colgroup" colSpan={2}>
              Difference (paper stds)
            </th>
            <th scope="col" rowSpan={2} class="num">
              n (seeds)
            </th>
            <th scope="col" rowSpan={2} class="num">
              Contributors
            </th>
          </tr>
          <tr>
            {["Train", "Test", "Train", "Test", "Train", "Test"].map((label, k) => (
              <th scope="col" class="num" key={k}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const note = footnotes.findIndex((f) => f.row.key === row.key);
            const mark = note >= 0 && (
              <sup>
                <a href={`#table1-note-${note + 1}`} aria-label={`note ${note + 1}: table_1.sh's footer`}>
                  {note + 1}
                </a>
              </sup>
            );
            return (
              <tr key={row.key} data-testid="table1-row" data-protocol={row.key} data-has-runs={String(row.hasRuns)}>
                <MethodCell row={row} protocol={protocols.find((p) => p.id === row.protocolId)} />
                <td class="num" data-label="Paper train">
                  {formatPercent(row.train.paper)}
                  {mark}
                </td>
                <td class="num" data-label="Paper test">
                  {formatPercent(row.test.paper)}
                  {mark}
                </td>
                <LabCells row={row} compare />
              </tr>
            );
          })}
        </tbody>
      </table>
      {footnotes.length > 0 && (
        <ol class="table1-notes" data-testid="table1-notes">
          {footnotes.map(({ row, script }, k) => (
            <li key={row.key} id={`table1-note-${k + 1}`}>
              {row.method}: the foot of the authors' table_1.sh prints {formatPercent(script.train, 2)} train, {formatPercent(script.test, 2)} test.
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function ReducedTable({ rows, protocols }: { readonly rows: readonly Table1Row[]; readonly protocols: readonly CmnistProtocol[] }) {
  return (
    <section aria-labelledby="table1-reduced-heading" data-testid="table1-reduced">
      <h2 id="table1-reduced-heading">Reduced CPU configuration — not comparable with the paper</h2>
      <p>
        Fewer steps on a subset of each training environment, for machines without a fast GPU. These are <strong>not</strong> the paper's protocol:
        their accuracies say whether a browser trains and verifies correctly, not whether Table 1 reproduces, so no paper column is shown.
      </p>
      <div class="table-scroll">
        <table class="table1 table1-reduced cards-on-phone">
          <caption>Reduced configurations: train and test accuracy (%), mean ± population std over seeds</caption>
          <thead>
            <tr>
              <th scope="col">Configuration</th>
              <th scope="col" class="num">
                Train
              </th>
              <th scope="col" class="num">
                Test
              </th>
              <th scope="col" class="num">
                n (seeds)
              </th>
              <th scope="col" class="num">
                Contributors
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-testid="table1-reduced-row" data-protocol={row.key} data-has-runs={String(row.hasRuns)}>
                <MethodCell row={row} protocol={protocols.find((p) => p.id === row.protocolId)} />
                <LabCells row={row} compare={false} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Table1({ entries }: { readonly entries: readonly LeaderboardEntry[] }) {
  const { paper, reduced } = cmnistProtocols();
  const rows = table1Rows(paper, entries);
  return (
    <>
      <Banner verdict={orderingVerdict(rows)} />
      <PaperTable rows={rows} protocols={paper} />
      <p class="muted">
        GS Lab's numbers are the mean ± population std over seeds of each seed's verified run (the server recomputed both accuracies from the submitted
        weights); the paper's are over its 10 restarts. The difference is GS Lab's mean minus the paper's, in units of the paper's std, with the
        same in percentage points underneath. The numbered notes give the figures printed at the foot of the authors' table_1.sh, where it has them.
        Each method links to its board, with its recipe and every run.
      </p>
      {reduced.length > 0 && <ReducedTable rows={reducedRows(reduced, entries)} protocols={reduced} />}
    </>
  );
}

export function TableOnePage() {
  const leaderboard = useAsync(() => api.leaderboard(), []);
  return (
    <div class="figure-page table1-page">
      <p class="breadcrumb">
        <a href="/leaderboard">Leaderboard</a> › Table 1
      </p>
      <h1>Table 1: Colored MNIST</h1>
      <p class="lede">
        Digits 0–4 against 5–9 with 25 % label noise, in two training environments where the colour agrees with the label 80 % and 90 % of the time;
        at test time the colour agreement is reversed (10 %). Plain cross-entropy (ERM) latches onto the colour, which starves the harder digit shape
        feature, and falls far below chance on the test environment. Spectral Decoupling, like IRM and REx, which use the environments, keeps the
        digit feature and stays close to the grayscale oracle. See also <a href={figureUrl("fig4")}>Fig. 4</a>, which probes what each model looks at.
      </p>
      {leaderboard.status === "loading" && <Loading what="the verified runs" />}
      {leaderboard.status === "error" && <ErrorBox error={leaderboard.error} onRetry={leaderboard.reload} />}
      {leaderboard.status === "ok" && <Table1 entries={leaderboard.data} />}
    </div>
  );
}
