// `npm run replay-peers`: a command-line peer for replay workunits (shared/metrics/peer-replay.ts) — the Replay
// page's work without a browser, e.g. on a GPU server with Node: asks a GS Lab server for drawn segments of other
// contributors' runs, trains each from the run's checkpoint on the chosen tfjs backend, sends back where it
// ended and prints the server's judgement. Needs a contributor key (GSLAB_CONTRIBUTOR_KEY) with earned standing:
// at least three accepted runs of protocols the server verifies in full itself (e.g. `npm run reproduce` of
// Fig. 1 with the same key), otherwise the server answers 403 and says so. Nobody replays their own run, a key
// holds one lease at a time (asking again returns it), and a replayer outvoted by other peers gets no more.
//
//   GSLAB_CONTRIBUTOR_KEY=... npm run replay-peers -- --server http://127.0.0.1:8787 [--count 3]
//       [--protocols fig3-longer,fig3-deeper,cmnist-erm-reduced] [--backend best|wasm|cpu|webgpu] [--progress]
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { ApiError, createApiClient } from "../shared/client/api-client";
import { runReplayWorkunit } from "../shared/client/run-replay";
import type { MnistPack } from "../shared/data/mnist-pack";
import { cliContributorKey, cliFetch, progressLines } from "./lib/cli";
import { loadCheckedMnistPack } from "./lib/cmnist-data";
import { selectNodeBackend } from "./lib/node-backend";

const { values: options } = parseArgs({
  options: {
    server: { type: "string" },
    count: { type: "string", default: "1" },
    protocols: { type: "string" },
    backend: { type: "string", default: "best" },
    progress: { type: "boolean", default: false },
  },
});

const fail = (message: string): never => {
  console.error(`replay-peers: ${message}`);
  process.exit(2);
};
if (!options.server) fail("--server URL is required (e.g. http://127.0.0.1:8787 for `npm run dev`).");
const contributorKey = cliContributorKey() ?? fail("set GSLAB_CONTRIBUTOR_KEY (43 base64url characters): replays need a contributor identity.");
const count = Number(options.count);
if (!Number.isInteger(count) || count < 1 || count > 1000) fail("--count must be a whole number from 1 to 1000.");

const backend = await selectNodeBackend(options.backend);
const api = createApiClient(options.server!.replace(/\/+$/, ""), cliFetch);
const protocolIds = options.protocols?.split(",").filter(Boolean);
const report = progressLines(options.progress);
console.log(`GS Lab peer replays · ${options.server} · backend ${backend} · up to ${count}`);

let pack: MnistPack | undefined;
let answered = 0;
let disagreements = 0;
for (let k = 0; k < count; k++) {
  let lease;
  try {
    lease = await api.leaseReplay({ contributorKey, ...(protocolIds ? { protocolIds } : {}) });
  } catch (error) {
    fail(error instanceof ApiError ? `${error.status} ${error.reason}: ${error.message}` : String(error));
  }
  if (!lease!.replay) {
    console.log(lease!.message);
    break;
  }
  const workunit = lease!.replay;
  console.log(`${workunit.protocolId} seed ${workunit.seed}: segment ${workunit.segment + 1}, steps ${workunit.from}–${workunit.to}`);
  const line = report(`segment ${workunit.segment + 1}`);
  const run = await runReplayWorkunit({
    api,
    workunit,
    // Colored MNIST: the pack built from the repository's MNIST files and checked against the manifest, once.
    loadMnistPack: async () => (pack ??= (await loadCheckedMnistPack()).pack),
    environment: { tfjsVersion: tf.version.tfjs, client: "cli", userAgent: `node ${process.version}` },
    // The trainer counts the run's steps; the line shows the segment's.
    onProgress: (progress) => line({ ...progress, step: progress.step - workunit.from, steps: workunit.to - workunit.from }),
  });
  if (process.stdout.isTTY) process.stdout.write("\n");
  const { outcome } = run;
  answered += 1;
  if (!outcome.agrees) disagreements += 1;
  const deviation = outcome.deviation === Number.MAX_VALUE ? "∞ (the run says the segment did not move)" : outcome.deviation.toExponential(2);
  console.log(`  ${outcome.agrees ? "agrees" : "DISAGREES"}: deviation ${deviation} (tolerance ${outcome.tolerance}); segment ${outcome.segmentOutcome}, run ${outcome.runStatus}; ${(run.trainMs / 1000).toFixed(1)} s on ${run.backend}`);
}
console.log(`${answered} replay${answered === 1 ? "" : "s"} answered, ${disagreements} disagreeing.`);
