// /figures/fig4: the paper's Fig. 4 from verified runs — for ERM, SD and IRM (and any other Colored-MNIST
// protocol with runs) one run's final weights probed in this browser on digit/blank × grayscale/coloured
// test images, drawn as the paper's two 2×2 heat-maps (accuracy, entropy) with the paper's values underneath.
import { MNIST_PACK_MANIFEST } from "../../../shared/data/mnist-pack-manifest";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import { ApiError } from "../../../shared/client/api-client";
import { api } from "../api";
import { TrustLevels } from "../lab/trust-levels";
import { ErrorBox, Loading } from "../components/status";
import { formatCount, formatDate, formatDuration } from "../format";
import { navigate } from "../router";
import { boardUrl, fig4Url, figureUrl, labUrl, replayUrl, runUrl } from "../routes";
import { useAsync } from "../use-async";
import { cmnistProtocols } from "./cmnist-protocols";
import { Fig4Grid } from "./fig4-grid";
import { fig4Protocols, newestFirst, runLabel, selectedRun, unprobeableChoice, verifiedRuns, waitingRuns, waitingSentence, type BoardRun } from "./fig4-runs";
import { useFig4Probes, type ProbeRequest, type ProbeState } from "./use-fig4-probes";
import { useMnistPack, type PackState } from "./use-mnist-pack";

interface Shown {
  readonly protocol: CmnistProtocol;
  /** Every run on the protocol's board: the counted ones are probed, the pending ones only listed. */
  readonly runs: readonly BoardRun[];
}

async function loadShown(): Promise<{ readonly paper: Shown[]; readonly reduced: Shown[] }> {
  // Every Colored-MNIST board (ten small reads): a protocol whose runs all wait for peers is shown, with why none is probed yet.
  const sets = cmnistProtocols();
  const boards = new Map(await Promise.all([...sets.paper, ...sets.reduced].map(async (p) => [p.id, (await api.board(p.id)).runs] as const)));
  const { paper, reduced } = fig4Protocols(sets, (id) => boards.get(id)?.length ?? 0);
  const shown = (protocol: CmnistProtocol): Shown => ({ protocol, runs: boards.get(protocol.id) ?? [] });
  return { paper: paper.map(shown), reduced: reduced.map(shown) };
}

function DatasetBox({ pack }: { readonly pack: PackState & { readonly reload: () => void } }) {
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
  return (
    <section class="panel dataset-box" aria-labelledby="fig4-data-heading" data-testid="fig4-dataset" data-status={pack.status}>
      <h2 id="fig4-data-heading">The data</h2>
      <p>
        The probes run on the 10,000 test images of Colored MNIST, rebuilt in your browser from a {mb(MNIST_PACK_MANIFEST.bytes)} MB pack of 14×14
        MNIST digits (downloaded once, checked against its SHA-256, then kept in the browser's cache).
      </p>
      <p class="muted">
        Source: {MNIST_PACK_MANIFEST.source}. Terms: {MNIST_PACK_MANIFEST.terms}
      </p>
      {pack.status === "idle" && <p class="muted">Nothing to download until a protocol has a verified run.</p>}
      {pack.status === "loading" && (
        // The byte count changes many times a second: not a live region (the outcome below is one).
        <div class="progress-row">
          <progress max={pack.total} value={pack.received} aria-label="MNIST download" />
          <span class="progress-text">
            {mb(pack.received)} / {mb(pack.total)} MB
          </span>
        </div>
      )}
      {pack.status === "ok" && <p role="status">{pack.fromCache ? "Loaded from this browser's cache." : "Downloaded and checked."}</p>}
      {pack.status === "error" && <ErrorBox error={pack.error} onRetry={pack.reload} retryLabel="Download again" />}
    </section>
  );
}

function ProbeStatus({ state, packStatus, onRetry }: { readonly state: ProbeState | undefined; readonly packStatus: PackState["status"]; readonly onRetry: () => void }) {
  if (!state || state.status === "weights") return <Loading what="the run's weights" />;
  if (state.status === "waiting") {
    return (
      <p class="muted" role="status">
        {packStatus === "error" ? "Waiting for the MNIST data, whose download failed (see above)." : "Waiting for the MNIST data…"}
      </p>
    );
  }
  if (state.status === "queued") {
    return (
      <p class="muted" role="status" aria-live="polite" data-testid="fig4-queued">
        Queued: the background worker probes one run at a time…
      </p>
    );
  }
  if (state.status === "computing") {
    return (
      <p class="muted" role="status" aria-live="polite" data-testid="fig4-computing">
        Computing the four probes on {formatCount(10000)} test images in a background worker (from a few seconds to about half a minute)…
      </p>
    );
  }
  if (state.status === "error") {
    // The server withholds a run's weights while peers replay it: say so, it is not a failure.
    if (state.error instanceof ApiError && state.error.reason === "awaiting_peers") {
      return (
        <p class="notice notice-info" role="status" data-testid="fig4-awaiting-peers">
          This run is waiting for peers: its weights are withheld while they replay it. Try again once it is replayed.
        </p>
      );
    }
    return <ErrorBox error={state.error} onRetry={onRetry} />;
  }
  return (
    <p class="muted" role="status" data-testid="fig4-done">
      Computed in this browser in {formatDuration(state.ms)}.
    </p>
  );
}

interface PanelProps {
  readonly shown: Shown;
  readonly run: BoardRun | null;
  /** The run the URL names for this protocol, if any. */
  readonly chosen: string | null;
  readonly onPick: (runId: string) => void;
  readonly state: ProbeState | undefined;
  readonly packStatus: PackState["status"];
  readonly onRetry: () => void;
}

function Panel({ shown, run, chosen, onPick, state, packStatus, onRetry }: PanelProps) {
  const { protocol, runs } = shown;
  const waiting = waitingRuns(runs).length;
  const unprobeable = unprobeableChoice(runs, chosen);
  // A reduced configuration is not the paper's protocol: its grids carry no paper values.
  const reference = protocol.reduced ? null : protocol.reference.fig4;
  const probes = state?.status === "ok" ? state.probes : null;
  const selectId = `fig4-run-${protocol.id}`;
  return (
    <section class="panel fig4-panel" data-testid="fig4-panel" data-protocol={protocol.id} data-run={run?.id} aria-labelledby={`${selectId}-heading`}>
      <h3 id={`${selectId}-heading`}>
        <a href={boardUrl(protocol.id)}>{protocol.title}</a>
      </h3>
      {protocol.reduced && (
        <p class="notice notice-warn" data-testid="fig4-reduced-note">
          {protocol.reduced.note}
        </p>
      )}
      {unprobeable && (
        <p class="notice notice-info" data-testid="fig4-unprobeable" data-why={unprobeable.why}>
          {unprobeable.why === "pending" ? (
            <>
              The run you linked, <code>{unprobeable.id}</code>, is waiting for peers: its weights are withheld while they replay it, so it cannot be
              probed yet.
            </>
          ) : (
            <>
              The run you linked, <code>{unprobeable.id}</code>, is not a verified run of this protocol (refuted, disputed or not on its board).
            </>
          )}{" "}
          {run ? "The newest verified run is shown instead." : ""}
        </p>
      )}
      {waiting > 0 && (
        <p class="muted" data-testid="fig4-waiting">
          {waitingSentence(waiting)} <a href={replayUrl("auto")}>Replay one</a>.
        </p>
      )}
      {run ? (
        <>
          <p class="fig4-run-picker">
            <label for={selectId}>Verified run </label>
            <select id={selectId} value={run.id} onChange={(e) => onPick((e.target as HTMLSelectElement).value)} data-testid="fig4-run-select">
              {newestFirst(verifiedRuns(runs)).map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                </option>
              ))}
            </select>
          </p>
          <p data-testid="fig4-provenance">
            These grids probe the final weights of run{" "}
            <a href={runUrl(run.id)}>
              <code>{run.id}</code>
            </a>
            : seed {run.seed}, {run.contributor ? <>contributed by <bdi>{run.contributor}</bdi></> : "anonymous"}, trained on {run.backend}, verified{" "}
            {formatDate(run.createdAt)}. The probes' labels and colours are that run's test environment, drawn with GS Lab's coins (see above).
          </p>
          <ProbeStatus state={state} packStatus={packStatus} onRetry={onRetry} />
        </>
      ) : (
        <p data-testid="fig4-no-runs">
          No verified runs yet — <a href={labUrl({ protocol: protocol.id })}>run it in the Lab</a>.{" "}
          {reference ? "The grids show the paper's values only." : "The grids fill in once a run is verified."}
        </p>
      )}
      <div class="fig4-pair">
        {(["accuracy", "entropy"] as const).map((quantity) => (
          <Fig4Grid key={quantity} quantity={quantity} probes={probes} reference={reference} protocolId={protocol.id} pendingText={run ? "…" : "no run"} />
        ))}
      </div>
    </section>
  );
}

function Figure({ paper, reduced, picked }: { readonly paper: readonly Shown[]; readonly reduced: readonly Shown[]; readonly picked: ReadonlyMap<string, string> }) {
  const all = [...paper, ...reduced];
  const runOf = (shown: Shown): BoardRun | null => selectedRun(shown.runs, picked.get(shown.protocol.id) ?? null);
  const requests: ProbeRequest[] = all.flatMap((shown) => {
    const run = runOf(shown);
    return run ? [{ runId: run.id, seed: run.seed, model: shown.protocol.model }] : [];
  });
  const pack = useMnistPack(requests.length > 0);
  const { states, retry } = useFig4Probes(pack.status === "ok" ? pack.pack : null, requests);
  const panel = (shown: Shown) => {
    const run = runOf(shown);
    return (
      <Panel
        key={shown.protocol.id}
        shown={shown}
        run={run}
        chosen={picked.get(shown.protocol.id) ?? null}
        onPick={(runId) => navigate(fig4Url(new Map(picked).set(shown.protocol.id, runId)), { replace: true })}
        state={run ? states.get(run.id) : undefined}
        packStatus={pack.status}
        onRetry={() => run && retry(run.id)}
      />
    );
  };
  return (
    <>
      <DatasetBox pack={pack} />
      <p class="muted">
        Only verified runs are probed: recomputed by the server (and replayed, where peers replay the protocol's training), never a pending one.
      </p>
      <TrustLevels />
      <div data-testid="fig4-panels">{paper.map(panel)}</div>
      {reduced.length > 0 && (
        <section aria-labelledby="fig4-reduced-heading" data-testid="fig4-reduced">
          <h2 id="fig4-reduced-heading">Reduced CPU configuration — not comparable with the paper</h2>
          <p>These runs used fewer steps on fewer images. Their probes are shown for what they are, without the paper's values.</p>
          {reduced.map(panel)}
        </section>
      )}
    </>
  );
}

/** `picked`: the runs the URL names (protocol id → run id); the newest verified run for every other protocol. */
export function FigureFourPage({ picked }: { readonly picked: ReadonlyMap<string, string> }) {
  const data = useAsync(loadShown, []);
  return (
    <div class="figure-page fig4-page">
      <p class="breadcrumb">
        <a href="/leaderboard">Leaderboard</a> › Fig. 4
      </p>
      <h1>Fig. 4: what the Colored-MNIST models look at</h1>
      <p class="lede">
        A trained model is shown four versions of the test environment: the digits in grayscale (both channels half the image), the digits in colour
        (the test environment itself), and blank images (every pixel the global mean) in grayscale and in colour. ERM is right on the coloured blank
        images far less often than chance, and certain about it (entropy near 0): it reads the colour, which the test environment reverses. SD and IRM
        score about as well on coloured digits as on grayscale ones: they read the digit (in the paper, SD still follows the colour of a blank image, with much less
        confidence). Accuracy diverges around chance
        (red below 50 %, blue above); entropy runs from white (certain) to blue (ln 2, a coin toss). See <a href={figureUrl("table1")}>Table 1</a> for
        the accuracies over all seeds.
      </p>
      <p class="code-note">
        <strong>Not the authors' coin flips.</strong> The paper probes the model of its last restart (seed 9); here you pick any verified run (the
        newest by default). cmnist.py draws fresh label noise and colours for each probe with <code>torch.rand</code>, whose stream cannot be rebuilt:
        GS Lab's probes use the run's own test-environment labels and colours (GS Lab's coins, with the paper's distribution), so the numbers agree
        with the paper's in distribution, not to the last digit.
      </p>
      {data.status === "loading" && <Loading what="the verified runs" />}
      {data.status === "error" && <ErrorBox error={data.error} onRetry={data.reload} />}
      {data.status === "ok" && <Figure paper={data.data.paper} reduced={data.data.reduced} picked={picked} />}
    </div>
  );
}
