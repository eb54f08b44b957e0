// The standard benchmark suite on /bench, run only when asked: for each chosen backend a benchmark workunit
// (server seed and token), then the two-moons step (1 lane, 10 lanes batched) and the matmul probe in the
// training worker, with progress and cancel; the results as a table with units, then submitted to the board.
import { useRef, useState } from "preact/hooks";
import { BACKENDS, type Backend } from "../../../shared/api";
import { BENCH_ITEM_INFO, BENCH_ITEMS, type BenchItem, type BenchSubmission, type BenchWorkunit } from "../../../shared/bench-api";
import { gpuVendorOf } from "../../../shared/environment-facets";
import { benchValues } from "../../../shared/metrics/benchmark-check";
import { benchClient } from "../bench-client";
import { describeError } from "../errors";
import { formatRate } from "../format";
import type { SuiteRun } from "../train/messages";
import { startTraining, type TrainingHandle } from "../train/trainer";
import { benchmarkUrl } from "../benchmarks-url";

/** One backend's outcome: its run, or why it has none; after submission, the board's answer. */
interface BackendOutcome {
  readonly backend: Backend;
  readonly workunit: BenchWorkunit | null;
  readonly run: SuiteRun | null;
  readonly note: string | null;
  readonly submitted?: { readonly id: string } | { readonly refused: string };
}

interface Progress {
  readonly backendIndex: number;
  readonly backends: number;
  readonly backend: Backend;
  readonly item: BenchItem | null;
  readonly itemIndex: number;
  readonly step: number;
  readonly steps: number;
}

type SuiteState =
  | { readonly status: "idle" }
  | { readonly status: "running"; readonly progress: Progress; readonly outcomes: readonly BackendOutcome[] }
  | { readonly status: "done" | "cancelled"; readonly outcomes: readonly BackendOutcome[] }
  | { readonly status: "submitting" | "submitted"; readonly outcomes: readonly BackendOutcome[] };

/**
 * Runs the suite on one backend in a fresh training worker; resolves with its run, or null with a note. With
 * `skipSoftware`, a GPU backend that turns out to be software emulation (SwiftShader, a fallback adapter: far slower
 * than wasm) is stopped as soon as the worker names its adapter.
 */
function runOnBackend(
  workunit: BenchWorkunit,
  backend: Backend,
  skipSoftware: boolean,
  onProgress: (update: Partial<Progress>) => void,
  started: (handle: TrainingHandle) => void,
): Promise<{ run: SuiteRun | null; note: string | null; cancelled: boolean }> {
  return new Promise((done) => {
    let settled = false;
    // Once settled, the worker's later messages (it may still be finishing a step) must not touch the page's state.
    const resolve = (outcome: { run: SuiteRun | null; note: string | null; cancelled: boolean }): void => {
      settled = true;
      done(outcome);
    };
    const handle = startTraining({ kind: "bench-suite", workunit }, backend, (message) => {
      if (settled) return;
      if (message.type === "backend" && skipSoftware && gpuVendorOf(backend, message.adapter) === "software") {
        handle.dispose();
        resolve({ run: null, note: `skipped: ${message.adapter ?? "this adapter"} is software emulation, slower than wasm (tick “include software-emulated GPUs” to time it)`, cancelled: false });
      } else if (message.type === "bench-suite-item") onProgress({ item: message.item, itemIndex: message.index, step: 0 });
      else if (message.type === "progress") onProgress({ step: message.step, steps: message.steps });
      else if (message.type === "bench-suite-done") resolve({ run: message.run, note: null, cancelled: false });
      else if (message.type === "cancelled") resolve({ run: null, note: "cancelled", cancelled: true });
      else if (message.type === "error") {
        const { title, detail } = describeError(message.error);
        resolve({ run: null, note: `${title} ${detail}`.trim(), cancelled: false });
      }
    });
    started(handle);
  });
}

function progressText(p: Progress): string {
  const item = p.item ? `item ${p.itemIndex + 1} of ${BENCH_ITEMS.length}: ${BENCH_ITEM_INFO[p.item].label}` : "starting the backend";
  const step = (p.item === "moons-1" || p.item === "moons-10") && p.steps > 0 ? `, step ${p.step} of ${p.steps}` : "";
  return `Backend ${p.backendIndex + 1} of ${p.backends}: ${p.backend} — ${item}${step}…`;
}

const submissionOf = (outcome: BackendOutcome): BenchSubmission => {
  const { workunit, run } = outcome;
  return {
    workunitId: workunit!.id,
    token: workunit!.token,
    environment: {
      backend: outcome.backend,
      tfjsVersion: run!.tfjsVersion.slice(0, 32),
      client: "web",
      ...(run!.adapter ? { adapter: run!.adapter.slice(0, 200) } : {}),
      userAgent: navigator.userAgent.slice(0, 400),
    },
    moons1: run!.moons1,
    moons10: run!.moons10,
    cmnist: run!.cmnist,
    matmul: run!.matmul,
  };
};

const formatItem = (item: BenchItem, value: number): string => (item === "matmul" ? value.toPrecision(3) : formatRate(value));

export function BenchSuite() {
  const [chosen, setChosen] = useState<ReadonlySet<Backend>>(new Set(BACKENDS));
  const [software, setSoftware] = useState(false);
  const [state, setState] = useState<SuiteState>({ status: "idle" });
  const handle = useRef<TrainingHandle | null>(null);
  const cancelled = useRef(false);

  const start = async (): Promise<void> => {
    const backends = BACKENDS.filter((b) => chosen.has(b));
    cancelled.current = false;
    const outcomes: BackendOutcome[] = [];
    for (const [backendIndex, backend] of backends.entries()) {
      let progress: Progress = { backendIndex, backends: backends.length, backend, item: null, itemIndex: 0, step: 0, steps: 0 };
      setState({ status: "running", progress, outcomes: [...outcomes] });
      if (cancelled.current) {
        setState({ status: "cancelled", outcomes });
        return;
      }
      let workunit: BenchWorkunit;
      try {
        workunit = await benchClient.workunit();
      } catch (error) {
        outcomes.push({ backend, workunit: null, run: null, note: describeError(error).detail || String(error) });
        continue;
      }
      const { run, note, cancelled: stopped } = await runOnBackend(
        workunit,
        backend,
        !software,
        (update) => {
          progress = { ...progress, ...update };
          setState({ status: "running", progress, outcomes: [...outcomes] });
        },
        (h) => {
          handle.current = h;
          // Cancel pressed while the workunit was being fetched: stop the worker as soon as it exists.
          if (cancelled.current) h.cancel();
        },
      );
      handle.current = null;
      if (stopped || cancelled.current) {
        setState({ status: "cancelled", outcomes });
        return;
      }
      outcomes.push({ backend, workunit, run, note });
    }
    setState({ status: "done", outcomes });
  };

  const cancel = (): void => {
    cancelled.current = true;
    handle.current?.cancel();
  };

  const submit = async (outcomes: readonly BackendOutcome[]): Promise<void> => {
    setState({ status: "submitting", outcomes });
    const answered: BackendOutcome[] = [];
    for (const outcome of outcomes) {
      if (!outcome.run || !outcome.workunit) {
        answered.push(outcome);
        continue;
      }
      try {
        const { id } = await benchClient.submit(submissionOf(outcome));
        answered.push({ ...outcome, submitted: { id } });
      } catch (error) {
        answered.push({ ...outcome, submitted: { refused: error instanceof Error ? error.message : String(error) } });
      }
    }
    setState({ status: "submitted", outcomes: answered });
  };

  const running = state.status === "running" || state.status === "submitting";
  const outcomes = state.status === "idle" ? [] : state.outcomes;
  const submittable = (state.status === "done" || state.status === "cancelled") && outcomes.some((o) => o.run);

  return (
    <section class="bench-suite" aria-labelledby="bench-suite-title">
      <h2 id="bench-suite-title">Standard suite</h2>
      <p>
        On each backend you pick, in a Web Worker: the two-moons 2-500-1 full-batch step for one lane and for ten lanes batched into one computation, two
        full-batch steps of the Colored-MNIST ERM network on a reduced set of 2 × 250 images (the MNIST pack, 11.8 MB, is downloaded once and kept), then a
        tfjs <code>matMul</code> of two 1,024 × 1,024 float32 matrices (2.1 GFLOP, timed with the backend synced, median of 3). The server hands out the seed
        first and, when you submit, replays the end states in float64 and recomputes rows of the product before the result counts. Nothing runs until you
        press Start.
      </p>
      <fieldset class="bench-backends" disabled={running}>
        <legend>Backends</legend>
        {BACKENDS.map((backend) => (
          <label key={backend}>
            <input
              type="checkbox"
              name="suite-backend"
              value={backend}
              data-testid={`suite-backend-${backend}`}
              checked={chosen.has(backend)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.currentTarget.checked) next.add(backend);
                else next.delete(backend);
                setChosen(next);
              }}
            />{" "}
            {backend}
          </label>
        ))}
        <label>
          <input type="checkbox" data-testid="suite-software" checked={software} onChange={(e) => setSoftware(e.currentTarget.checked)} /> include software-emulated GPUs
          (slow)
        </label>
      </fieldset>
      <div class="bench-suite-actions">
        <button type="button" data-testid="suite-start" disabled={running || chosen.size === 0} onClick={() => void start()}>
          Start
        </button>
        {state.status === "running" && (
          <button type="button" data-testid="suite-cancel" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      <p data-testid="suite-status" data-status={state.status} role="status" aria-live="polite">
        {state.status === "idle" && "Not started."}
        {state.status === "running" && progressText(state.progress)}
        {state.status === "done" && "Done: check the table, then submit it to the benchmark board."}
        {state.status === "cancelled" && "Cancelled; the backends that finished can still be submitted."}
        {state.status === "submitting" && "Submitting…"}
        {state.status === "submitted" && "Submitted; each backend's answer is in the table."}
      </p>
      {outcomes.length > 0 && <SuiteTable outcomes={outcomes} />}
      {submittable && (
        <button type="button" data-testid="suite-submit" onClick={() => void submit(outcomes)}>
          Submit to the benchmark board
        </button>
      )}
    </section>
  );
}

function SuiteTable({ outcomes }: { readonly outcomes: readonly BackendOutcome[] }) {
  return (
    <div class="table-scroll">
      <table class="compact" data-testid="suite-results">
        <thead>
          <tr>
            <th scope="col">Backend</th>
            <th scope="col">Adapter</th>
            {BENCH_ITEMS.map((item) => (
              <th scope="col" class="num" key={item}>
                {BENCH_ITEM_INFO[item].label} ({BENCH_ITEM_INFO[item].unit})
              </th>
            ))}
            <th scope="col">Board</th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((outcome) => {
            const values = outcome.run && outcome.workunit ? benchValues(outcome.workunit, outcome.run) : null;
            return (
              <tr key={outcome.backend} data-testid={`suite-row-${outcome.backend}`}>
                <th scope="row">{outcome.backend}</th>
                <td class="wrap">{outcome.run?.adapter ?? "—"}</td>
                {values ? (
                  BENCH_ITEMS.map((item) => (
                    <td class="num" key={item} data-testid={`suite-${outcome.backend}-${item}`} data-value={values[item]}>
                      {formatItem(item, values[item])}
                    </td>
                  ))
                ) : (
                  <td colSpan={BENCH_ITEMS.length} class="muted wrap">
                    not run: {outcome.note}
                  </td>
                )}
                <td class="wrap" data-testid={`suite-board-${outcome.backend}`}>
                  {outcome.submitted && "id" in outcome.submitted ? (
                    <a href={benchmarkUrl(outcome.submitted.id)}>accepted: its page</a>
                  ) : outcome.submitted ? (
                    <span class="bad">refused: {outcome.submitted.refused}</span>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
