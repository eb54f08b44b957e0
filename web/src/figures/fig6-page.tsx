// /figures/fig6: the paper's Fig. 6 computed live in the browser with the shared float64 dynamics — left,
// the dual (dotted) against CE + weight decay (solid); right, CE + weight decay (solid) against SD
// (dashed) — and the end points next to the verified runs' and the authors' blog's.
import { useMemo } from "preact/hooks";
import type { LeaderboardEntry } from "../../../shared/api";
import { familyOf } from "../../../shared/protocols/families";
import { fig6Dual, fig6PrimalSd, fig6PrimalWeightDecay } from "../../../shared/protocols/toy";
import type { ToyProtocol } from "../../../shared/protocols/types";
import { zKey } from "../../../shared/toy/family";
import { api } from "../api";
import { ClaimsList } from "../components/claims";
import { ToyEndPoints, type EndPointColumn } from "../components/toy-endpoints";
import { DASH, formatValue } from "../format";
import { ToyPlot } from "../plots/toy-plot";
import { boardUrl, labUrl } from "../routes";
import { useAsync } from "../use-async";
import { BLOG_CE_END_POINTS, BLOG_SD_RANGE, blogSchedule, computeCurves, endPoint, TABLE_S1, type ToyCurve } from "./toy-curves";

const value = (curves: readonly ToyCurve[], component: 1 | 2, s1: number): number | null => {
  const curve = curves.find((c) => c.s1 === s1);
  return curve ? endPoint(curve)[component - 1]! : null;
};

const computedColumn = (title: string, curves: readonly ToyCurve[]): EndPointColumn => ({
  title,
  cell: (component, s1) => formatValue(value(curves, component, s1), 3),
});

function verifiedColumn(protocol: ToyProtocol, entries: readonly LeaderboardEntry[] | null): EndPointColumn {
  const entry = entries?.find((e) => e.protocolId === protocol.id);
  const runs = entry?.runs ?? 0;
  return {
    title: entries === null ? "Verified runs (unavailable)" : `Verified runs (${runs})`,
    cell: (component, s1) => formatValue(entry?.metrics[zKey(component, s1)]?.mean ?? null, 3),
  };
}

export function FigureSixPage() {
  const leaderboard = useAsync(() => api.leaderboard(), []);
  const entries = leaderboard.status === "ok" ? leaderboard.data : null;
  // Five schedules × six s1 × up to 5,000 steps: a few tens of milliseconds, once.
  const { dual, weightDecay, sd, blogWeightDecay, blogSd } = useMemo(
    () => ({
      dual: computeCurves(fig6Dual),
      weightDecay: computeCurves(fig6PrimalWeightDecay),
      sd: computeCurves(fig6PrimalSd),
      blogWeightDecay: computeCurves(blogSchedule(fig6PrimalWeightDecay)),
      blogSd: computeCurves(blogSchedule(fig6PrimalSd)),
    }),
    [],
  );
  const titleOf = (id: string): string => [fig6Dual, fig6PrimalWeightDecay, fig6PrimalSd].find((p) => p.id === id)?.title ?? id;
  const claimsOf = (id: string) => entries?.find((e) => e.protocolId === id)?.claims ?? [];

  return (
    <div class="figure-page fig6">
      <p class="breadcrumb">
        <a href="/leaderboard">Leaderboard</a> › Fig. 6
      </p>
      <h1>Fig. 6: two features, one starves the other</h1>
      <p class="lede">
        The paper's toy model has two features of strengths s1 and s2 = 2, mixed by a rotation; z₁ and z₂ measure how much the model uses each. The
        stronger s1, the further cross-entropy pushes z₁ and the lower z₂ ends: the strong feature <em>starves</em> the weak one. With Spectral
        Decoupling every curve ends at the same point, whatever s1. These curves are computed in your browser right now, with the code the server
        verifies runs with.
      </p>
      <div class="figure-pair" data-testid="fig6-panels">
        <figure>
          <ToyPlot
            sets={[
              { solver: "dual", curves: dual },
              { solver: "primal-wd", curves: weightDecay },
            ]}
            label="Left panel: |z2| against |z1| for s1 = 2, 3, 4, 5, 6, 8; the dual (dotted) ends where cross-entropy with weight decay (solid) does."
            testId="fig6-left"
          />
          <figcaption>Left: the dual (dotted) and cross-entropy + weight decay (solid) reach the same end points.</figcaption>
        </figure>
        <figure>
          <ToyPlot
            sets={[
              { solver: "primal-wd", curves: weightDecay },
              { solver: "primal-sd", curves: sd },
            ]}
            label="Right panel: cross-entropy with weight decay (solid) against Spectral Decoupling (dashed); SD ends at the same point for every s1."
            testId="fig6-right"
          />
          <figcaption>
            Right: cross-entropy + weight decay (solid) against Spectral Decoupling (dashed), which ends at one point for every s1.
          </figcaption>
        </figure>
      </div>

      <h2>End points</h2>
      <p>
        GS Lab follows the authors' script: 5,000 steps at learning rate 0.05. The end points the authors' blog prints for cross-entropy are
        different: they match <strong>1,000 steps at learning rate 0.1</strong> (within 0.002), which lie earlier on the same curves — a finding of GS
        Lab's toy-model tests, shown beside the blog's. The SD end points agree either way.
      </p>
      {/* Two columns per table, GS Lab's beside the blog's: narrow enough for a phone. */}
      <div class="fig6-tables">
        <ToyEndPoints
          s1Values={TABLE_S1}
          caption="Cross-entropy + weight decay: GS Lab (5,000 steps, lr 0.05)"
          testId="fig6-ce-table"
          columns={[computedColumn("Computed here", weightDecay), verifiedColumn(fig6PrimalWeightDecay, entries)]}
        />
        <ToyEndPoints
          s1Values={TABLE_S1}
          caption="Cross-entropy + weight decay: the authors' blog"
          testId="fig6-ce-blog-table"
          columns={[
            { title: "Authors' blog", cell: (component, s1) => formatValue(BLOG_CE_END_POINTS.get(s1)?.[component - 1] ?? null, 3) },
            computedColumn("GS Lab at 1,000 steps, lr 0.1", blogWeightDecay),
          ]}
        />
        <ToyEndPoints
          s1Values={TABLE_S1}
          caption="Cross-entropy + Spectral Decoupling: GS Lab (5,000 steps, lr 0.05)"
          testId="fig6-sd-table"
          columns={[computedColumn("Computed here", sd), verifiedColumn(fig6PrimalSd, entries)]}
        />
        <ToyEndPoints
          s1Values={TABLE_S1}
          caption="Cross-entropy + Spectral Decoupling: the authors' blog"
          testId="fig6-sd-blog-table"
          columns={[
            { title: "Authors' blog (every s1)", cell: (component) => BLOG_SD_RANGE[component === 1 ? "z1" : "z2"].map((v) => v.toFixed(3)).join("–") },
            computedColumn("GS Lab at 1,000 steps, lr 0.1", blogSd),
          ]}
        />
      </div>
      {leaderboard.status === "error" && <p class="muted">The verified runs could not be loaded ({DASH} in their columns).</p>}

      <h2>The paper's claims, judged on verified runs</h2>
      {[fig6PrimalWeightDecay, fig6PrimalSd, fig6Dual].map((protocol) => (
        <section key={protocol.id} aria-label={protocol.title}>
          <h3>
            <a href={boardUrl(protocol.id)}>{protocol.title}</a> · <a href={labUrl({ protocol: protocol.id })}>compute and submit it</a>
          </h3>
          {entries ? (
            <ClaimsList protocolId={protocol.id} claims={claimsOf(protocol.id)} metrics={familyOf(protocol).metrics(protocol)} titleOf={titleOf} />
          ) : (
            <p class="muted">{leaderboard.status === "loading" ? "Loading the verdicts…" : "The verdicts could not be loaded."}</p>
          )}
        </section>
      ))}
      <p class="code-note">
        <strong>Following the authors' code:</strong> {fig6Dual.codeNote}
      </p>
    </div>
  );
}
