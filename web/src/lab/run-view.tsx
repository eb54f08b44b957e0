// What the Lab shows of a run: live progress (backend, dataset download, steps/s, ETA, memory, pause,
// cancel, checkpoints), the decision-boundary heat-map and loss curve (the z trajectories for the toy model;
// the loss curve alone for Colored MNIST), then the metrics, the local verification verdict and the
// submission outcome.
import type { ProtocolInfo, RunRecord } from "../../../shared/api";
import { MNIST_PACK_MANIFEST } from "../../../shared/data/mnist-pack-manifest";
import type { Protocol, ToyProtocol } from "../../../shared/protocols/types";
import { ErrorBox } from "../components/status";
import { curvesFromSeries } from "../figures/toy-curves";
import { formatCount, formatDuration, formatEta, formatLoss, formatPercent, formatRate } from "../format";
import { Heatmap } from "../plots/heatmap";
import { LossChart } from "../plots/loss-chart";
import { ToyPlot } from "../plots/toy-plot";
import { PENDING_SENTENCE } from "../../../shared/metrics/counted";
import { api } from "../api";
import { boardUrl, replayUrl, runUrl } from "../routes";
import { useAsync } from "../use-async";
import { DownloadStatus } from "./dataset-notice";
import { formatBytes } from "./format-bytes";
import { ResultTable } from "./result-table";
import { expiryText } from "./saved-run-label";
import { TrustLevels } from "./trust-levels";
import type { Progress, TrainingState } from "./training-state";

const STAGE_TEXT: Record<NonNullable<TrainingState["stage"]>, string> = {
  data: "Starting the backend and downloading the dataset (its SHA-256 is checked)…",
  computing: "Computing the trajectories in float64…",
  training: "Training…",
  evaluating: "Computing the metrics and checking them with the server's own verifier…",
  replaying: "Replaying the first steps…",
};

interface LiveStatusProps {
  readonly state: TrainingState;
  readonly protocol: Protocol;
  readonly onCancel: () => void;
  readonly onPause: () => void;
  readonly onResume: () => void;
}

/** "tfjs holds 312 MB (GPU 290 MB)" where the backend tells GPU memory apart. */
function memoryText(p: Progress): string | null {
  if (!p.memory) return null;
  const gpu = p.memory.numBytesInGPU === null ? "" : ` (GPU ${formatBytes(p.memory.numBytesInGPU)})`;
  return `memory ${formatBytes(p.memory.numBytes)}${gpu}`;
}

/** Where the clock stands: done, paused, stopped (cancelled or failed: no ETA left to count down), or the ETA. */
function clockText(p: Progress, phase: TrainingState["phase"], paused: boolean): string {
  if (p.step >= p.steps) return `trained in ${formatDuration(p.elapsedMs)}`;
  if (phase === "cancelled") return `cancelled after ${formatDuration(p.elapsedMs)}`;
  if (phase === "error") return `stopped after ${formatDuration(p.elapsedMs)}`;
  return paused ? "paused" : `ETA ${formatEta(p.etaSeconds)}`;
}

function ProgressText({ p, phase, paused }: { readonly p: Progress; readonly phase: TrainingState["phase"]; readonly paused: boolean }) {
  const memory = memoryText(p);
  return (
    <p class="progress-text" data-testid="progress-text">
      step {formatCount(p.step)} / {formatCount(p.steps)} · loss {formatLoss(p.loss)}
      {p.trainAccuracy !== undefined && Number.isFinite(p.trainAccuracy) && (
        <>
          {" "}
          · train accuracy <span data-testid="train-accuracy">{formatPercent(p.trainAccuracy)}</span>
        </>
      )}{" "}
      · <span data-testid="steps-per-second">{formatRate(p.stepsPerSecond)}</span> steps/s ·{" "}
      <span data-testid="progress-clock">{clockText(p, phase, paused)}</span>
      {memory && (
        <>
          {" "}
          · <span data-testid="memory-use">{memory}</span>
        </>
      )}
    </p>
  );
}

export function LiveStatus({ state, protocol, onCancel, onPause, onResume }: LiveStatusProps) {
  const p = state.progress;
  const training = state.phase === "training";
  const cmnist = protocol.family === "colored-mnist";
  return (
    <div class="live-status">
      <p>
        {state.mode === "practice" ? "Practice run" : "Workunit"} of seed <strong data-testid="run-seed">{state.seed}</strong>
        {state.backend && (
          <>
            {" "}
            on <strong data-testid="backend-in-use">{state.backend.name}</strong>
            {state.backend.adapter && <span class="muted"> ({state.backend.adapter})</span>}
          </>
        )}
        {training && state.stage && <span class="muted"> — {STAGE_TEXT[state.stage]}</span>}
      </p>
      {state.backend && state.backend.attempts.some((a) => !a.ok) && (
        <details class="attempts">
          <summary>Why {state.backend.name}?</summary>
          <ul>
            {state.backend.attempts.map((a) => (
              <li key={a.backend}>
                {a.backend}: {a.ok ? "in use" : a.note}
              </li>
            ))}
          </ul>
        </details>
      )}
      {cmnist && (training || state.download) && <DownloadStatus download={state.download} manifest={MNIST_PACK_MANIFEST} />}
      {protocol.family !== "toy-dynamics" && (
        <div class="progress-row">
          <progress data-testid="progress" max={p?.steps ?? 1} value={p?.step ?? state.resumedFrom ?? 0} aria-label="Training progress">
            {p ? `${p.step} of ${p.steps} steps` : "starting"}
          </progress>
          {training && cmnist && state.stage === "training" && (
            <button type="button" class="secondary" data-testid="pause-button" onClick={state.paused ? onResume : onPause}>
              {state.paused ? "Resume" : "Pause"}
            </button>
          )}
          {training && (
            <button type="button" class="secondary" data-testid="cancel-button" onClick={onCancel}>
              Cancel
            </button>
          )}
        </div>
      )}
      {p && <ProgressText p={p} phase={state.phase} paused={state.paused} />}
      {cmnist && training && <CheckpointStatus state={state} />}
    </div>
  );
}

/** Where a long run stands with respect to pausing and its checkpoints in this browser. */
function CheckpointStatus({ state }: { readonly state: TrainingState }) {
  const kept = state.mode === "workunit";
  return (
    <p class="muted" data-testid="checkpoint-status">
      {state.paused && "Paused after the current step (the time is not counted). "}
      {state.resumedFrom !== null && `Resumed from step ${formatCount(state.resumedFrom)}. `}
      {kept
        ? state.checkpointStep !== null
          ? `Checkpoint at step ${formatCount(state.checkpointStep)} kept in this browser: after a reload or a crash the Lab offers to resume from it.`
          : "A checkpoint is kept in this browser every 30 s of training and when you pause."
        : "Practice runs keep no checkpoints."}
      {state.workunit && kept && ` The workunit ${expiryText(state.workunit.expiresAt, Date.now())}.`}
    </p>
  );
}

function ToyRunFigure({ state, protocol }: { readonly state: TrainingState; readonly protocol: ToyProtocol }) {
  const series = state.run?.meta.series;
  if (!series) return null;
  return (
    <figure>
      <ToyPlot
        sets={[{ solver: protocol.toy.solver, curves: curvesFromSeries(protocol, series) }]}
        label={`|z2| against |z1| for s1 = ${protocol.toy.s1Values.join(", ")}, as this run computed them.`}
        testId="toy-plot"
      />
      <figcaption>Your run's |z₂| against |z₁|, one curve per s1, from the series it will submit.</figcaption>
    </figure>
  );
}

export function RunFigures({ state, protocol }: { readonly state: TrainingState; readonly protocol: Protocol }) {
  if (protocol.family === "toy-dynamics") return <ToyRunFigure state={state} protocol={protocol} />;
  const totalSteps = protocol.training.steps;
  if (protocol.family === "colored-mnist") {
    return (
      <div class="figures">
        <figure>
          <LossChart curve={state.curve} totalSteps={totalSteps} />
          <figcaption>
            Full-batch training loss (log scale), every {protocol.evidence.historyEvery} steps{state.phase === "training" ? ", live" : ""}.
          </figcaption>
        </figure>
      </div>
    );
  }
  return (
    <div class="figures">
      <figure>
        <Heatmap
          grid={state.grid}
          points={state.points}
          label={`Decision function ${state.gridStep ? `after ${state.gridStep} steps` : "before training"}: red where the network predicts class 0, blue for class 1; the black line is the decision boundary.`}
          testId="heatmap"
          step={state.gridStep}
        />
        <figcaption>
          Network output over [−2, 2]² {state.gridStep ? `at step ${formatCount(state.gridStep)}` : "(appears once training starts)"}; black line: the
          decision boundary; points: class 0 (red) and class 1 (blue).
        </figcaption>
      </figure>
      <figure>
        <LossChart curve={state.curve} totalSteps={totalSteps} />
        <figcaption>Training loss (log scale){state.phase === "training" ? ", live" : ""}.</figcaption>
      </figure>
    </div>
  );
}

interface ResultProps {
  readonly state: TrainingState;
  readonly info: ProtocolInfo;
  readonly onSubmit: () => void;
}

export function RunResult({ state, info, onSubmit }: ResultProps) {
  const run = state.run;
  // The board to read the run against, loaded once the run is finished (and again after it is submitted).
  const leaderboard = useAsync(() => (run ? api.leaderboard() : Promise.resolve(null)), [run !== null, state.phase === "submitted"]);
  if (!run) return null;
  const verdict = run.localVerdict;
  return (
    <section class="result" aria-labelledby="result-heading" data-testid="run-result">
      <h3 id="result-heading" tabIndex={-1}>
        Your result
      </h3>
      <p class="muted">
        {info.protocol.family === "toy-dynamics" ? "Computed" : "Trained"} {formatCount(run.meta.timings.steps)} steps in {formatDuration(run.meta.timings.trainMs)} on{" "}
        {run.meta.environment.backend}.
      </p>
      <ResultTable
        protocol={info.protocol}
        metrics={info.metrics}
        values={run.metrics}
        entries={leaderboard.status === "ok" ? leaderboard.data : null}
        entriesFailed={leaderboard.status === "error"}
        testId="run-metrics"
      />
      <p class={`notice ${verdict.status === "accepted" ? "notice-ok" : "notice-warn"}`} data-testid="local-verdict" data-status={verdict.status}>
        {verdict.status === "accepted" ? (
          <>
            <strong>Checked here with the server's own verifier: ✓ it agrees.</strong>{" "}
            {info.protocol.family === "toy-dynamics"
              ? "It recomputed every trajectory in float64 and matched your series and end points."
              : info.protocol.family === "colored-mnist"
                ? "It rebuilt your restart's environments and recomputed both accuracies from your weights (the server draws its own random training images)."
                : "It replayed the first steps and recomputed every metric from your weights."}
          </>
        ) : (
          <>
            <strong>The local check says the server would reject this run ({verdict.reason}).</strong> {verdict.message}
          </>
        )}
      </p>
      {state.mode === "practice" ? (
        <p class="notice notice-info" data-testid="practice-note">
          This was a <strong>practice run</strong>: seed {state.seed} was not assigned to you by the server, so the result cannot be submitted. The
          server hands out every seed that counts, so that nobody can pick the seeds that favour a result. Use “Start training” above to get a seed of
          your own and make a run that counts.
        </p>
      ) : (
        state.phase !== "submitted" && (
          <div class="submit-row">
            {state.workunit && Date.parse(state.workunit.expiresAt) <= Date.now() && (
              <p class="notice notice-warn" data-testid="workunit-expired">
                This workunit's token expired at {new Date(state.workunit.expiresAt).toLocaleString()}: the server will refuse the submission
                (token_expired). Use “Start training” above for a new seed and a run that counts.
              </p>
            )}
            {state.errorDuring === "submit" && state.error && <ErrorBox error={state.error} />}
            <button type="button" data-testid="submit-button" disabled={state.phase === "submitting"} onClick={onSubmit}>
              {state.phase === "submitting" ? "Submitting…" : state.errorDuring === "submit" ? "Submit again" : "Submit to the leaderboard"}
            </button>
            <span class="muted">The server verifies the run before it counts.</span>
          </div>
        )
      )}
      {state.submission && <SubmissionOutcome record={state.submission} />}
    </section>
  );
}

/** Accepted, not counted yet, and no replayed segment refuted: its drawn segments wait for peers. */
const waitsForPeers = (record: RunRecord): boolean =>
  record.status === "accepted" && !record.counted && record.peerReplay !== null && record.peerReplay.segments.every((s) => s.outcome !== "refuted");

export function SubmissionOutcome({ record }: { readonly record: RunRecord }) {
  const accepted = record.status === "accepted";
  return (
    <div class={`notice ${accepted ? "notice-ok" : "notice-error"}`} data-testid="verification-outcome" data-status={record.status} id="verification-outcome" tabIndex={-1}>
      <p>
        {accepted ? (
          <>
            <strong>Accepted ✓</strong> {record.message}
          </>
        ) : (
          <>
            <strong>Rejected ✗</strong> (<code>{record.reason}</code>) {record.message}
          </>
        )}
      </p>
      <p>
        <a href={runUrl(record.id)} data-testid="run-link">
          See the run
        </a>{" "}
        · <a href={boardUrl(record.protocolId)}>See the leaderboard of this protocol</a>
      </p>
      {accepted && waitsForPeers(record) && (
        <p data-testid="pending-note">
          <strong>Pending:</strong> {PENDING_SENTENCE} Other contributors do that on the <a href={replayUrl("auto")}>Replay page</a>.
        </p>
      )}
      {accepted && <TrustLevels />}
    </div>
  );
}
