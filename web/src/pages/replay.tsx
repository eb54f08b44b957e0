// Replay others' runs (/replay): the runs of Fig. 3's costly variants are checked by other contributors, not
// by the server. This page leases one drawn segment of someone else's run, trains it on this machine from the
// run's checkpoint (in the training worker, with progress and the live boundary), sends back where it ended,
// and shows the server's judgement — agreement within the tolerance, or a disagreement that calls a tiebreak.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ReplayOutcome, ReplayWorkunit } from "../../../shared/api";
import { isPeerReplayed, PEER_TOLERANCE } from "../../../shared/metrics/peer-replay";
import type { TrajectoryProtocol } from "../../../shared/metrics/replay";
import { PROTOCOLS } from "../../../shared/protocols/registry";
import { api } from "../api";
import { ErrorBox } from "../components/status";
import { contributorKey } from "../contributor";
import { serializeError, type SerializedError } from "../errors";
import { formatDuration, formatEta } from "../format";
import { needsGpu } from "../lab/estimate";
import { BACKEND_CHOICES, replayUrl, runUrl, type BackendChoice } from "../routes";
import { TrustLevels } from "../lab/trust-levels";
import { navigate } from "../router";
import { useAsync } from "../use-async";
import { loadWaitingWork, waitingSentence } from "./replay-waiting";
import type { TrainingProgress } from "../train/messages";
import { startTraining, type TrainingHandle } from "../train/trainer";

/** The protocols whose segments peers replay: Fig. 3's costly variants and Colored MNIST. */
const PEER_PROTOCOLS: readonly TrajectoryProtocol[] = PROTOCOLS.filter(isPeerReplayed);

/** Segments a CPU cannot get through in reasonable time: the 5-layer net's, and full-size Colored MNIST's (50,000 images per step). */
const replayNeedsGpu = (protocol: TrajectoryProtocol): boolean => (protocol.family === "two-moons" ? needsGpu(protocol) : protocol.reduced === undefined);

type ReplayState =
  | { readonly phase: "idle" }
  | { readonly phase: "leasing" }
  | { readonly phase: "none"; readonly message: string }
  | { readonly phase: "training"; readonly workunit: ReplayWorkunit; readonly backend: string | null; readonly progress: TrainingProgress | null; readonly stage: string }
  | { readonly phase: "done"; readonly workunit: ReplayWorkunit; readonly outcome: ReplayOutcome; readonly trainMs: number; readonly backend: string }
  | { readonly phase: "error"; readonly error: SerializedError | unknown };

export function ReplayPage({ backend }: { readonly backend: BackendChoice }) {
  const key = contributorKey();
  // Runs of the 5-layer net need a GPU: left out by default, one click away.
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(PEER_PROTOCOLS.filter((p) => !replayNeedsGpu(p)).map((p) => p.id)));
  const [state, setState] = useState<ReplayState>({ phase: "idle" });
  /** Replays answered in this visit: the button says "another" only after the first. */
  const [answered, setAnswered] = useState(0);
  const waiting = useAsync(() => loadWaitingWork(PEER_PROTOCOLS.map((p) => p.id)), [answered]);
  const handle = useRef<TrainingHandle | null>(null);
  useEffect(() => () => handle.current?.dispose(), []);

  const toggle = (id: string): void => setChosen((current) => (current.has(id) ? new Set([...current].filter((x) => x !== id)) : new Set([...current, id])));

  const replay = async (): Promise<void> => {
    if (!key) return;
    setState({ phase: "leasing" });
    try {
      const lease = await api.leaseReplay({ contributorKey: key, protocolIds: [...chosen] });
      if (!lease.replay) return setState({ phase: "none", message: lease.message });
      const workunit = lease.replay;
      setState({ phase: "training", workunit, backend: null, progress: null, stage: "downloading the data" });
      handle.current = startTraining({ kind: "peer-replay", workunit }, backend, (message) => {
        switch (message.type) {
          case "backend":
            return setState((s) => (s.phase === "training" ? { ...s, backend: message.adapter ? `${message.backend} (${message.adapter})` : message.backend } : s));
          case "stage":
            return setState((s) => (s.phase === "training" ? { ...s, stage: message.stage === "training" ? "training" : message.stage === "evaluating" ? "sending the result" : s.stage } : s));
          case "progress": {
            const { type: _type, ...progress } = message;
            return setState((s) => (s.phase === "training" ? { ...s, progress } : s));
          }
          case "peer-replay-done":
            setAnswered((n) => n + 1);
            return setState({ phase: "done", workunit, outcome: message.outcome, trainMs: message.trainMs, backend: message.backend });
          case "cancelled":
            return setState({ phase: "idle" });
          case "error":
            return setState({ phase: "error", error: message.error });
        }
      });
    } catch (error) {
      setState({ phase: "error", error: serializeError(error) });
    }
  };

  const busy = state.phase === "leasing" || state.phase === "training";
  return (
    <div class="replay-page">
      <h1>Replay others' runs</h1>
      <p class="lede">
        Check someone else's run: your browser trains a short piece of it again, from the run's own checkpoint, and the server compares where it
        ends with where the run said it did. No submission of yours is needed, only this tab's time.
      </p>
      <p class="notice notice-info" data-testid="replay-waiting" data-runs={waiting.status === "ok" ? waiting.data.runs : undefined}>
        {waiting.status === "ok"
          ? waitingSentence(waiting.data)
          : waiting.status === "loading"
            ? "Counting the segments that wait for a replay…"
            : "How many segments wait could not be read; you can still ask for one."}
      </p>
      <p>
        The server replays segments of most runs itself. Some cost too much for that — Fig. 3's 100,000-step run and 5-layer net, and Colored MNIST (full-batch over up to 50,000
        images) — so their drawn segments are handed to other contributors instead: your browser trains one segment from the run's own checkpoint and sends back where it ended. If it lands within {PEER_TOLERANCE} of the
        segment's movement from the run's checkpoint, the segment is confirmed; once every drawn segment is, the run counts as <strong>replayed</strong>. A disagreement calls in a third
        contributor; a run that two replays contradict is flagged <strong>disputed</strong> and no longer counted.
      </p>
      <p class="muted">
        You never get a segment of your own run, nor two segments of one run, and until its replays are in, a run's checkpoints and weights are not served to anyone.
      </p>

      {!key ? (
        <p class="notice notice-error" data-testid="replay-no-key">
          This browser keeps no local storage, so it has no contributor key: replays need one (nobody may confirm their own run). Allow storage for this site and reload.
        </p>
      ) : (
        <form
          class="replay-form"
          onSubmit={(event) => {
            event.preventDefault();
            void replay();
          }}
        >
          <fieldset disabled={busy}>
            <legend>Protocols to replay</legend>
            {PEER_PROTOCOLS.map((p) => (
              <label key={p.id} class="checkbox">
                <input type="checkbox" checked={chosen.has(p.id)} onChange={() => toggle(p.id)} data-testid={`replay-protocol-${p.id}`} /> {p.title}{" "}
                <span class="muted">
                  ({(p.evidence.checkpointEvery ?? 0).toLocaleString("en-US")} steps per segment{replayNeedsGpu(p) ? "; needs a GPU" : ""})
                </span>
              </label>
            ))}
          </fieldset>
          <label>
            Backend{" "}
            <select value={backend} disabled={busy} onChange={(event) => navigate(replayUrl((event.target as HTMLSelectElement).value as BackendChoice), { replace: true })}>
              {BACKEND_CHOICES.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="submit" disabled={busy || chosen.size === 0} data-testid="replay-start">
            {state.phase === "leasing" ? "Asking for a segment…" : answered > 0 ? "Replay another segment" : "Replay a segment"}
          </button>
          {state.phase === "training" && (
            <button type="button" onClick={() => handle.current?.cancel()}>
              Cancel
            </button>
          )}
        </form>
      )}

      <ReplayStatus state={state} />
      <p class="visually-hidden" aria-live="polite">
        {ANNOUNCEMENTS[state.phase]}
      </p>
      <TrustLevels />
    </div>
  );
}

/** What the live region says: the moments of a replay, never its progress. */
const ANNOUNCEMENTS: Readonly<Record<ReplayState["phase"], string>> = {
  idle: "",
  leasing: "Asking the server for a segment.",
  none: "No segment is waiting for you.",
  training: "Replaying a segment.",
  done: "The replay is answered; the server's judgement follows.",
  error: "",
};

function ReplayStatus({ state }: { readonly state: ReplayState }) {
  switch (state.phase) {
    case "idle":
      return null;
    case "leasing":
      return (
        <p class="muted" role="status">
          Asking the server for a segment…
        </p>
      );
    case "none":
      return (
        <p class="notice" role="status" data-testid="replay-none">
          {state.message} Try again later, or <a href="/lab">train a run</a> yourself.
        </p>
      );
    case "error":
      return <ErrorBox error={state.error} />;
    case "training": {
      const { workunit, progress } = state;
      const length = workunit.to - workunit.from;
      const done = progress ? Math.max(0, progress.step - workunit.from) : 0;
      return (
        <div class="replay-progress" data-testid="replay-progress">
          <p>
            <SegmentLabel workunit={workunit} /> — {state.stage}
            {state.backend ? ` on ${state.backend}` : ""}.
          </p>
          <progress max={length} value={done} />{" "}
          <span class="muted">
            {done.toLocaleString("en-US")} of {length.toLocaleString("en-US")} steps{progress ? ` · ${formatEta(progress.etaSeconds)} left` : ""}
          </span>
        </div>
      );
    }
    case "done": {
      const { outcome, workunit } = state;
      return (
        <div class={`notice ${outcome.agrees ? "notice-ok" : "notice-warn"}`} data-testid="replay-outcome" data-agrees={outcome.agrees ? "true" : "false"}>
          <p>
            <strong>{outcome.agrees ? "Your replay agrees ✓" : "Your replay disagrees ✗"}</strong> <SegmentLabel workunit={workunit} />, trained in {formatDuration(state.trainMs)} on{" "}
            {state.backend}.
          </p>
          <p>{outcome.message}</p>
          <p>
            Deviation <span data-testid="replay-deviation">{outcome.deviation === Number.MAX_VALUE ? "∞" : outcome.deviation.toExponential(2)}</span> (tolerance {outcome.tolerance}) ·
            segment {outcome.segmentOutcome} · run {outcome.runStatus} · <a href={runUrl(outcome.runId)}>see the run</a>
          </p>
        </div>
      );
    }
  }
}

function SegmentLabel({ workunit }: { readonly workunit: ReplayWorkunit }) {
  const protocol = PEER_PROTOCOLS.find((p) => p.id === workunit.protocolId);
  return (
    <span data-testid="replay-segment">
      Steps {workunit.from.toLocaleString("en-US")}–{workunit.to.toLocaleString("en-US")} of a {protocol?.title ?? workunit.protocolId} run (seed {workunit.seed}, segment {workunit.segment + 1})
    </span>
  );
}
