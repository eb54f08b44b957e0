// The benchmark page: /bench shows the standard suite (bench-suite.tsx), which runs only when asked, and behind a
// button the single measurements. A link that names one (/bench?backend=&steps=) runs it on arrival, as scripts
// use it: fig1-margin-pos seed 0 for a number of steps on one backend in the training worker, reporting steps/s
// and whether the first losses match the server's float64 replay; with &seeds=10&mode=compare that many seeds one
// at a time, then batched into one computation; &mode=replay measures the replay tolerance instead
// (bench-replay.tsx). Results carry data-testid attributes for scripts.
import { useEffect, useState } from "preact/hooks";
import { describeError, type SerializedError } from "../errors";
import { formatCount, formatDuration, formatRate } from "../format";
import { BACKEND_CHOICES, BENCH_DEFAULT_PROTOCOL, BENCH_MAX_SEEDS, BENCH_MAX_STEPS, benchUrl, type BackendChoice, type BenchMode, type BenchParams } from "../routes";
import { navigate } from "../router";
import type { BackendAttempt, BenchCompareResult, BenchResult, FromWorker, TrainJob } from "../train/messages";
import { startTraining } from "../train/trainer";
import { BenchReplayPage } from "./bench-replay";
import { BenchSuite } from "./bench-suite";
import { benchmarksUrl } from "../benchmarks-url";

export const BENCH_PROTOCOL = BENCH_DEFAULT_PROTOCOL;
export const BENCH_SEED = 0;

type Finished = { readonly kind: "single"; readonly result: BenchResult } | { readonly kind: "compare"; readonly result: BenchCompareResult };
type Phase = Extract<FromWorker, { type: "bench-phase" }>;

type BenchState =
  | {
      readonly status: "running";
      readonly backend: string | null;
      readonly attempts: readonly BackendAttempt[];
      readonly step: number;
      readonly phase: Phase | null;
    }
  | { readonly status: "done"; readonly finished: Finished; readonly attempts: readonly BackendAttempt[] }
  | { readonly status: "error"; readonly error: SerializedError }
  | { readonly status: "cancelled" }
  /** A single measurement waiting for its Run button (nothing runs on arrival at plain /bench). */
  | { readonly status: "idle" };

/** Query keys that name a single measurement: a link with any of them runs it on arrival. */
const MEASUREMENT_KEYS = ["backend", "steps", "mode", "seeds", "protocol", "segments"];
const namesMeasurement = (): boolean => MEASUREMENT_KEYS.some((key) => new URLSearchParams(window.location.search).has(key));

const RUNNING: Extract<BenchState, { status: "running" }> = { status: "running", backend: null, attempts: [], step: 0, phase: null };

const jobOf = (params: BenchParams): TrainJob =>
  params.mode === "compare"
    ? { kind: "bench-compare", protocolId: BENCH_PROTOCOL, seeds: params.seeds, steps: params.steps }
    : { kind: "bench", protocolId: params.protocolId, seed: BENCH_SEED, steps: params.steps };

function runningText(state: Extract<BenchState, { status: "running" }>, params: BenchParams): string {
  if (!state.backend) return "Starting the backend…";
  const step = `step ${state.step} of ${params.steps}`;
  if (!state.phase) return `Running on ${state.backend}: ${step}…`;
  return state.phase.phase === "sequential"
    ? `Running on ${state.backend}, one seed at a time: seed ${state.phase.run} (${state.phase.run + 1} of ${state.phase.runs}), ${step}…`
    : `Running on ${state.backend}, all ${state.phase.runs} seeds batched: ${step}…`;
}

export function BenchPage({ params }: { readonly params: BenchParams }) {
  const linked = namesMeasurement();
  const [tools, setTools] = useState(linked);
  if (linked && params.mode === "replay") return <BenchReplayPage params={params} protocolId={BENCH_PROTOCOL} />;
  return (
    <div class="bench">
      <h1>Benchmark</h1>
      <p class="lede">
        Time GS Lab's computations on this browser's backends and add them to the <a href={benchmarksUrl()}>benchmark board</a>, next to other browsers and
        GPUs.
      </p>
      <BenchSuite />
      <h2>Single measurements</h2>
      {tools ? (
        <ThroughputBench params={params} autorun={linked} />
      ) : (
        <button type="button" data-testid="bench-tools" onClick={() => setTools(true)}>
          Show the single measurements (one run against the replay, seeds batched vs one at a time, replay tolerance)
        </button>
      )}
    </div>
  );
}

function ThroughputBench({ params, autorun }: { readonly params: BenchParams; readonly autorun: boolean }) {
  const [armed, setArmed] = useState(autorun);
  const [state, setState] = useState<BenchState>(autorun ? RUNNING : { status: "idle" });
  const [attempt, setAttempt] = useState(0);
  const [steps, setSteps] = useState(String(params.steps));
  const [seeds, setSeeds] = useState(String(params.seeds));
  // The selects keep what was picked across re-renders (typing a step count re-renders the form).
  const [backend, setBackend] = useState<BackendChoice>(params.backend);
  const [mode, setMode] = useState<BenchMode>(params.mode);

  useEffect(() => {
    if (!armed) return undefined;
    setState(RUNNING);
    let attempts: readonly BackendAttempt[] = [];
    const handle = startTraining(jobOf(params), params.backend, (message) => {
      if (message.type === "backend") {
        attempts = message.attempts;
        setState({ ...RUNNING, backend: message.backend, attempts });
      } else if (message.type === "progress") setState((s) => (s.status === "running" ? { ...s, step: message.step } : s));
      else if (message.type === "bench-phase") setState((s) => (s.status === "running" ? { ...s, phase: message, step: 0 } : s));
      else if (message.type === "bench-done") setState({ status: "done", finished: { kind: "single", result: message.result }, attempts });
      else if (message.type === "bench-compare-done") setState({ status: "done", finished: { kind: "compare", result: message.result }, attempts });
      else if (message.type === "error") setState({ status: "error", error: message.error });
      else if (message.type === "cancelled") setState({ status: "cancelled" });
    });
    return () => handle.dispose();
  }, [params.backend, params.steps, params.mode, params.seeds, attempt, armed]);

  const rerun = (backend: BackendChoice, mode: BenchMode): void => {
    const next: BenchParams = {
      ...params,
      backend,
      mode,
      steps: Math.max(1, Math.min(BENCH_MAX_STEPS, Number.parseInt(steps, 10) || params.steps)),
      seeds: Math.max(1, Math.min(BENCH_MAX_SEEDS, Number.parseInt(seeds, 10) || params.seeds)),
    };
    setArmed(true);
    if (benchUrl(next) === benchUrl(params)) setAttempt((a) => a + 1);
    else navigate(benchUrl(next), { replace: true });
  };

  return (
    <div class="bench-single">
      <p>
        {params.mode === "compare" ? (
          <>
            Trains <code>{BENCH_PROTOCOL}</code>, seeds 0 to {params.seeds - 1}, for {formatCount(params.steps)} steps each on the{" "}
            <strong>{params.backend}</strong> backend in a Web Worker: first one seed at a time, then all {params.seeds} together in one batched
            computation (each seed its own weights and data), and compares the throughput in run-steps per second.
          </>
        ) : (
          <>
            Trains <code>{params.protocolId}</code>, seed {BENCH_SEED}, for {formatCount(params.steps)} steps on the <strong>{params.backend}</strong>{" "}
            backend in a Web Worker, then compares the first losses with the server's float64 replay.
          </>
        )}
      </p>
      <form
        class="controls"
        onSubmit={(e) => {
          e.preventDefault();
          rerun(backend, mode);
        }}
      >
        <label>
          Backend
          <select name="backend" data-testid="backend-select" value={backend} onChange={(e) => setBackend(e.currentTarget.value as BackendChoice)} disabled={state.status === "running"}>
            {BACKEND_CHOICES.map((b) => (
              <option value={b} key={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label>
          Mode
          <select name="mode" data-testid="mode-select" value={mode} onChange={(e) => setMode(e.currentTarget.value as BenchMode)} disabled={state.status === "running"}>
            <option value="single">one run, checked against the replay</option>
            <option value="compare">seeds one at a time vs batched</option>
            <option value="replay">replay tolerance of trajectory checkpoints</option>
          </select>
        </label>
        <label>
          Steps
          <input
            type="number"
            min={1}
            max={BENCH_MAX_STEPS}
            value={steps}
            onInput={(e) => setSteps(e.currentTarget.value)}
            disabled={state.status === "running"}
          />
        </label>
        <label>
          Seeds <span class="muted">(compare mode)</span>
          <input
            type="number"
            min={1}
            max={BENCH_MAX_SEEDS}
            value={seeds}
            onInput={(e) => setSeeds(e.currentTarget.value)}
            disabled={state.status === "running"}
          />
        </label>
        <button type="submit" disabled={state.status === "running"}>
          Run
        </button>
      </form>

      <p data-testid="bench-status" data-status={state.status} role="status" aria-live="polite">
        {state.status === "running" && runningText(state, params)}
        {state.status === "done" && "Done."}
        {state.status === "cancelled" && "Cancelled."}
        {state.status === "idle" && "Choose a measurement and press Run."}
        {state.status === "error" && `${describeError(state.error).title} ${describeError(state.error).detail}`}
      </p>
      {state.status === "done" &&
        (state.finished.kind === "single" ? (
          <BenchReport result={state.finished.result} attempts={state.attempts} />
        ) : (
          <CompareReport result={state.finished.result} />
        ))}
    </div>
  );
}

function CompareReport({ result }: { readonly result: BenchCompareResult }) {
  return (
    <>
      <dl class="facts bench-results" data-testid="bench-compare-results">
        <dt>Backend used</dt>
        <dd data-testid="bench-backend">{result.backend}</dd>
        <dt>Seeds × steps</dt>
        <dd>
          {result.seeds} × {formatCount(result.steps)}
        </dd>
        <dt>One seed at a time</dt>
        <dd data-testid="bench-sequential-rps" data-value={result.sequentialRunStepsPerSecond}>
          {formatRate(result.sequentialRunStepsPerSecond)} run-steps/s ({formatDuration(result.sequentialMs)} in all)
        </dd>
        <dt>All seeds batched</dt>
        <dd data-testid="bench-batched-rps" data-value={result.batchedRunStepsPerSecond}>
          {formatRate(result.batchedRunStepsPerSecond)} run-steps/s ({formatDuration(result.batchedMs)} in all)
        </dd>
        <dt>Batched ÷ one at a time</dt>
        <dd data-testid="bench-batch-ratio" data-value={result.ratio}>
          <strong>{result.ratio.toFixed(2)}×</strong>
        </dd>
        <dt>Largest final-loss difference</dt>
        <dd data-testid="bench-loss-diff" data-value={result.maxFinalLossDiff}>
          {result.maxFinalLossDiff.toExponential(2)} (batched and one-at-a-time runs agree up to float rounding)
        </dd>
      </dl>
      <details>
        <summary>Raw result (JSON)</summary>
        <pre data-testid="bench-json">{JSON.stringify({ ...result, userAgent: navigator.userAgent }, null, 2)}</pre>
      </details>
    </>
  );
}

function BenchReport({ result, attempts }: { readonly result: BenchResult; readonly attempts: readonly BackendAttempt[] }) {
  return (
    <>
      <dl class="facts bench-results" data-testid="bench-results">
        <dt>Backend used</dt>
        <dd data-testid="bench-backend">{result.backend}</dd>
        <dt>Computed by</dt>
        <dd data-testid="bench-engine" data-value={result.engine}>
          {result.engine === "fused"
            ? "the fused two-moons kernel (one wasm SIMD call per step)"
            : result.engine === "fused-webgpu"
              ? "the fused two-moons kernel in WGSL (four dispatches per step, many steps per submission)"
              : `tfjs ops on ${result.backend}`}
        </dd>
        <dt>Adapter</dt>
        <dd data-testid="bench-adapter">{result.adapter ?? "—"}</dd>
        <dt>Steps</dt>
        <dd data-testid="bench-steps">{result.steps}</dd>
        <dt>Training time</dt>
        <dd data-testid="bench-elapsed-ms" data-value={result.elapsedMs}>
          {formatDuration(result.elapsedMs)}
        </dd>
        <dt>Steps per second</dt>
        <dd data-testid="bench-steps-per-second" data-value={result.stepsPerSecond}>
          {formatRate(result.stepsPerSecond)}
        </dd>
        <dt>Losses finite</dt>
        <dd data-testid="bench-finite">{result.allFinite ? "yes" : "no"}</dd>
        <dt>First {result.losses.length} losses match the replay</dt>
        <dd data-testid="bench-replay-match" class={result.replayMatches ? "ok" : "bad"}>
          {result.replayMatches ? "yes" : "no"}
        </dd>
        <dt>Max |tfjs − replay|</dt>
        <dd data-testid="bench-max-diff" data-value={result.maxAbsDiff}>
          {result.maxAbsDiff.toExponential(2)} (tolerance {result.tolerance.abs} + {result.tolerance.rel}·|loss|)
        </dd>
      </dl>
      {attempts.some((a) => !a.ok) && (
        <p class="muted">Backends passed over: {attempts.filter((a) => !a.ok).map((a) => `${a.backend} (${a.note})`).join("; ")}.</p>
      )}
      <div class="table-scroll">
        <table class="compact">
          <thead>
            <tr>
              <th scope="col" class="num">
                Step
              </th>
              <th scope="col" class="num">
                tfjs loss
              </th>
              <th scope="col" class="num">
                Replay (float64)
              </th>
              <th scope="col" class="num">
                |difference|
              </th>
            </tr>
          </thead>
          <tbody>
            {result.losses.map((loss, k) => (
              <tr key={k}>
                <td class="num">{k}</td>
                <td class="num">{loss.toPrecision(9)}</td>
                <td class="num">{result.replay[k]!.toPrecision(9)}</td>
                <td class="num">{Math.abs(loss - result.replay[k]!).toExponential(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>Raw result (JSON)</summary>
        <pre data-testid="bench-json">{JSON.stringify({ ...result, userAgent: navigator.userAgent }, null, 2)}</pre>
      </details>
    </>
  );
}
