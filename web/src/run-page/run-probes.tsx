// A Colored-MNIST run's Fig. 4 probes on its run page: only when the reader asks (the probes need the 11.8 MB
// MNIST pack and a few seconds of CPU), computed by the Fig. 4 page's own hooks and drawn with its own grids.
import { useState } from "preact/hooks";
import type { RunRecord } from "../../../shared/api";
import { MNIST_PACK_MANIFEST } from "../../../shared/data/mnist-pack-manifest";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import { ErrorBox, Loading } from "../components/status";
import { Fig4Grid } from "../figures/fig4-grid";
import { useFig4Probes } from "../figures/use-fig4-probes";
import { useMnistPack } from "../figures/use-mnist-pack";
import { formatDuration } from "../format";
import { formatBytes } from "../lab/format-bytes";
import { figureUrl } from "../routes";

function Probes({ run, protocol }: { readonly run: RunRecord; readonly protocol: CmnistProtocol }) {
  const pack = useMnistPack(true);
  const { states, retry } = useFig4Probes(pack.status === "ok" ? pack.pack : null, [{ runId: run.id, seed: run.seed, model: protocol.model }]);
  const state = states.get(run.id);
  const probes = state?.status === "ok" ? state.probes : null;
  return (
    <>
      {pack.status === "loading" && (
        <div class="progress-row" role="status" aria-live="polite">
          <progress max={pack.total} value={pack.received} aria-label="MNIST download" />
          <span class="progress-text">
            {formatBytes(pack.received)} / {formatBytes(pack.total)}
          </span>
        </div>
      )}
      {pack.status === "error" && <ErrorBox error={pack.error} onRetry={pack.reload} retryLabel="Download again" />}
      {pack.status === "ok" && state?.status !== "ok" && state?.status !== "error" && <Loading what="the probes (a few seconds in a background worker)" />}
      {state?.status === "error" && <ErrorBox error={state.error} onRetry={() => retry(run.id)} />}
      {state?.status === "ok" && (
        <p class="muted" role="status" data-testid="run-probes-done">
          Computed in this browser in {formatDuration(state.ms)}.
        </p>
      )}
      <div class="fig4-pair">
        {(["accuracy", "entropy"] as const).map((quantity) => (
          <Fig4Grid key={quantity} quantity={quantity} probes={probes} reference={protocol.reduced ? null : protocol.reference.fig4} protocolId={protocol.id} />
        ))}
      </div>
    </>
  );
}

export function RunProbes({ run, protocol }: { readonly run: RunRecord; readonly protocol: CmnistProtocol }) {
  const [asked, setAsked] = useState(false);
  const withheld = run.peerReplay?.status === "pending";
  if (run.status !== "accepted" || withheld) {
    return <p class="muted">Fig. 4's probes are computed from the run's final weights, which are not served {withheld ? "until its peers have replayed it" : "for a rejected run"}.</p>;
  }
  return (
    <div data-testid="run-probes">
      <p>
        What this model looks at, as in <a href={figureUrl("fig4")}>Fig. 4</a>: its final weights probed on digit / blank × grayscale / coloured test
        images{protocol.reduced ? " (a reduced configuration: no paper values)" : ", with the paper's values underneath"}.
      </p>
      {asked ? (
        <Probes run={run} protocol={protocol} />
      ) : (
        <button type="button" onClick={() => setAsked(true)} data-testid="run-probes-button">
          Compute the probes here (downloads the {formatBytes(MNIST_PACK_MANIFEST.bytes)} MNIST pack once)
        </button>
      )}
    </div>
  );
}
