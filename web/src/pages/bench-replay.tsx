// The replay-tolerance benchmark (/bench?mode=replay&seeds=0-2&segments=1,8): measures TRAJECTORY_TOLERANCE's
// margin in this browser. Trains honest runs on wasm in one worker, then replays the chosen segments on each
// backend (wasm, cpu, WebGL, WebGPU; one worker each, so one that fails leaves the others' results) and
// tabulates how far each lands from the run and from the server's float64 replay of its own end. Results carry
// data-testid attributes, and the raw measurements are in bench-replay-json, for scripts/replay-tolerance.ts.
import { useEffect, useState } from "preact/hooks";
import { trajectorySegments } from "../../../shared/protocols/evidence";
import { findProtocol } from "../../../shared/protocols/registry";
import { describeError } from "../errors";
import { formatDuration } from "../format";
import { BACKEND_CHOICES, benchUrl, formatNumberList, parseReplayParams, type BackendChoice, type BenchParams } from "../routes";
import { navigate } from "../router";
import type { BackendName } from "../train/backend-choice";
import { TERMINAL_MESSAGES, type BenchReplayResult, type FromWorker, type HonestRunResult, type TrainJob } from "../train/messages";
import { startTraining, type TrainingHandle } from "../train/trainer";

/** Every backend the browser can replay on, software GPUs included: "auto" measures them all. */
const REPLAY_BACKENDS: readonly BackendName[] = ["wasm", "cpu", "webgl", "webgpu"];
/** The backend the honest runs are trained on (the fastest here, and the one the Node measurement trains on too). */
const TRAINING_BACKEND: BackendName = "wasm";

type PartStatus = "waiting" | "running" | "done" | "error";

interface Part {
  readonly backend: BackendName;
  readonly status: PartStatus;
  readonly result?: BenchReplayResult;
  readonly error?: string;
}

interface Training {
  readonly status: PartStatus;
  readonly elapsedMs?: number;
  readonly error?: string;
}

interface ReplayState {
  readonly status: "running" | "done" | "error";
  readonly training: Training;
  readonly parts: readonly Part[];
  /** What the worker in use is doing, in words. */
  readonly activity: string;
  /** A problem with the request itself (no segment of that number). */
  readonly error?: string;
}

const initialState = (backends: readonly BackendName[]): ReplayState => ({
  status: "running",
  training: { status: "waiting" },
  parts: backends.map((backend) => ({ backend, status: "waiting" })),
  activity: "Starting…",
});

/** How many trajectory segments a protocol's run has; null when it takes no checkpoints. */
function segmentTotal(protocolId: string): number | null {
  const protocol = findProtocol(protocolId);
  if (protocol?.family !== "two-moons" || protocol.evidence.checkpointEvery === undefined) return null;
  return trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery).length;
}

const errorText = (message: Extract<FromWorker, { type: "error" }>): string => {
  const { title, detail } = describeError(message.error);
  return `${title} ${detail}`;
};

export function BenchReplayPage({ params, protocolId }: { readonly params: BenchParams; readonly protocolId: string }) {
  const { seeds, segments } = params.replay;
  const backends = params.backend === "auto" ? REPLAY_BACKENDS : [params.backend];
  const total = segmentTotal(protocolId);
  const [state, setState] = useState<ReplayState>(() => initialState(backends));
  const [attempt, setAttempt] = useState(0);
  const [seedText, setSeedText] = useState(formatNumberList(seeds));
  const [segmentText, setSegmentText] = useState(formatNumberList(segments));

  useEffect(() => {
    setState(initialState(backends));
    if (total === null || segments.some((k) => k >= total)) {
      setState((s) => ({ ...s, status: "error", error: `${protocolId} has ${total ?? 0} trajectory segments (0 to ${(total ?? 1) - 1}); choose segments among them.` }));
      return;
    }
    let handle: TrainingHandle | null = null;
    let disposed = false;
    const setPart = (backend: BackendName, part: Omit<Part, "backend">): void =>
      setState((s) => ({ ...s, parts: s.parts.map((p) => (p.backend === backend ? { backend, ...part } : p)) }));
    /** Runs one job in its own worker; resolves with its last message. `describe` turns its progress into words. */
    const runJob = (job: TrainJob, backend: BackendName, describe: (what: string) => string) =>
      new Promise<FromWorker>((resolve) => {
        if (disposed) return; // the page moved on: never settles, and the sequence stops here
        let what = "starting the backend";
        let where = backend as string;
        handle = startTraining(job, backend, (message) => {
          if (TERMINAL_MESSAGES.has(message.type)) return resolve(message);
          if (message.type === "backend") where = message.adapter ? `${message.backend} (${message.adapter})` : message.backend;
          else if (message.type === "bench-replay-phase") what = message.segment === null ? `seed ${message.seed}` : `seed ${message.seed}, segment ${message.segment}`;
          else if (message.type !== "progress") return;
          const step = message.type === "progress" ? `: step ${message.step} of ${message.steps}` : "";
          setState((s) => ({ ...s, activity: `${describe(what)} on ${where}${step}…` }));
        });
      });

    void (async () => {
      setState((s) => ({ ...s, training: { status: "running" } }));
      const trained = await runJob({ kind: "bench-replay-train", protocolId, seeds }, TRAINING_BACKEND, (what) => `Training the honest run of ${what}`);
      if (trained.type !== "bench-replay-trained") {
        const error = trained.type === "error" ? errorText(trained) : "Cancelled.";
        setState((s) => ({ ...s, status: "error", training: { status: "error", error } }));
        return;
      }
      const runs: readonly HonestRunResult[] = trained.runs;
      setState((s) => ({ ...s, training: { status: "done", elapsedMs: runs.reduce((sum, run) => sum + run.result.elapsedMs, 0) } }));
      for (const backend of backends) {
        setPart(backend, { status: "running" });
        const replayed = await runJob({ kind: "bench-replay", protocolId, runs, segments }, backend, (what) => `Replaying ${what}`);
        if (replayed.type === "bench-replay-done") setPart(backend, { status: "done", result: replayed.result });
        else setPart(backend, { status: "error", error: replayed.type === "error" ? errorText(replayed) : "Cancelled." });
      }
      setState((s) => ({ ...s, status: "done", activity: "" }));
    })();
    return () => {
      disposed = true;
      handle?.dispose();
    };
  }, [params.backend, formatNumberList(seeds), formatNumberList(segments), attempt]);

  const rerun = (backend: BackendChoice): void => {
    const next: BenchParams = { ...params, backend, mode: "replay", replay: parseReplayParams(seedText, segmentText, params.replay) };
    if (benchUrl(next) === benchUrl(params)) setAttempt((a) => a + 1);
    else navigate(benchUrl(next), { replace: true });
  };

  const done = state.parts.filter((p) => p.result);
  const tolerance = done[0]?.result?.tolerance;
  const raw = {
    protocolId,
    seeds,
    segments,
    trainedOn: TRAINING_BACKEND,
    trainingMs: state.training.elapsedMs ?? null,
    tolerance: tolerance ?? null,
    parts: state.parts.map(({ backend, status, result, error }) => ({
      backend,
      status,
      adapter: result?.adapter ?? null,
      elapsedMs: result?.elapsedMs ?? null,
      error: error ?? null,
      pairs: result?.pairs ?? [],
    })),
    measurements: done.flatMap((p) => p.result!.measurements),
    userAgent: navigator.userAgent,
  };

  return (
    <div class="bench">
      <h1>Benchmark: replay tolerance</h1>
      <p class="lede">
        Trains <code>{protocolId}</code> (seeds {formatNumberList(seeds)}) on <strong>{TRAINING_BACKEND}</strong> in a Web Worker, recording its
        trajectory checkpoints, then replays segments {formatNumberList(segments)} of each run on {backends.join(", ")} from the run's own
        checkpoints. Each replay is measured twice: against the run's next checkpoint (what a replay on another contributor's machine sees), and
        the server's float64 replay against the backend's own end (the check the server would make had this backend trained the segment).
        Deviation: the larger of ‖Δweights‖ and the displacement the optimiser state's difference would cause, over the segment's movement.
      </p>
      <p class="muted">
        Software GPUs are slow: WebGPU on SwiftShader takes about half a minute per 100-step segment (WebGL a few seconds, wasm a fraction of
        one); <a href={benchUrl({ backend: "wasm" })}>the throughput benchmark</a> times a backend.
      </p>
      <form
        class="controls"
        onSubmit={(e) => {
          e.preventDefault();
          rerun((e.currentTarget.elements.namedItem("backend") as HTMLSelectElement).value as BackendChoice);
        }}
      >
        <label>
          Replay on
          <select name="backend" data-testid="backend-select" value={params.backend} disabled={state.status === "running"}>
            {BACKEND_CHOICES.map((b) => (
              <option value={b} key={b}>
                {b === "auto" ? "all four" : b}
              </option>
            ))}
          </select>
        </label>
        <label>
          Seeds <span class="muted">(e.g. 0-2 or 0,5)</span>
          <input type="text" value={seedText} onInput={(e) => setSeedText(e.currentTarget.value)} disabled={state.status === "running"} />
        </label>
        <label>
          Segments <span class="muted">(0 to {(total ?? 1) - 1})</span>
          <input type="text" value={segmentText} onInput={(e) => setSegmentText(e.currentTarget.value)} disabled={state.status === "running"} />
        </label>
        <button type="submit" disabled={state.status === "running"}>
          Run
        </button>
      </form>

      <p data-testid="bench-status" data-status={state.status} role="status" aria-live="polite">
        {state.error ??
          (state.training.error
            ? `Training on ${TRAINING_BACKEND} failed: ${state.training.error}`
            : state.status === "running"
              ? state.activity
              : `Done${tolerance === undefined ? "" : `; tolerance ${tolerance}`}.`)}
      </p>
      {state.training.elapsedMs !== undefined && (
        <p class="muted" data-testid="bench-replay-training-ms" data-value={state.training.elapsedMs}>
          Honest runs trained on {TRAINING_BACKEND} in {formatDuration(state.training.elapsedMs)}.
        </p>
      )}
      <div class="table-scroll">
        <table class="compact" data-testid="bench-replay-table">
          <thead>
            <tr>
              <th scope="col">Trained on → replayed on</th>
              <th scope="col" class="num">
                Segments
              </th>
              <th scope="col" class="num">
                Median
              </th>
              <th scope="col" class="num">
                p99
              </th>
              <th scope="col" class="num">
                Max
              </th>
              <th scope="col" class="num">
                Rejected
              </th>
              <th scope="col">Adapter, time</th>
            </tr>
          </thead>
          <tbody>
            {state.parts.map((part) => (part.result ? <PartRows key={part.backend} result={part.result} /> : <PendingRow key={part.backend} part={part} />))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>Raw measurements (JSON)</summary>
        <pre data-testid="bench-replay-json">{JSON.stringify(raw, null, 1)}</pre>
      </details>
    </div>
  );
}

function PartRows({ result }: { readonly result: BenchReplayResult }) {
  return (
    <>
      {result.pairs.map((pair, row) => (
        <tr key={`${pair.trainedOn}:${pair.replayedOn}`} data-testid="bench-replay-row" data-backend={result.backend} data-max={pair.max} data-rejected={pair.rejected}>
          <td>
            {pair.trainedOn} → {pair.replayedOn}
          </td>
          <td class="num">{pair.count}</td>
          <td class="num">{pair.median.toExponential(2)}</td>
          <td class="num">{pair.p99.toExponential(2)}</td>
          <td class="num">{pair.max.toExponential(2)}</td>
          <td class={`num ${pair.rejected > 0 ? "bad" : "ok"}`}>{pair.rejected}</td>
          {row === 0 && (
            <td class="muted" rowSpan={result.pairs.length}>
              {result.adapter ?? result.backend}, {formatDuration(result.elapsedMs)}
            </td>
          )}
        </tr>
      ))}
    </>
  );
}

function PendingRow({ part }: { readonly part: Part }) {
  const text = part.status === "error" ? `did not run: ${part.error}` : part.status === "running" ? "replaying…" : "waiting";
  return (
    <tr data-testid="bench-replay-row" data-backend={part.backend} data-status={part.status}>
      <td>{part.backend}</td>
      <td colSpan={6} class={part.status === "error" ? "bad" : "muted"}>
        {text}
      </td>
    </tr>
  );
}
