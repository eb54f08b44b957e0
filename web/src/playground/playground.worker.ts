// The playground's Web Worker: picks the tfjs backend, runs one interactive session (play, pause, step),
// and answers snapshot requests with the current weights and loss history for "Save & share".
import { serializeError } from "../errors";
import { selectBackend } from "../train/backend-choice";
import { browserBackendDriver } from "../train/tfjs-backends";
import type { FromPlayground, PlaygroundCommand, ToPlayground } from "./playground-messages";
import { createPlaygroundSession, type PlaygroundSession } from "./session";

let started = false;
let session: PlaygroundSession | null = null;
/** Commands that arrive while the backend starts; the last one decides how the session begins. */
let queued: PlaygroundCommand | null = null;

const post = (message: FromPlayground, transfer: Transferable[] = []): void => self.postMessage(message, { transfer });

async function start(message: Extract<ToPlayground, { type: "start" }>): Promise<void> {
  try {
    const selection = await selectBackend(message.backend, browserBackendDriver);
    post({ type: "backend", backend: selection.backend, adapter: selection.adapter, attempts: selection.attempts });
    session = createPlaygroundSession(message.params, message.maxSteps, post);
    if (queued) session.control(queued);
    await session.run();
  } catch (error) {
    post({ type: "error", error: serializeError(error) });
  }
}

self.onmessage = (event: MessageEvent<ToPlayground>) => {
  const message = event.data;
  if (message.type === "start") {
    if (!started) {
      started = true;
      void start(message);
    }
  } else if (message.type === "snapshot") {
    session?.snapshot().then(
      (snapshot) => post(snapshot, [snapshot.weights.buffer]),
      (error: unknown) => post({ type: "error", error: serializeError(error) }),
    );
  } else if (session) session.control(message);
  else queued = message;
};
