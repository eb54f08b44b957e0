// The training Web Worker: picks the tfjs backend (none for the toy model, plain float64 arithmetic), runs
// one job (workunit, practice run, estimate or benchmark) off the page's main thread, streams progress and
// live grids, pauses and resumes between steps when asked, and stops when the page sends "cancel".
import { createPauseSwitch } from "../../../shared/nn/step-loop";
import { TrainingCancelled } from "../../../shared/nn/train";
import { serializeError } from "../errors";
import { selectBackend, type BackendSelection } from "./backend-choice";
import { needsTfjs, runJob } from "./jobs";
import type { FromWorker, ToWorker } from "./messages";
import { loadMoonsKernel } from "./moons-kernel-web";
import { browserBackendDriver } from "./tfjs-backends";

/** What the toy model "runs on": this worker's JavaScript, no tfjs backend. */
const PLAIN_CPU: BackendSelection = { backend: "cpu", adapter: null, attempts: [{ backend: "cpu", ok: true, note: "plain float64 JavaScript, no tfjs" }] };

const controller = new AbortController();
const pause = createPauseSwitch();
let started = false;

const post = (message: FromWorker, transfer: Transferable[] = []): void => self.postMessage(message, { transfer });

async function start(message: Extract<ToWorker, { type: "start" }>): Promise<void> {
  try {
    const tfjs = needsTfjs(message.job);
    const [selection] = await Promise.all([tfjs ? selectBackend(message.backend, browserBackendDriver) : PLAIN_CPU, tfjs ? loadMoonsKernel() : false]);
    post({ type: "backend", backend: selection.backend, adapter: selection.adapter, attempts: selection.attempts });
    await runJob({ post, signal: controller.signal, pause, origin: message.origin, selection }, message.job);
  } catch (error) {
    if (error instanceof TrainingCancelled || controller.signal.aborted) post({ type: "cancelled" });
    else post({ type: "error", error: serializeError(error) });
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "cancel") controller.abort();
  else if (message.type === "pause") pause.pause();
  else if (message.type === "resume") pause.resume();
  else if (message.type === "start" && !started) {
    started = true;
    void start(message);
  }
};
