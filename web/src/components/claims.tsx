// The paper's claims as the leaderboard judges them: the claim, both protocols' seed means ± std, and
// whether it holds, does not hold, or cannot be judged yet.
import type { LeaderboardEntry } from "../../../shared/api";
import type { MetricDefinition } from "../../../shared/protocols/types";
import { formatMetricStat } from "../format";
import { boardUrl } from "../routes";

type Claim = LeaderboardEntry["claims"][number];

export function ClaimVerdict({ holds }: { readonly holds: boolean | null }) {
  if (holds === null) return <span class="verdict verdict-pending">not enough runs yet</span>;
  return holds ? <span class="verdict verdict-holds">holds ✓</span> : <span class="verdict verdict-fails">does not hold ✗</span>;
}

interface ClaimsProps {
  readonly protocolId: string;
  readonly claims: readonly Claim[];
  readonly metrics: readonly MetricDefinition[];
  readonly titleOf: (protocolId: string) => string;
}

export function ClaimsList({ protocolId, claims, metrics, titleOf }: ClaimsProps) {
  if (claims.length === 0) return <p class="muted">This protocol carries no claim of its own; it is a reference for others.</p>;
  return (
    <ul class="claims">
      {claims.map((claim) => {
        const metric = metrics.find((m) => m.key === claim.metric);
        const unit = { key: claim.metric, digits: metric?.digits ?? 3 };
        return (
          <li key={`${claim.metric}-${claim.otherProtocolId}`} data-testid="claim" data-holds={String(claim.holds)}>
            <p>
              {claim.text} <ClaimVerdict holds={claim.holds} />
            </p>
            <p class="claim-sides">
              {metric?.label ?? claim.metric}: <a href={boardUrl(protocolId)}>{titleOf(protocolId)}</a> {formatMetricStat(claim.value, unit, false)}{" "}
              <span class="relation">{claim.relation === "<" ? "should be <" : "should be >"}</span>{" "}
              <a href={boardUrl(claim.otherProtocolId)}>{titleOf(claim.otherProtocolId)}</a> {formatMetricStat(claim.other, unit, false)}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
