// One submitted run: accepted or rejected (with the reason), claimed vs recomputed metrics, the environment
// it trained in, and a one-click rerun of its seed.
import type { ProtocolInfo, RunRecord } from "../../../shared/api";
import { PENDING_SENTENCE } from "../../../shared/metrics/counted";
import { api, loadProtocols } from "../api";
import { MetricsTable } from "../components/metrics-table";
import { PeerReplayStrip, TrajectoryStrip } from "../components/trajectory-strip";
import { ErrorBox, Loading } from "../components/status";
import { formatDate, formatDuration } from "../format";
import { boardUrl, rerunUrl } from "../routes";
import { useAsync } from "../use-async";

export function RunPage({ runId }: { readonly runId: string }) {
  const data = useAsync(() => Promise.all([api.run(runId), loadProtocols()]), [runId]);
  if (data.status === "loading") return <Loading what="the run" />;
  if (data.status === "error") return <ErrorBox error={data.error} onRetry={data.reload} />;
  const [run, protocols] = data.data;
  return <Run run={run} info={protocols.find((p) => p.protocol.id === run.protocolId) ?? null} />;
}

function Run({ run, info }: { readonly run: RunRecord; readonly info: ProtocolInfo | null }) {
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
        <a href={rerunUrl(run.protocolId, run.seed)}>rerun this seed in the Lab</a>
      </p>

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
    </div>
  );
}
