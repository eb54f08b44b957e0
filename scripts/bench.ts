// `npm run bench`: the numbers behind GS Lab's performance claims, printed, never asserted.
//   batch     ten seeds one at a time versus batched into one computation (run-steps/s, wasm and cpu)
//   node      training steps/s of the 2-500-1 full-batch step on tfjs wasm and cpu in Node (and webgpu
//             through the `webgpu` package, Dawn, where it is installed and finds a GPU)
//   chromium  the same in headless Chromium (Debian's) through the app's /bench page: wasm, cpu, webgpu
//   torch     the authors' PyTorch step on this machine (Debian's python3-torch), when present
//   verify    CPU time of one server verification (the Worker's code, timed in Node's V8), with the trajectory
//             segments a new and a proven contributor get, one segment replay per kind of protocol, and for the
//             protocols peers replay, a submission's checks and the judging of one peer's answer
//   bundle    the Worker's bundle size (wrangler deploy --dry-run)
//   cmnist    ms per full-batch Colored-MNIST ERM step (50,000 images) on tfjs wasm, cpu, webgpu and in the
//             authors' PyTorch code, and the dataset bytes of a first and a repeat visit (scripts/bench/cmnist.ts),
//             then cmnist-verify
//   cmnist-verify  CPU time of one Colored-MNIST verification on a random subset and on the full sets
//             (scripts/bench/cmnist-verify.ts); also runs alone
//   trust-splice  the refusal rate, by the server's own checks, of a chain with one broken link, per family and
//             link position (scripts/bench/trust-splice.ts; --tries per position, default 100; --links all breaks
//             every link of the 10,000-step run, not five); runs alone
//   trust-cost  CPU of verifying the most expensive refused body against an honest one, per protocol
//             (scripts/bench/trust-cost.ts; --repeats, default 5); runs alone
//   board-scale  the leaderboard's reads at 100, 10,000 and 100,000 stored runs (--sizes to choose; seeded once into
//             .scale-state/<runs> by scripts/seed-runs.ts, --reseed writes them again): p50 / p99 latency, response
//             bytes and D1 rows read per request kind, as a table (scripts/bench/board-scale.ts); runs alone
//   compare   GS Lab against the authors' PyTorch loop, measured interleaved in one run (A, B, A, B, …; --repeats,
//             default 5): the 2-500-1 step for 1 lane and 10 lanes (PyTorch 1 thread and all; one lane also in headless
//             Chromium's /bench page on wasm unless --skip-chromium: it builds and serves the app), the Fig. 1 workload
//             (10 seeds × 2 margins × 1,000 steps, training only), the Colored-MNIST ERM step (--skip-cmnist leaves it
//             out: ≈2 s a step on wasm), and the Worker's verification CPU per protocol kind; median / min / max of each
//             side and the speed ratio GS Lab ÷ PyTorch (> 1× GS Lab faster). --json: the last line is one JSON object,
//             a key per row. GSLAB_PYTHON picks the Python (default /usr/bin/python3); runs alone (scripts/bench/compare.ts)
// Usage: npm run bench [-- node,batch,chromium,torch,verify,bundle,cmnist,cmnist-verify,trust-splice,trust-cost,compare,board-scale] [--steps 500] [--tries 100]
//        [--repeats 5] [--json] [--skip-cmnist] [--skip-chromium] [--sizes 100,10000,100000] [--requests 50] [--reseed]
import { parseArgs } from "node:util";
import { encodeFloat32 } from "../shared/nn/float32-codec";
import { verifySubmission } from "../shared/metrics/verify-run";
import { peerDeviation, serverArbitrates } from "../shared/metrics/peer-replay";
import { checkpointLayout, segmentEnds } from "../shared/metrics/trajectory";
import { placeholderRun } from "../shared/testing/placeholder-run";
import { replaySegment } from "../shared/metrics/replay";
import { moonsProtocol } from "../shared/protocols/registry";
import { twoMoonsFamily } from "../shared/protocols/two-moons-family";
import { benchBoardScale, scaleTable } from "./bench/board-scale";
import { benchChromium } from "./bench/chromium";
import { benchCmnist } from "./bench/cmnist";
import { benchCmnistVerify } from "./bench/cmnist-verify";
import { benchCompare } from "./bench/compare";
import { positiveInteger } from "./bench/compare-stats";
import { runStepsPerSecond, seedLanes, stepProtocol, warmUp } from "./bench/moons-steps";
import { benchTorch } from "./bench/torch";
import { benchTrustCost } from "./bench/trust-cost";
import { benchTrustSplice, longRunLinks } from "./bench/trust-splice";
import { workerBundleSize } from "./bench/bundle";
import { useNodeBackend } from "./lib/node-backend";
import { fig1Submission, firstSegmentReplay, verifyFig1 } from "./bench/verify-work";

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    steps: { type: "string", default: "500" },
    tries: { type: "string", default: "100" },
    links: { type: "string" },
    repeats: { type: "string", default: "5" },
    json: { type: "boolean", default: false },
    "skip-cmnist": { type: "boolean", default: false },
    "skip-chromium": { type: "boolean", default: false },
    sizes: { type: "string", default: "100,10000,100000" },
    requests: { type: "string", default: "50" },
    reseed: { type: "boolean", default: false },
  },
});
const sections = new Set((positionals[0] ?? "node,batch,chromium,torch,verify,bundle,cmnist").split(","));
const steps = positiveInteger(options.steps, "steps");
const protocol = stepProtocol;
const family = twoMoonsFamily;
const data = family.dataset(protocol, 0);
const initialWeights = family.initialWeights(protocol, 0);
const report = (label: string, value: string): void => console.log(`${label.padEnd(58)} ${value}`);

console.log(`GS Lab benchmark · ${new Date().toISOString()} · Node ${process.version} · ${(await import("node:os")).cpus().length} cores\n`);

if (sections.has("node")) {
  for (const backend of ["wasm", "cpu", "webgpu"] as const) {
    try {
      await useNodeBackend(backend);
    } catch (error) {
      report(`node · tfjs ${backend}`, `unavailable (${(error as Error).message})`);
      continue;
    }
    const n = backend === "cpu" ? Math.max(20, Math.round(steps / 10)) : steps;
    const lane = seedLanes(1);
    await warmUp(lane);
    report(`node · tfjs ${backend} · 2-500-1 full-batch step (${n} steps)`, `${(await runStepsPerSecond(lane, n, "batched")).toFixed(1)} steps/s`);
  }
}

if (sections.has("batch")) {
  // Ten seeds of the 2-500-1 net: one run after another versus one batched computation (trainBatch).
  const lanes = seedLanes(10);
  for (const backend of ["wasm", "cpu"] as const) {
    await useNodeBackend(backend);
    const n = backend === "cpu" ? Math.max(10, Math.round(steps / 25)) : Math.round(steps / 2);
    await warmUp(lanes, 5);
    const sequential = await runStepsPerSecond(lanes, n, "sequential");
    const batched = await runStepsPerSecond(lanes, n, "batched");
    report(`node · tfjs ${backend} · 10 seeds one at a time (${n} steps each)`, `${sequential.toFixed(1)} run-steps/s`);
    report(`node · tfjs ${backend} · 10 seeds batched`, `${batched.toFixed(1)} run-steps/s (${(batched / sequential).toFixed(1)}×)`);
  }
}

if (sections.has("chromium")) {
  const chromium = await benchChromium(steps);
  for (const { backend, stepsPerSecond, note } of chromium.single) {
    report(`chromium headless · tfjs ${backend} (${note})`, stepsPerSecond === null ? "unavailable" : `${stepsPerSecond.toFixed(1)} steps/s`);
  }
  for (const { backend, sequentialRunStepsPerSecond: one, batchedRunStepsPerSecond: many } of chromium.batched) {
    if (one === null || many === null) report(`chromium headless · tfjs ${backend} · 10 seeds`, "unavailable");
    else report(`chromium headless · tfjs ${backend} · 10 seeds one at a time / batched`, `${one.toFixed(1)} / ${many.toFixed(1)} run-steps/s (${(many / one).toFixed(1)}×)`);
  }
}

if (sections.has("torch")) {
  const torch = await benchTorch(steps);
  if (torch) {
    report(`pytorch ${torch.torch} · authors' step · 1 thread`, `${torch.steps_per_second_1_thread.toFixed(1)} steps/s`);
    report(`pytorch ${torch.torch} · authors' step · ${torch.threads_all} threads`, `${torch.steps_per_second_all_threads.toFixed(1)} steps/s`);
  } else report("pytorch", "not installed (apt-get install python3-torch python3-sklearn)");
}

if (sections.has("verify")) {
  await useNodeBackend("wasm");
  const submission = await fig1Submission();
  const { meta } = submission;
  const segmentTotal = submission.segments.length;
  {
    const times: number[] = [];
    for (let k = 0; k < 3; k++) {
      const start = performance.now();
      verifyFig1(submission);
      times.push(performance.now() - start);
    }
    const warm = times.slice(1).sort((a, b) => a - b);
    report(`verify · one fig1 submission, any contributor (all ${segmentTotal} of ${segmentTotal} segments), cold`, `${times[0]!.toFixed(0)} ms CPU`);
    report(`verify · same, warm (best of 2)`, `${warm[0]!.toFixed(0)} ms CPU`);
  }
  let start = performance.now();
  family.replayLosses(protocol, data, 0, protocol.evidence.replaySteps);
  report("verify · of which the 20-step replay", `${(performance.now() - start).toFixed(0)} ms CPU`);
  start = performance.now();
  replaySegment(protocol, data, 0, { step: 0, weights: initialWeights, optimizerState: null }, protocol.evidence.checkpointEvery!);
  report(`verify · one fig1 segment replay (${protocol.evidence.checkpointEvery} steps)`, `${(performance.now() - start).toFixed(0)} ms CPU`);
  for (const id of ["fig2-margin-pos", "fig3-batchnorm"]) {
    const segment = firstSegmentReplay(id);
    start = performance.now();
    segment.replay();
    report(`verify · one ${id} segment replay (${segment.protocol.evidence.checkpointEvery} steps)`, `${(performance.now() - start).toFixed(0)} ms CPU`);
  }
  // Protocols whose segments peers replay: the server's own checks of a submission (no segment replayed), and
  // its judgement of one peer's answer (a distance between two states, read from R2 in the Worker).
  for (const id of ["fig3-longer", "fig3-deeper"]) {
    const peer = moonsProtocol(id);
    const run = placeholderRun(peer, 0, meta.environment);
    const layout = checkpointLayout(peer)!;
    start = performance.now();
    const verdict = verifySubmission({ protocol: peer, seed: 0 }, { ...run.meta, token: meta.token }, encodeFloat32(run.weights), { trajectory: { checkpoints: run.checkpoints, segments: [0] } });
    if (verdict.status !== "accepted") throw new Error(`benchmark run rejected: ${verdict.message}`);
    report(`verify · one ${id} submission (${layout.steps.length} checkpoint loss${layout.steps.length === 1 ? "" : "es"} checked; segments left to peers)`, `${(performance.now() - start).toFixed(0)} ms CPU`);
    const { start: from, end, to } = segmentEnds(peer, { initialWeights: run.initialWeights, checkpoints: run.checkpoints, finalWeights: run.weights }, layout.steps.length);
    const answer = { weights: run.weights, optimizerState: new Float32Array(layout.optimizerState) };
    start = performance.now();
    peerDeviation(peer, from, answer, end, to);
    report(`verify · judging one peer's answer for ${id} (${layout.size.toLocaleString("en-US")} values)`, `${(performance.now() - start).toFixed(1)} ms CPU`);
    if (serverArbitrates(peer)) {
      // A dispute the Worker settles itself: one whole segment replayed in float64 (worker/peer-replays.ts answerReplay).
      start = performance.now();
      replaySegment(peer, family.dataset(peer, 0), 0, { step: 0, weights: run.initialWeights, optimizerState: null }, peer.evidence.checkpointEvery!);
      report(`verify · settling a disputed ${id} segment (the server's own replay of ${peer.evidence.checkpointEvery!.toLocaleString("en-US")} steps)`, `${(performance.now() - start).toFixed(0)} ms CPU`);
    }
  }
}

if (sections.has("bundle")) {
  const bundle = await workerBundleSize();
  report("worker bundle (wrangler deploy --dry-run, minified)", `${(bundle.bytes / 1024).toFixed(0)} KiB, ${(bundle.gzipBytes / 1024).toFixed(0)} KiB gzip`);
}

if (sections.has("cmnist")) await benchCmnist(report);
if (sections.has("cmnist") || sections.has("cmnist-verify")) await benchCmnistVerify(report);
if (sections.has("trust-splice")) await benchTrustSplice(report, Number(options.tries), longRunLinks(options.links));
if (sections.has("trust-cost")) await benchTrustCost(report, Number(options.repeats));
if (sections.has("compare")) await benchCompare({ repeats: positiveInteger(options.repeats, "repeats"), steps, json: options.json, skipCmnist: options["skip-cmnist"], chromium: !options["skip-chromium"] });
if (sections.has("board-scale")) {
  const rows = await benchBoardScale({
    sizes: options.sizes.split(",").map((s) => positiveInteger(s, "sizes")),
    requests: positiveInteger(options.requests, "requests"),
    reseed: options.reseed,
    port: 8791,
  });
  console.log(`\n${scaleTable(rows)}`);
}
