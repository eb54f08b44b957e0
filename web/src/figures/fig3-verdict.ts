// Fig. 3's headline, read off fig3-sd's claim verdicts ("SD curves the boundary more than each of the nine
// other variants"): it holds when every comparison holds, fails when any fails, and waits for runs otherwise.
import type { LeaderboardEntry } from "../../../shared/api";

type Claim = LeaderboardEntry["claims"][number];

export type OnlySdVerdict =
  | { readonly status: "holds"; readonly comparisons: number }
  | { readonly status: "fails"; readonly comparisons: number; readonly failing: readonly string[] }
  | { readonly status: "pending"; readonly comparisons: number; readonly judged: number };

export function onlySdVerdict(claims: readonly Claim[]): OnlySdVerdict {
  const comparisons = claims.length;
  const failing = claims.filter((c) => c.holds === false).map((c) => c.otherProtocolId);
  if (failing.length > 0) return { status: "fails", comparisons, failing };
  const judged = claims.filter((c) => c.holds !== null).length;
  if (comparisons > 0 && judged === comparisons) return { status: "holds", comparisons };
  return { status: "pending", comparisons, judged };
}
