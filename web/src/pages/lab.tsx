// The Lab: pick a protocol and a backend, see how long it will take, get a workunit (the server picks the
// seed, which goes into the URL; a server behind Turnstile first has its challenge solved here) and train it
// in the browser with live plots — or compute the toy model's trajectories at once — then submit; a seed in
// the URL without a workunit can be run as practice. Long (Colored-MNIST) runs can be paused, and unfinished
// ones kept in this browser are offered for resuming.
import { useEffect, useState } from "preact/hooks";
import type { ProtocolInfo } from "../../../shared/api";
import { MNIST_PACK_MANIFEST } from "../../../shared/data/mnist-pack-manifest";
import type { Protocol } from "../../../shared/protocols/types";
import { loadProtocols } from "../api";
import { checkContributor, loadContributor, saveContributor } from "../contributor";
import { ErrorBox, Loading } from "../components/status";
import { ProtocolDetails } from "../components/protocol-details";
import { formatCount } from "../format";
import type { SavedRun } from "../lab/checkpoint-store";
import { DatasetTerms } from "../lab/dataset-notice";
import { runLengthWords } from "../lab/estimate";
import { RunEstimate } from "../lab/run-estimate";
import { SavedRunsPanel } from "../lab/saved-runs-panel";
import { TurnstilePanel } from "../lab/turnstile-panel";
import { stepCount } from "../recipe";
import { LiveStatus, RunFigures, RunResult } from "../lab/run-view";
import { runAnnouncement, useRunFocus } from "../lab/run-focus";
import { useTraining } from "../lab/use-training";
import { groupByFigure } from "../protocol-groups";
import { BACKEND_CHOICES, boardUrl, labUrl, type BackendChoice, type LabParams } from "../routes";
import { navigate } from "../router";
import { useAsync } from "../use-async";

const BACKEND_LABELS: Record<BackendChoice, string> = {
  auto: "auto (best available: WebGPU → WebGL → wasm → cpu)",
  webgpu: "WebGPU",
  webgl: "WebGL",
  wasm: "WebAssembly (wasm)",
  cpu: "plain JavaScript (cpu)",
};

export function LabPage({ params }: { readonly params: LabParams }) {
  const protocols = useAsync(loadProtocols, []);
  if (protocols.status === "loading") return <Loading what="the experiments" />;
  if (protocols.status === "error") return <ErrorBox error={protocols.error} onRetry={protocols.reload} />;
  return <Lab params={params} protocols={protocols.data} />;
}

function Lab({ params, protocols }: { readonly params: LabParams; readonly protocols: readonly ProtocolInfo[] }) {
  const training = useTraining();
  const { state } = training;
  const [contributor, setContributor] = useState(loadContributor);
  const info = protocols.find((p) => p.protocol.id === params.protocol) ?? protocols[0]!;
  const protocolId = info.protocol.id;
  const unknownProtocol = params.protocol !== null && params.protocol !== protocolId;
  const busy = state.phase === "training" || state.phase === "requesting" || state.phase === "submitting";
  const isToy = info.protocol.family === "toy-dynamics";
  const contributorCheck = checkContributor(contributor);
  const name = contributorCheck.ok ? contributorCheck.name : undefined;
  const setParams = (next: Partial<LabParams>): void => navigate(labUrl({ ...params, protocol: protocolId, ...next }), { replace: true });

  useEffect(() => {
    document.title = `Lab: ${info.protocol.title} — GS Lab`;
  }, [info]);
  useRunFocus(state.phase);

  /** A finished workunit that was not submitted is lost by starting anything else: ask first (and forget its checkpoint). */
  const mayDiscard = (): boolean => {
    if (!(state.phase === "done" && state.mode === "workunit")) return true;
    if (!window.confirm("Your finished run has not been submitted. Discard it?")) return false;
    if (state.workunit) void training.saved.discard(state.workunit.workunitId);
    return true;
  };

  const resumeSaved = (run: SavedRun): void => {
    if (!mayDiscard()) return;
    navigate(labUrl({ ...params, protocol: run.workunit.protocolId, seed: run.workunit.seed, backend: run.backend }), { replace: true });
    training.resumeSaved(run);
  };

  const discardSaved = (run: SavedRun): void => {
    if (window.confirm(`Discard the saved run ${run.workunit.protocolId} of seed ${run.workunit.seed}? Its checkpoint is deleted.`)) void training.saved.discard(run.id);
  };

  /** Cancelling a long workunit deletes its checkpoint: ask, and point to Pause. */
  const cancel = (): void => {
    const kept = state.mode === "workunit" && state.checkpointStep !== null && info.protocol.family === "colored-mnist";
    if (!kept || window.confirm("Cancel this run? Its checkpoint in this browser is deleted (Pause keeps it).")) training.cancel();
  };

  const chooseProtocol = (id: string): void => {
    if (!mayDiscard()) return;
    if (state.phase !== "idle") training.reset();
    setParams({ protocol: id, seed: null });
  };

  const getWorkunit = (): void => {
    if (!contributorCheck.ok || !mayDiscard()) return;
    void training.requestWorkunit(protocolId, params.backend, name, (workunit) => setParams({ seed: workunit.seed }));
  };

  const runPractice = (seed: number): void => {
    if (mayDiscard()) training.practice(protocolId, seed, params.backend);
  };

  const retry = (): void => {
    if (state.errorDuring === "workunit") getWorkunit();
    else if (state.mode === "workunit" && state.workunit) void training.retrainWorkunit(state.workunit, params.backend, name);
    else if (state.seed !== null) runPractice(state.seed);
  };

  // The URL names a seed, but this page holds no workunit for it (a reload or a rerun link).
  const practiceSeed = params.seed !== null && !(state.workunit && state.workunit.protocolId === protocolId) ? params.seed : null;
  // An issued workunit whose training stopped (cancel, backend failure...): its token is still unused.
  const unusedWorkunit = state.mode === "workunit" && state.workunit && (state.phase === "cancelled" || state.phase === "error") ? state.workunit : null;
  const resumable = unusedWorkunit && state.phase === "error" && state.checkpointStep ? state.checkpointStep : null;
  const retryLabel =
    state.errorDuring === "workunit"
      ? "Try again"
      : resumable !== null && unusedWorkunit
        ? `Resume seed ${unusedWorkunit.seed} from step ${formatCount(resumable)} (same workunit)`
        : unusedWorkunit
          ? `Train seed ${unusedWorkunit.seed} again (same workunit)`
          : "Train again";
  // Saved runs other than the one on screen (which has its own controls).
  const otherSaved = training.saved.runs.filter((run) => run.id !== state.workunit?.workunitId);

  return (
    <div class="lab">
      <p class="visually-hidden" aria-live="polite" data-testid="run-announcer">
        {runAnnouncement(state)}
      </p>
      <h1>Lab</h1>
      <p class="lede">
        Train one of the paper's experiments in this tab. The server assigns the seed; your browser does the training and sends the final weights,
        which the server checks before the run counts.
      </p>
      {unknownProtocol && <p class="notice notice-warn">There is no protocol “{params.protocol}”; showing {protocolId} instead.</p>}
      <SavedRunsPanel runs={otherSaved} expired={training.saved.expired} busy={busy} onResume={resumeSaved} onDiscard={discardSaved} />

      <section class="panel" aria-labelledby="setup-heading">
        <h2 id="setup-heading">Set up</h2>
        <div class="controls">
          <label>
            Experiment
            <select data-testid="protocol-select" value={protocolId} disabled={busy} onChange={(e) => chooseProtocol(e.currentTarget.value)}>
              {groupByFigure(protocols, (p) => p.protocol.figure).map((group) => (
                <optgroup label={group.figure} key={group.figure}>
                  {group.items.map((p) => (
                    <option value={p.protocol.id} key={p.protocol.id}>
                      {p.protocol.title} ({formatCount(stepCount(p.protocol))} steps)
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label>
            Backend
            <select
              data-testid="backend-select"
              value={params.backend}
              disabled={busy}
              onChange={(e) => setParams({ backend: e.currentTarget.value as BackendChoice })}
            >
              {BACKEND_CHOICES.map((b) => (
                <option value={b} key={b}>
                  {BACKEND_LABELS[b]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Display name <span class="muted">(optional, shown on the leaderboard)</span>
            <input
              type="text"
              data-testid="contributor-input"
              value={contributor}
              maxLength={40}
              autoComplete="nickname"
              placeholder="anonymous"
              aria-invalid={!contributorCheck.ok}
              aria-describedby="contributor-help"
              onInput={(e) => {
                setContributor(e.currentTarget.value);
                saveContributor(e.currentTarget.value);
              }}
            />
            <span id="contributor-help" class={contributorCheck.ok ? "hint" : "hint bad"}>
              {contributorCheck.ok ? "1–40 characters, kept in this browser." : contributorCheck.message}
            </span>
          </label>
        </div>

        <h3>{info.protocol.title.startsWith(info.protocol.figure) ? info.protocol.title : `${info.protocol.figure}: ${info.protocol.title}`}</h3>
        <ProtocolDetails info={info} />
        <FamilyNotes protocol={info.protocol} backend={params.backend} busy={busy} keepsRuns={training.saved.available} />
        <p>
          <a href={boardUrl(protocolId)}>Verified results for this experiment</a>
        </p>

        <div class="actions">
          <button type="button" data-testid="train-button" disabled={busy || !contributorCheck.ok} onClick={getWorkunit} aria-describedby="train-help">
            {state.phase === "requesting" ? "Asking the server for a seed…" : isToy ? "Compute it" : "Start training"}
          </button>
          <span class="muted" id="train-help">
            The server picks the seed (your <em>workunit</em>: one seed, one single-use token); when {isToy ? "the computation" : "training"} ends, you
            submit the result for the server to check.
          </span>
          {practiceSeed !== null && (
            <span class="practice-offer">
              <button type="button" class="secondary" data-testid="practice-button" disabled={busy} onClick={() => runPractice(practiceSeed)}>
                Practice run of seed {practiceSeed}
              </button>
              <span class="muted" data-testid="practice-why">
                This link names seed {practiceSeed}, but the server did not hand it to you: a practice run trains and shows everything, but cannot be
                submitted, because only seeds the server picks count (so that nobody can choose the seeds that favour a result). “Start training” gets
                you a seed that counts.
              </span>
            </span>
          )}
          {unusedWorkunit && state.phase === "cancelled" && (
            <button type="button" class="secondary" disabled={busy} onClick={() => void training.retrainWorkunit(unusedWorkunit, params.backend, name)}>
              Train seed {unusedWorkunit.seed} again (same workunit)
            </button>
          )}
        </div>
      </section>

      {state.phase === "challenge" && state.challenge && (
        <TurnstilePanel
          siteKey={state.challenge.siteKey}
          refusal={state.challengeRefusal}
          onToken={(token) => void training.answerChallenge(token)}
          onCancel={training.reset}
        />
      )}
      {state.phase === "error" && state.error && (
        <div id="run-error" tabIndex={-1}>
          <ErrorBox error={state.error} onRetry={retry} retryLabel={retryLabel} />
        </div>
      )}
      {state.phase === "cancelled" && (
        <p class="notice notice-info" data-testid="cancelled" id="cancelled-notice" tabIndex={-1}>
          Training was cancelled. {unusedWorkunit ? "Your workunit is still valid: you can train it again." : ""}
        </p>
      )}

      {state.phase !== "idle" && state.phase !== "requesting" && state.phase !== "challenge" && (state.phase !== "error" || state.progress) && (
        <section class="panel" aria-labelledby="run-heading" data-testid="run-panel" data-phase={state.phase}>
          <h2 id="run-heading" tabIndex={-1}>
            Run
          </h2>
          <LiveStatus state={state} protocol={info.protocol} onCancel={cancel} onPause={training.pause} onResume={training.resume} />
          <RunFigures state={state} protocol={info.protocol} />
          <RunResult state={state} info={info} onSubmit={() => void training.submit(name)} />
          {state.phase === "submitted" && (
            <button type="button" class="secondary" onClick={getWorkunit}>
              Start another run
            </button>
          )}
        </section>
      )}
    </div>
  );
}

/** What to know about a family before running it: how long it takes (two-moons, Colored MNIST), the long-run and data notes (Colored MNIST), or why the toy model is instant. */
function FamilyNotes({ protocol, backend, busy, keepsRuns }: { readonly protocol: Protocol; readonly backend: BackendChoice; readonly busy: boolean; readonly keepsRuns: boolean }) {
  switch (protocol.family) {
    case "two-moons":
      return <RunEstimate protocol={protocol} backend={backend} busy={busy} />;
    case "toy-dynamics":
      return (
        <p class="notice notice-info">
          The toy model needs no network and no backend: your browser computes its {protocol.toy.s1Values.length} trajectories in float64 in a
          fraction of a second. The server hands every workunit seed 0 (the run has no randomness) and recomputes everything.
        </p>
      );
    case "colored-mnist":
      return (
        <>
          <RunEstimate protocol={protocol} backend={backend} busy={busy}>
            {(timing) => (
              <p class="notice notice-info" data-testid="long-run-note">
                {runLengthWords(protocol, timing)}: {formatCount(protocol.training.steps)} full-batch Adam steps over{" "}
                {formatCount(2 * (protocol.data.examplesPerEnv ?? 25000))} images. Pause and resume it at any time (paused time is not counted);
                {keepsRuns
                  ? " it is checkpointed in this browser every 30 s of training and when paused, so after a reload or a crash the Lab offers to resume it, until the workunit expires."
                  : " this browser cannot keep checkpoints (no IndexedDB), so closing or reloading the tab loses the run."}
              </p>
            )}
          </RunEstimate>
          <DatasetTerms manifest={MNIST_PACK_MANIFEST} />
        </>
      );
  }
}
