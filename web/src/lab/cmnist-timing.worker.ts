// Why: runs the Colored-MNIST timing (cmnist-timing.ts) in a worker of its own, on the backend the Lab would
// train on, so the page stays responsive and the timing's tfjs memory goes when the worker ends.
import { serializeError } from "../errors";
import type { BackendChoice } from "../routes";
import { selectBackend } from "../train/backend-choice";
import { cmnistChunkSize } from "../../../shared/nn/cmnist-chunk";
import { browserBackendDriver } from "../train/tfjs-backends";
import { findProtocol } from "../../../shared/protocols/registry";
import { timeCmnistSteps } from "./cmnist-timing";
import type { TimingMessage } from "./timing-messages";

export interface TimingRequest {
  readonly protocolId: string;
  readonly backend: BackendChoice;
}

const post = (message: TimingMessage): void => self.postMessage(message);

self.onmessage = async (event: MessageEvent<TimingRequest>) => {
  const { protocolId, backend } = event.data;
  try {
    const protocol = findProtocol(protocolId);
    if (!protocol || protocol.family !== "colored-mnist") throw new Error(`${protocolId} is not a Colored-MNIST protocol this client knows; reload the page.`);
    const selection = await selectBackend(backend, browserBackendDriver);
    const timing = await timeCmnistSteps(protocol, cmnistChunkSize(selection.backend), (step, steps) => post({ type: "step", step, steps }));
    post({ type: "estimate-done", result: { protocolId, backend: selection.backend, ...timing } });
  } catch (error) {
    post({ type: "error", error: serializeError(error) });
  }
};
