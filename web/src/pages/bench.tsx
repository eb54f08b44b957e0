// The benchmark page (/bench?backend=&steps=): trains fig1-margin-pos seed 0 for a number of steps on one
// backend in the training worker, and reports steps/s and whether the first losses match the server's
// float64 replay. Results carry data-testid attributes for scripts (and a JSON dump).
import { useEffect, useState } from "preact/hooks";
import { describeError, type SerializedError } from "../errors";
import { formatCount, formatDuration, formatRate } from "../format";
import { BACKEND_CHOICES, benchUrl, type BackendChoice, type BenchParams } from "../routes";
import { navigate } from "../router";
import type { BackendAttempt, BenchResult } from "../train/messages";
import { startTraining } from "../train/trainer";

export const BENCH_PROTOCOL = "fig1-margin-pos";
export const BENCH_SEED = 0;

type BenchState =
  | { readonly status: "running"; readonly backend: string | null; readonly attempts: readonly BackendAttempt[]; readonly step: number }
  | { readonly status: "done"; readonly result: BenchResult; readonly attempts: readonly BackendAttempt[] }
  | { readonly status: "error"; readonly error: SerializedError }
  | { readonly status: "cancelled" };

export function BenchPage({ params }: { readonly params: BenchParams }) {
  const [state, setState] = useState<BenchState>({ status: "running", backend: null, attempts: [], step: 0 });
  const [attempt, setAttempt] = useState(0);
  const [steps, setSteps] = useState(String(params.steps));

  useEffect(() => {
    setState({ status: "running", backend: null, attempts: [], step: 0 });
    let attempts: readonly BackendAttempt[] = [];
    const handle = startTraining({ kind: "bench", protocolId: BENCH_PROTOCOL, seed: BENCH_SEED, steps: params.steps }, params.backend, (message) => {
      if (message.type === "backend") {
        attempts = message.attempts;
        setState({ status: "running", backend: message.backend, attempts, step: 0 });
      } else if (message.type === "progress") setState((s) => (s.status === "running" ? { ...s, step: message.step } : s));
      else if (message.type === "bench-done") setState({ status: "done", result: message.result, attempts });
      else if (message.type === "error") setState({ status: "error", error: message.error });
      else if (message.type === "cancelled") setState({ status: "cancelled" });
    });
    return () => handle.dispose();
  }, [params.backend, params.steps, attempt]);

  const rerun = (backend: BackendChoice): void => {
    const n = Math.max(1, Math.min(100_000, Number.parseInt(steps, 10) || params.steps));
    if (backend === params.backend && n === params.steps) setAttempt((a) => a + 1);
    else navigate(benchUrl({ backend, steps: n }), { replace: true });
  };

  return (
    <div class="bench">
      <h1>Benchmark</h1>
      <p class="lede">
        Trains <code>{BENCH_PROTOCOL}</code>, seed {BENCH_SEED}, for {formatCount(params.steps)} steps on the <strong>{params.backend}</strong> backend
        in a Web Worker, then compares the first losses with the server's float64 replay.
      </p>
      <form
        class="controls"
        onSubmit={(e) => {
          e.preventDefault();
          rerun((e.currentTarget.elements.namedItem("backend") as HTMLSelectElement).value as BackendChoice);
        }}
      >
        <label>
          Backend
          <select name="backend" data-testid="backend-select" value={params.backend} disabled={state.status === "running"}>
            {BACKEND_CHOICES.map((b) => (
              <option value={b} key={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label>
          Steps
          <input type="number" min={1} max={100000} value={steps} onInput={(e) => setSteps(e.currentTarget.value)} disabled={state.status === "running"} />
        </label>
        <button type="submit" disabled={state.status === "running"}>
          Run
        </button>
      </form>

      <p data-testid="bench-status" data-status={state.status} role="status" aria-live="polite">
        {state.status === "running" &&
          (state.backend ? `Running on ${state.backend}: step ${state.step} of ${params.steps}…` : "Starting the backend…")}
        {state.status === "done" && "Done."}
        {state.status === "cancelled" && "Cancelled."}
        {state.status === "error" && `${describeError(state.error).title} ${describeError(state.error).detail}`}
      </p>
      {state.status === "done" && <BenchReport result={state.result} attempts={state.attempts} />}
    </div>
  );
}

function BenchReport({ result, attempts }: { readonly result: BenchResult; readonly attempts: readonly BackendAttempt[] }) {
  return (
    <>
      <dl class="facts bench-results" data-testid="bench-results">
        <dt>Backend used</dt>
        <dd data-testid="bench-backend">{result.backend}</dd>
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
