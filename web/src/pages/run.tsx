// One submitted run: accepted or rejected (with the reason), its recipe, claimed vs recomputed metrics, what
// it recorded while training (loss history, NTK features, toy trajectories), its decision boundary or Fig. 4
// probes, the trajectory checks, the environment it trained in, its files to download, a one-click rerun of
// its seed and a comparison with other runs.
import type { ProtocolInfo } from "../../../shared/api";
import { PENDING_SENTENCE } from "../../../shared/metrics/counted";
import { loadProtocols } from "../api";
import { MetricsTable } from "../components/metrics-table";
import { ProtocolDetails } from "../components/protocol-details";
import { PeerReplayStrip, TrajectoryStrip } from "../components/trajectory-strip";
import { ErrorBox, Loading } from "../components/status";
import { formatDate, formatDuration } from "../format";
import { boardUrl, compareUrl, rerunUrl } from "../routes";
import { loadRunBundle, type RunBundle } from "../run-page/run-bundle";
import { RunDownloads } from "../run-page/run-downloads";
import { runFiles } from "../run-page/run-files";
import { RunEvidencePanel, RunPicture } from "../run-page/run-evidence";
import { useAsync } from "../use-async";

export function RunPage({ runId }: { readonly runId: string }) {
  const data = useAsync(async () => loadRunBundle(runId, await loadProtocols()), [runId]);
  if (data.status === "loading") return <Loading what="the run" />;
  if (data.status === "error") return <ErrorBox error={data.error} onRetry={data.reload} />;
  return <Run bundle={data.data} />;
}

function Recipe({ info, version }: { readonly info: ProtocolInfo; readonly version: number }) {
  return (
    <>
      <h2>Recipe</h2>
      {version !== info.protocol.version && (
        <p class="notice notice-warn" data-testid="run-version-note">
          This run used version {version} of the protocol; the recipe below is version {info.protocol.version}'s.
        </p>
      )}
      <ProtocolDetails info={info} />
    </>
  );
}

function Run({ bundle }: { readonly bundle: RunBundle }) {
  const { run, info, evidence } = bundle;
  const accepted = run.status === "accepted";
  const env = run.environment;
  return (
    <div class="run-page">
      <p class="breadcrumb">
        <a href="/leaderboard">Leaderboard</a> › <a href={boardUrl(run.protocolId)}>{info?.protocol.title ?? run.protocolId}</a>
      </p>
      <h1>
        Run of seed {run.seed} <span class="muted run-id">{run.id}</span>
      </h1>
      <div class={`notice ${accepted ? "notice-ok" : "notice-error"}`} data-testid="run-status" data-status={run.status}>
        <p>
          <strong>{accepted ? "Accepted ✓" : "Rejected ✗"}</strong>
          {!accepted && run.reason && (
            <>
              {" "}
              (<code data-testid="run-reason">{run.reason}</code>)
            </>
          )}{" "}
          {run.message}
        </p>
      </div>
      {accepted && !run.counted && run.peerReplay?.status === "pending" && (
        <p class="notice notice-info" data-testid="run-pending" data-counted="false">
          <strong>Pending.</strong> {PENDING_SENTENCE} Until then it is left out of every average, figure, claim verdict, quorum and contributor standing.
        </p>
      )}
      {accepted && !run.counted && run.peerReplay?.status === "refuted" && (
        <p class="notice notice-warn" data-testid="run-refuted" data-counted="false">
          Other contributors' replays contradict this run's training: it is kept here but not counted anywhere.
        </p>
      )}
      {run.hidden && (
        <p class="notice notice-warn" data-testid="run-hidden">
          An admin has hidden this run: it is kept here but no longer counted on the leaderboard.
        </p>
      )}
      <p>
        {run.protocolId} v{run.protocolVersion} · submitted {formatDate(run.createdAt)} by {run.contributor !== null ? <bdi>{run.contributor}</bdi> : (run.contributorId ? "an unnamed contributor" : "an anonymous contributor")}
        {run.contributorId && <span class="muted"> #{run.contributorId.slice(0, 6)}</span>} ·{" "}
        <a href={rerunUrl(run.protocolId, run.seed)}>rerun this seed in the Lab</a> ·{" "}
        <a href={compareUrl([run.id])} data-testid="compare-with">
          compare with…
        </a>
      </p>

      {info && <Recipe info={info} version={run.protocolVersion} />}

      <h2>Claimed and recomputed metrics</h2>
      <p class="muted">
        {info?.protocol.family === "toy-dynamics"
          ? "The client claimed these end points; the server recomputed every trajectory in float64 and compared each recorded |z|."
          : "The browser claimed these values; the server recomputed them from the submitted weights on its own copy of the data."}
      </p>
      {info ? (
        <MetricsTable
          metrics={info.metrics}
          columns={[
            { title: "Claimed", values: run.claimed },
            { title: "Recomputed by the server", values: run.recomputed },
          ]}
          compare
          testId="claimed-vs-recomputed"
        />
      ) : (
        <p>This run's protocol is no longer listed.</p>
      )}

      {info && <RunEvidencePanel run={run} protocol={info.protocol} evidence={evidence} />}
      {info && <RunPicture run={run} protocol={info.protocol} />}

      {(run.replay || run.peerReplay) && (
        <>
          <h2>Trajectory</h2>
          {run.replay && <TrajectoryStrip replay={run.replay} checkpointsUrl={`/api/runs/${encodeURIComponent(run.id)}/checkpoints`} />}
          {run.peerReplay && <PeerReplayStrip peerReplay={run.peerReplay} checkpointsUrl={`/api/runs/${encodeURIComponent(run.id)}/checkpoints`} />}
        </>
      )}

      <h2>Environment</h2>
      <dl class="facts" data-testid="run-environment">
        <dt>Backend</dt>
        <dd>{env.backend}</dd>
        <dt>GPU adapter</dt>
        <dd>{env.adapter ?? "—"}</dd>
        <dt>TensorFlow.js</dt>
        <dd>{env.tfjsVersion}</dd>
        <dt>Client</dt>
        <dd>{env.client}</dd>
        <dt>User agent</dt>
        <dd class="wrap">{env.userAgent}</dd>
        <dt>Training time</dt>
        <dd>{formatDuration(run.trainMs)}</dd>
      </dl>

      {info && (
        <>
          <h2>Downloads</h2>
          <RunDownloads files={runFiles(run, info, evidence)} />
          {info.paramCount > 0 && (
            <p class="muted">Float32 files are little-endian, as the Worker stores them; the checkpoints hold, per checkpoint, every weight and then the optimiser's state.</p>
          )}
        </>
      )}
    </div>
  );
}
