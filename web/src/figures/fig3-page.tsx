// /figures/fig3: the paper's 2×5 grid of the ten Fig. 3 variants, each drawn from its verified runs (the
// seed-averaged output, the zero contour bold, seed 0's points) with its curvature and minimum margin, under
// a banner that reads the claim "only Spectral Decoupling curves the boundary" off the leaderboard.
import { useMemo } from "preact/hooks";
import type { ProtocolBoard } from "../../../shared/api";
import { FIG3_PROTOCOLS } from "../../../shared/protocols/fig3";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import type { MoonsProtocol } from "../../../shared/protocols/types";
import { api } from "../api";
import { ErrorBox, Loading } from "../components/status";
import { formatStat } from "../format";
import { Heatmap } from "../plots/heatmap";
import { boardUrl, labUrl } from "../routes";
import { useAsync } from "../use-async";
import { onlySdVerdict, type OnlySdVerdict } from "./fig3-verdict";

const SD_ID = "fig3-sd";
const shortTitle = (protocol: MoonsProtocol): string => protocol.title.replace(/^Fig\. 3: /, "");

function Banner({ verdict }: { readonly verdict: OnlySdVerdict }) {
  const text =
    verdict.status === "holds"
      ? `Holds ✓ — on the verified runs, Spectral Decoupling's boundary is more curved than that of each of the other ${verdict.comparisons} variants.`
      : verdict.status === "fails"
        ? `Does not hold ✗ — on the verified runs, SD's boundary is not more curved than: ${verdict.failing.join(", ")}.`
        : `Not enough runs yet — ${verdict.judged} of ${verdict.comparisons} comparisons can be judged; each needs verified runs of both variants.`;
  const tone = verdict.status === "holds" ? "notice-ok" : verdict.status === "fails" ? "notice-error" : "notice-info";
  return (
    <div class={`notice ${tone}`} data-testid="fig3-banner" data-status={verdict.status} role="status">
      <p>
        <strong>The paper's claim: only Spectral Decoupling curves the boundary.</strong> {text}
      </p>
    </div>
  );
}

function Panel({ protocol, board }: { readonly protocol: MoonsProtocol; readonly board: ProtocolBoard }) {
  const points = useMemo(() => twoMoonsFamily.dataset(protocol, 0), [protocol]);
  const grid = board.boundary?.grid ?? null;
  const seeds = board.boundary?.seeds ?? 0;
  const { metrics } = board.entry;
  return (
    <figure class="fig3-panel" data-testid="fig3-panel" data-protocol={protocol.id} data-seeds={seeds}>
      <Heatmap
        grid={grid}
        points={points}
        boldContour
        label={
          grid
            ? `${protocol.title}: network output averaged over ${seeds} seeds, with the decision boundary.`
            : `${protocol.title}: no verified run yet.`
        }
      />
      <figcaption>
        <a href={boardUrl(protocol.id)}>
          <strong>{shortTitle(protocol)}</strong>
        </a>
        <br />
        {grid ? (
          <>
            curvature {formatStat(metrics.curvature, 3)}, min margin {formatStat(metrics.minMargin, 3)}{" "}
            <span class="muted">
              ({metrics.curvature?.n ?? 0} {metrics.curvature?.n === 1 ? "seed" : "seeds"})
            </span>
          </>
        ) : (
          <>
            no runs yet · <a href={labUrl({ protocol: protocol.id })}>train one</a>
          </>
        )}
        {protocol.data.rotationDegrees !== 0 && <span class="muted"> · the data is rotated {protocol.data.rotationDegrees}°, as intended</span>}
      </figcaption>
    </figure>
  );
}

export function FigureThreePage() {
  const boards = useAsync(() => Promise.all(FIG3_PROTOCOLS.map((p) => api.board(p.id))), []);
  return (
    <div class="figure-page fig3">
      <p class="breadcrumb">
        <a href="/leaderboard">Leaderboard</a> › Fig. 3
      </p>
      <h1>Fig. 3: ten ways to train, one boundary that curves</h1>
      <p class="lede">
        The same moons with a small gap (Δ = +0.1), trained ten ways for 10,000 steps. Weight decay, training ten times longer, Adam with a small or a
        large learning rate, rotating the input, dropout, BatchNorm and depth all leave the boundary straight and close to the data; only Spectral
        Decoupling curves it. Each panel is the network output averaged over the verified seeds (bold line: the decision boundary; points: seed 0's
        data). Curvature and minimum margin are mean ± std over seeds.
      </p>
      {boards.status === "loading" && <Loading what="the ten boards" />}
      {boards.status === "error" && <ErrorBox error={boards.error} onRetry={boards.reload} />}
      {boards.status === "ok" && (
        <>
          <Banner verdict={onlySdVerdict(boards.data.find((b) => b.entry.protocolId === SD_ID)?.entry.claims ?? [])} />
          <div class="fig3-grid" data-testid="fig3-grid">
            {FIG3_PROTOCOLS.map((protocol, k) => (
              <Panel key={protocol.id} protocol={protocol} board={boards.data[k]!} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
