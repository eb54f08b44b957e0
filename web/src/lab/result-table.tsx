// A finished run next to what it should be read against: one row per metric with the run's value, the
// paper's number where the paper prints one, and the board's seed mean ± std (n), each in the metric's one
// unit (accuracies in percent); then the paper's claims with their verdicts on the verified runs, and for a
// reduced Colored-MNIST run why its accuracies may equal another method's.
import type { LeaderboardEntry } from "../../../shared/api";
import type { MetricDefinition, Protocol } from "../../../shared/protocols/types";
import { zKey } from "../../../shared/toy/family";
import { ClaimsList, ClaimVerdict } from "../components/claims";
import { MetricRowHeader } from "../components/metrics-table";
import { ToyEndPoints } from "../components/toy-endpoints";
import { DASH, formatMetric, formatMetricStat, formatValue } from "../format";
import { boardUrl, figureUrl } from "../routes";
import { boardStat, cmnistClaim, paperHasNumbers, paperStat, reducedRemark } from "./result-context";

interface Props {
  readonly protocol: Protocol;
  readonly metrics: readonly MetricDefinition[];
  readonly values: Readonly<Record<string, number | null>>;
  /** The leaderboard, or null while it loads or when it could not be loaded; undefined: no board column (an exploration counts on none). */
  readonly entries?: readonly LeaderboardEntry[] | null;
  readonly entriesFailed?: boolean;
  /** The title of the values' column. */
  readonly valuesTitle?: string;
  readonly testId?: string;
}

export function ResultTable({ protocol, metrics, values, entries, entriesFailed = false, valuesTitle = "Your run", testId }: Props) {
  const withBoard = entries !== undefined;
  const entry = entries?.find((e) => e.protocolId === protocol.id);

  const runs = entry?.runs ?? 0;
  const boardTitle =
    entries === null
      ? entriesFailed
        ? "Board (could not be loaded)"
        : "Board (loading…)"
      : `Board: mean ± std over seeds (${runs} verified ${runs === 1 ? "run" : "runs"})`;
  const withPaper = paperHasNumbers(protocol, metrics.map((m) => m.key));
  const remark = entries ? reducedRemark(protocol, values, entries) : null;
  const claim = entries ? cmnistClaim(protocol, values, entries) : null;
  return (
    <>
      {protocol.family === "toy-dynamics" ? (
        <ToyEndPoints
          s1Values={protocol.toy.s1Values}
          testId={testId}
          columns={[
            { title: "Your run's end points", cell: (component, s1) => formatValue(values[zKey(component, s1)], 3) },
            ...(withBoard ? [{ title: boardTitle, cell: (component: 1 | 2, s1: number) => formatValue(boardStat(entry, zKey(component, s1))?.mean ?? null, 3) }] : []),
          ]}
        />
      ) : (
        <div class="table-scroll">
          <table class="metrics result-table cards-on-phone" data-testid={testId}>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col" class="num">
                  {valuesTitle}
                </th>
                {withPaper && (
                  <th scope="col" class="num">
                    Paper (10 restarts)
                  </th>
                )}
                {withBoard && (
                  <th scope="col" class="num">
                    {boardTitle}
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {metrics.map((m) => (
                <tr key={m.key} data-metric={m.key}>
                  <MetricRowHeader metric={m} />
                  <td class="num" data-column={valuesTitle} data-label={valuesTitle}>
                    {formatMetric(values[m.key], m)}
                  </td>
                  {withPaper && (
                    <td class="num" data-column="Paper" data-label="Paper">
                      {formatMetricStat(paperStat(protocol, m.key), m, false)}
                    </td>
                  )}
                  {withBoard && (
                    <td class="num" data-column="Board" data-label="Board">
                      {!entries ? DASH : runs === 0 ? "no verified runs yet" : formatMetricStat(boardStat(entry, m.key), m)}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {withBoard && !withPaper && protocol.family === "two-moons" && (
        <p class="muted">The paper gives its two-moons results as pictures and as claims comparing experiments (below), not as numbers per metric.</p>
      )}
      {remark && (
        <p class="notice notice-info" data-testid="reduced-remark">
          {remark.text}
        </p>
      )}
      {claim && (
        <div class="result-claims" data-testid="result-claims">
          <h4>
            The paper's claim (<a href={figureUrl("table1")}>Table 1</a>)
          </h4>
          <p data-testid="result-claim" data-run-holds={String(claim.runHolds)} data-board-holds={String(claim.boardHolds)}>
            {claim.text}. Your run: {claim.runHolds === null ? "no test accuracy" : claim.runHolds ? "meets it ✓" : "does not meet it ✗"}. On the board:{" "}
            {claim.boardHolds === null ? <ClaimVerdict holds={null} /> : <>{claim.boardValue?.toFixed(1)} % — <ClaimVerdict holds={claim.boardHolds} /></>}
          </p>
        </div>
      )}
      {entries && protocol.claims.length > 0 && (
        <div class="result-claims" data-testid="result-claims">
          <h4>
            The paper's claims, judged on <a href={boardUrl(protocol.id)}>the verified runs</a>
          </h4>
          <ClaimsList protocolId={protocol.id} claims={entry?.claims ?? []} metrics={metrics} titleOf={(id) => entries.find((e) => e.protocolId === id)?.title ?? id} />
          <p class="muted">Your run joins these verdicts once the server has accepted it.</p>
        </div>
      )}
    </>
  );
}
