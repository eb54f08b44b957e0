// `npm run replay-tolerance`: measures how far honest runs' trajectory checkpoints are from a replay of the
// same segment — the numbers behind TRAJECTORY_TOLERANCE (shared/metrics/trajectory.ts). For each backend
// (wasm, cpu in Node), protocol and seed it trains a full run, replays its segments in float64 (the Worker's
// check) and in float32 on every other backend (a replay on another contributor's machine), and prints the
// median, p99 and largest deviation per backend pair, with how many honest segment replays the tolerance would
// reject (target 0). The browser backends (wasm, cpu, and WebGL, WebGPU on SwiftShader) are measured by
// `--chromium` through the app's /bench?mode=replay page in Debian's headless Chromium: fig1-margin-pos runs
// of the same seeds trained on the browser's wasm, a few of their segments (--chromium-segments) replayed on
// each browser backend; those measurements join the table as "chromium/<backend>".
// `--peers` measures PEER_TOLERANCE's side instead (shared/metrics/peer-replay.ts): for the protocols whose
// segments peers replay (fig3-longer, fig3-deeper) it trains an honest run on --train-backend (wasm), replays a
// few of its segments (--peer-segments, spread over the run) from the run's own start of each on every
// --backends backend, and prints per pair the float32↔float32 deviation peerDeviation computes, with how many
// exceed PEER_TOLERANCE — beside forged answers for the same segments (the start sent back unchanged; the
// segment trained with a 50 % larger learning rate). It times a short dry run on each backend first and prints
// the estimates; a run whose whole training would exceed --max-train-min is trained as a prefix (its first
// segments, same checkpointEvery), and the --proxy protocols (default fig3-deeper, ~1.4 GFLOP a step) as a
// small proxy (same network and recipe, --proxy-steps steps, a checkpoint every --proxy-every): both are
// labelled as such in the output.
// Usage: npm run replay-tolerance [-- --protocols fig1-margin-pos,fig1-margin-neg] [--seeds 0-4] [--backends wasm,cpu]
//        [--tfjs-segments 2] [--chromium [--chromium-segments 1,8]] [--json out.json]
//        (--backends "" with --chromium: the browser only)
//        npm run replay-tolerance -- --peers [--protocols fig3-longer,fig3-deeper] [--seeds 0] [--train-backend wasm]
//        [--backends wasm,cpu] [--peer-segments 3] [--train-steps auto|N] [--max-train-min 15]
//        [--proxy fig3-deeper] [--proxy-steps 200] [--proxy-every 100] [--json out.json]
//        npm run replay-tolerance -- --cmnist cmnist-erm-reduced,cmnist-irm-reduced [--seeds 0] [--train-backend wasm] [--backends wasm,cpu]
import { chromium } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../e2e/chromium";
import {
  float64Deviations,
  peerDeviations,
  range,
  segmentCount,
  shortenedProtocol,
  summarise,
  summarisePairs,
  tfjsDeviations,
  trainHonestRun,
  type PeerAnswer,
  type SegmentMeasurement,
} from "../shared/client/replay-trials";
import { PEER_TOLERANCE } from "../shared/metrics/peer-replay";
import { TRAJECTORY_TOLERANCE } from "../shared/metrics/trajectory";
import { moonsProtocol } from "../shared/protocols/registry";
import type { MoonsProtocol } from "../shared/protocols/types";
import { startLocalServer } from "./bench/chromium";
import { parseSeeds } from "./lib/cli";
import { measureCmnistPeers } from "./lib/cmnist-peer-tolerance";
import { useNodeBackend, type NodeBackend } from "./lib/node-backend";

const { values: options } = parseArgs({
  options: {
    protocols: { type: "string" },
    seeds: { type: "string" },
    backends: { type: "string", default: "wasm,cpu" },
    "tfjs-segments": { type: "string", default: "2" },
    chromium: { type: "boolean", default: false },
    "chromium-segments": { type: "string", default: "1,8" },
    json: { type: "string" },
    peers: { type: "boolean", default: false },
    "train-backend": { type: "string", default: "wasm" },
    "peer-segments": { type: "string", default: "3" },
    "train-steps": { type: "string", default: "auto" },
    "max-train-min": { type: "string", default: "15" },
    cmnist: { type: "string" },
    proxy: { type: "string", default: "fig3-deeper" },
    "proxy-steps": { type: "string", default: "200" },
    "proxy-every": { type: "string", default: "100" },
  },
});
const protocols = (options.protocols ?? (options.peers ? "fig3-longer,fig3-deeper" : "fig1-margin-pos,fig1-margin-neg")).split(",").map((id) => moonsProtocol(id));
const seeds = parseSeeds(options.seeds ?? (options.peers ? "0" : "0-4"));
const backends = options.backends.split(",").filter(Boolean) as NodeBackend[];
const tfjsSegments = Number(options["tfjs-segments"]);
/** The protocol the /bench page's replay mode trains (web/src/pages/bench.tsx, BENCH_PROTOCOL). */
const CHROMIUM_PROTOCOL = "fig1-margin-pos";
/** Away from `npm run bench`'s 8790 and the e2e tests' 8788. */
const CHROMIUM_PORT = 8791;
/** WebGPU on SwiftShader replays a 100-step segment in ~35 s on 2 cores (12 segments: 7 min): a generous limit for the whole page. */
const CHROMIUM_TIMEOUT_MS = 20 * 60_000;

if (options.cmnist) {
  // Colored MNIST's peer replays (scripts/lib/cmnist-peer-tolerance.ts): trained on --train-backend, replayed on --backends.
  const measured = await measureCmnistPeers(options.cmnist.split(","), parseSeeds(options.seeds ?? "0"), options["train-backend"] as NodeBackend, backends);
  const honest = measured.filter((m) => !m.replayedOn.startsWith("forged"));
  const forged = measured.filter((m) => m.replayedOn.startsWith("forged"));
  console.log(`Honest: ${honest.length}, largest ${Math.max(...honest.map((m) => m.deviation)).toExponential(3)}; forged: ${forged.length}, smallest ${Math.min(...forged.map((m) => m.deviation)).toExponential(3)} (PEER_TOLERANCE ${PEER_TOLERANCE}).`);
  if (options.json) writeFileSync(options.json, JSON.stringify(measured, null, 1));
} else if (options.peers) await measurePeers();
else await measureTrajectoryTolerance();

/** The measurement behind TRAJECTORY_TOLERANCE (without --peers): float64 and float32 replays of honest runs. */
async function measureTrajectoryTolerance(): Promise<void> {
  const wallStart = performance.now();
  console.log(`GS Lab replay tolerance · ${new Date().toISOString()} · Node ${process.version} · tolerance ${TRAJECTORY_TOLERANCE}`);
  const measurements: SegmentMeasurement[] = [];
  for (const backend of backends) {
    for (const protocol of protocols) {
      for (const seed of seeds) {
        await useNodeBackend(backend);
        const started = performance.now();
        const run = await trainHonestRun(protocol, seed);
        const trainedMs = performance.now() - started;
        const exact = float64Deviations(run);
        measurements.push(...exact);
        // A few segments replayed on each other backend (spread over the run: first, last, and between).
        const total = segmentCount(protocol);
        const picks = range(tfjsSegments).map((k) => Math.round((k * (total - 1)) / Math.max(1, tfjsSegments - 1)));
        for (const other of backends) {
          await useNodeBackend(other);
          measurements.push(...(await tfjsDeviations(run, [...new Set(picks)])));
        }
        const s = summarise(exact);
        console.log(
          `${backend.padEnd(5)} ${protocol.id.padEnd(20)} seed ${String(seed).padStart(2)}: trained in ${(trainedMs / 1000).toFixed(1)} s; float64 replay of ${s.count} segments: max ${s.max.toExponential(2)}, rejected ${s.rejected}`,
        );
      }
    }
  }

  if (options.chromium) measurements.push(...(await measureInChromium(seeds, parseSeeds(options["chromium-segments"]))));

  console.log(`\nDeviation = max(‖Δweights‖, displacement caused by Δoptimiser state) / ‖the segment's movement‖; tolerance ${TRAJECTORY_TOLERANCE}.`);
  console.log(`${"trained on → replayed on".padEnd(34)} ${"segments".padStart(8)} ${"median".padStart(10)} ${"p99".padStart(10)} ${"max".padStart(10)} ${"rejected".padStart(9)}`);
  for (const s of summarisePairs(measurements)) {
    const pair = `${s.trainedOn} → ${s.replayedOn}`;
    console.log(`${pair.padEnd(34)} ${String(s.count).padStart(8)} ${s.median.toExponential(2).padStart(10)} ${s.p99.toExponential(2).padStart(10)} ${s.max.toExponential(2).padStart(10)} ${String(s.rejected).padStart(9)}`);
  }
  const honest = measurements.filter((m) => m.replayedOn === "float64");
  const all = summarise(honest);
  console.log(`\nHonest segment replays against the server's float64 check: ${all.count}, falsely rejected: ${all.rejected} (${((100 * all.rejected) / Math.max(1, all.count)).toFixed(2)} %).`);
  console.log(`Wall time: ${((performance.now() - wallStart) / 60_000).toFixed(1)} min.`);
  if (options.json) writeFileSync(options.json, JSON.stringify(measurements, null, 1));
}

/** How a protocol is measured in --peers mode: whole, as a prefix of its runs, or as a small proxy. */
interface PeerPlan {
  readonly protocol: MoonsProtocol;
  /** What is trained: the protocol itself or a shortened copy (shortenedProtocol). */
  readonly trained: MoonsProtocol;
  readonly kind: "full" | "prefix" | "proxy";
  /** How the output names it. */
  readonly label: string;
}

/** Milliseconds per training step of `protocol` on the current backend: a 3-step warm-up, then a ~3 s timed run. */
async function msPerStep(protocol: MoonsProtocol): Promise<{ ms: number; steps: number }> {
  const timed = async (steps: number): Promise<number> => {
    const started = performance.now();
    await trainHonestRun(shortenedProtocol(protocol, steps, steps), 0);
    return (performance.now() - started) / steps;
  };
  const warmUp = await timed(3);
  const steps = Math.max(3, Math.min(1000, Math.round(3000 / warmUp)));
  return { ms: await timed(steps), steps };
}

// Function declarations, not consts: the top-level `await measurePeers()` above runs before this point.
function minutes(ms: number): string {
  return `${(ms / 60_000).toFixed(1)} min`;
}
function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
/** `count` segment indices spread over 0 … total − 1: the first, the last, and evenly between. */
function spread(count: number, total: number): number[] {
  const n = Math.min(count, total);
  return [...new Set(range(n).map((k) => Math.round((k * (total - 1)) / Math.max(1, n - 1))))];
}

/**
 * --peers: what PEER_TOLERANCE must absorb. For each protocol and seed, an honest run trained on
 * --train-backend; a few of its segments replayed on each --backends backend from the run's own start of them
 * (honest peers), and answered by two forgers (the start sent back unchanged; a 50 % larger learning rate on
 * the training backend); each answer's peerDeviation from the run's own end, summarised per pair.
 */
async function measurePeers(): Promise<void> {
  const wallStart = performance.now();
  const trainBackend = options["train-backend"] as NodeBackend;
  const segmentsWanted = Number(options["peer-segments"]);
  const maxTrainMs = Number(options["max-train-min"]) * 60_000;
  const proxies = new Set(options.proxy.split(",").filter(Boolean));
  const proxySteps = Number(options["proxy-steps"]);
  const proxyEvery = Number(options["proxy-every"]);
  console.log(
    `GS Lab peer replay tolerance · ${new Date().toISOString()} · Node ${process.version} · PEER_TOLERANCE ${PEER_TOLERANCE} · trained on ${trainBackend}, replayed on ${backends.join(", ")} · seeds ${seeds.join(",")}`,
  );

  // Dry runs: the time a step takes on each backend, and from it what to train.
  const plans: PeerPlan[] = [];
  for (const protocol of protocols) {
    const every = protocol.evidence.checkpointEvery;
    if (every === undefined) throw new Error(`${protocol.id} takes no trajectory checkpoints`);
    const isProxy = proxies.has(protocol.id);
    const sized = isProxy ? shortenedProtocol(protocol, proxySteps, proxyEvery) : protocol;
    const speed = new Map<string, number>();
    for (const backend of [...new Set([trainBackend, ...backends])]) {
      await useNodeBackend(backend);
      const { ms, steps } = await msPerStep(protocol);
      speed.set(backend, ms);
      console.log(`dry run: ${protocol.id} on ${backend}: ${ms.toFixed(2)} ms a step (timed over ${steps} steps)`);
    }
    const trainMs = speed.get(trainBackend)!;
    let plan: PeerPlan;
    if (isProxy) {
      plan = {
        protocol,
        trained: sized,
        kind: "proxy",
        label: `${protocol.id} PROXY (${proxySteps} steps, a checkpoint every ${proxyEvery}; the protocol: ${protocol.training.steps} steps, every ${every})`,
      };
      console.log(
        `  ${protocol.id}: PROXY, not the protocol's segments: same network and recipe, ${proxySteps} steps with a checkpoint every ${proxyEvery} (the protocol's segments are ${every} steps: ${[...speed].map(([b, ms]) => `${minutes(every * ms)} each on ${b}`).join(", ")})`,
      );
    } else {
      const fullMs = protocol.training.steps * trainMs;
      let steps = protocol.training.steps;
      if (options["train-steps"] !== "auto") steps = Number(options["train-steps"]);
      else if (fullMs > maxTrainMs) steps = Math.max(1, Math.floor(maxTrainMs / (every * trainMs))) * every;
      if (!Number.isInteger(steps) || steps < 1 || steps > protocol.training.steps || (steps < protocol.training.steps && steps % every !== 0)) {
        throw new Error(`--train-steps for ${protocol.id} must be a multiple of its checkpointEvery ${every} up to ${protocol.training.steps}, got ${options["train-steps"]}`);
      }
      const prefix = steps < protocol.training.steps;
      plan = prefix
        ? { protocol, trained: shortenedProtocol(protocol, steps), kind: "prefix", label: `${protocol.id} PREFIX (steps 0–${steps} of ${protocol.training.steps}: its first ${steps / every} segments)` }
        : { protocol, trained: protocol, kind: "full", label: `${protocol.id} (full run, ${steps} steps)` };
      console.log(
        `  ${protocol.id}: a full run of ${protocol.training.steps} steps on ${trainBackend}: est. ${minutes(fullMs)} (limit --max-train-min ${options["max-train-min"]}); ${prefix ? `TRAINING A PREFIX ONLY: steps 0–${steps}, its first ${steps / every} segments of ${every} steps` : "training it whole"}`,
      );
    }
    const picks = spread(segmentsWanted, segmentCount(plan.trained));
    const segmentSteps = plan.trained.evidence.checkpointEvery!;
    console.log(
      `  estimates: training ${plan.trained.training.steps} steps on ${trainBackend} ${minutes(plan.trained.training.steps * trainMs)}; replaying segments ${picks.join(", ")} (${segmentSteps} steps each) ${backends.map((b) => `on ${b} ${minutes(picks.length * segmentSteps * speed.get(b)!)}`).join(", ")}, with the lr×1.5 forgery on ${trainBackend} ${minutes(picks.length * segmentSteps * trainMs)} — per seed`,
    );
    plans.push(plan);
  }
  console.log(`dry runs: ${seconds(performance.now() - wallStart)}`);

  const measurements: Array<SegmentMeasurement & { readonly run: string }> = [];
  for (const plan of plans) {
    for (const seed of seeds) {
      console.log(`\n${plan.label}, seed ${seed}: training on ${trainBackend}…`);
      await useNodeBackend(trainBackend);
      const started = performance.now();
      let reported = started;
      const run = await trainHonestRun(plan.trained, seed, {
        onProgress: (p) => {
          if (performance.now() - reported < 60_000) return;
          reported = performance.now();
          console.log(`  step ${p.step}/${p.steps}, ${p.stepsPerSecond.toFixed(0)} steps/s, loss ${p.loss.toPrecision(4)}`);
        },
      });
      console.log(`  trained ${plan.trained.training.steps} steps in ${seconds(performance.now() - started)} (${segmentCount(plan.trained)} segments)`);
      const picks = spread(segmentsWanted, segmentCount(plan.trained));
      const prefix = plan.kind === "prefix";
      const answers: Array<{ backend: NodeBackend; answer: PeerAnswer }> = [
        ...backends.map((backend) => ({ backend, answer: "honest" as const })),
        { backend: trainBackend, answer: "unchanged" },
        { backend: trainBackend, answer: "lr×1.5" },
      ];
      for (const { backend, answer } of answers) {
        await useNodeBackend(backend);
        for (const k of picks) {
          const replayStart = performance.now();
          const [m] = await peerDeviations(run, [k], { answer, prefix });
          measurements.push({ ...m!, run: plan.label });
          const worst = Math.max(m!.weights, m!.optimizerState ?? 0);
          console.log(
            `  ${`${m!.trainedOn} → ${m!.replayedOn}`.padEnd(36)} segment ${String(k).padStart(2)} [${m!.from}, ${m!.to}): weights ${m!.weights.toExponential(4)}, optimiser state ${m!.optimizerState === null ? "— (run's last segment)" : m!.optimizerState.toExponential(4)}, peerDeviation ${worst.toExponential(4)} ${worst <= PEER_TOLERANCE ? "≤" : ">"} tolerance · ${seconds(performance.now() - replayStart)}`,
          );
        }
      }
    }
  }

  console.log(`\npeerDeviation = max(‖Δweights‖, displacement caused by Δoptimiser state) / ‖the run's movement over the segment‖, the peer's end against the run's own; PEER_TOLERANCE ${PEER_TOLERANCE}. Median: of an even count, the upper middle value.`);
  for (const plan of plans) {
    console.log(`\n${plan.label}, seed(s) ${seeds.join(",")}, segments ${spread(segmentsWanted, segmentCount(plan.trained)).join(", ")} of ${segmentCount(plan.trained)}:`);
    console.log(`${"trained on → replayed on".padEnd(36)} ${"segments".padStart(8)} ${"median".padStart(11)} ${"max".padStart(11)} ${"> tolerance".padStart(11)}`);
    for (const s of summarisePairs(measurements.filter((m) => m.run === plan.label), PEER_TOLERANCE)) {
      const pair = `${s.trainedOn} → ${s.replayedOn}`;
      console.log(`${pair.padEnd(36)} ${String(s.count).padStart(8)} ${s.median.toExponential(3).padStart(11)} ${s.max.toExponential(3).padStart(11)} ${String(s.rejected).padStart(11)}`);
    }
  }
  const honest = measurements.filter((m) => !m.replayedOn.startsWith("forged"));
  const forged = measurements.filter((m) => m.replayedOn.startsWith("forged"));
  const h = summarise(honest, PEER_TOLERANCE);
  const f = summarise(forged, PEER_TOLERANCE);
  console.log(`\nHonest peer answers: ${h.count}, largest deviation ${h.max.toExponential(3)}, over PEER_TOLERANCE: ${h.rejected}. Forged answers: ${f.count}, smallest deviation ${Math.min(...forged.map((m) => Math.max(m.weights, m.optimizerState ?? 0))).toExponential(3)}, within PEER_TOLERANCE: ${f.count - f.rejected}.`);
  if (plans.some((p) => p.kind !== "full")) console.log(`Not measured whole: ${plans.filter((p) => p.kind !== "full").map((p) => p.label).join("; ")}.`);
  console.log(`Wall time: ${minutes(performance.now() - wallStart)}.`);
  if (options.json) writeFileSync(options.json, JSON.stringify(measurements, null, 1));
}

/** What the /bench?mode=replay page puts in its bench-replay-json element (web/src/pages/bench-replay.tsx). */
interface PageReport {
  readonly seeds: number[];
  readonly segments: number[];
  readonly trainingMs: number | null;
  readonly parts: Array<{ backend: string; status: string; adapter: string | null; elapsedMs: number | null; error: string | null }>;
  readonly measurements: SegmentMeasurement[];
}

/**
 * Runs the /bench page's replay mode in headless Chromium on a local server and returns its measurements, the
 * browser's backends named "chromium/<backend>" (float64 stays float64). A backend that cannot start, or the
 * time running out, is reported and leaves the measurements that did come back.
 */
async function measureInChromium(seedList: readonly number[], segments: readonly number[]): Promise<SegmentMeasurement[]> {
  const path = `/bench?mode=replay&seeds=${seedList.join(",")}&segments=${segments.join(",")}`;
  console.log(`\nChromium (${CHROMIUM_PATH}): ${CHROMIUM_PROTOCOL}, seeds ${seedList.join(",")}, segments ${segments.join(",")}: starting the local server (build + wrangler dev) on port ${CHROMIUM_PORT}…`);
  const started = performance.now();
  const server = await startLocalServer(CHROMIUM_PORT);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage();
    page.on("pageerror", (error) => console.error(`  [page error] ${error.message}`));
    page.on("console", (message) => void (message.type() === "error" && console.error(`  [console] ${message.text()}`)));
    console.log(`  server up in ${((performance.now() - started) / 1000).toFixed(0)} s; opening ${path}`);
    await page.goto(`${server.origin}${path}`);
    const status = page.getByTestId("bench-status");
    const deadline = Date.now() + CHROMIUM_TIMEOUT_MS;
    let last = "";
    while ((await status.getAttribute("data-status")) === "running" && Date.now() < deadline) {
      const text = (await status.textContent()) ?? "";
      if (text !== last) console.log(`  ${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s  ${text}`);
      last = text;
      await page.waitForTimeout(15_000);
    }
    const finalStatus = await status.getAttribute("data-status");
    if (finalStatus !== "done") console.log(`  the page ended "${finalStatus}": ${await status.textContent()}`);
    const report = JSON.parse((await page.getByTestId("bench-replay-json").textContent()) ?? "{}") as PageReport;
    if (report.seeds.join(",") !== seedList.join(",") || report.segments.join(",") !== segments.join(",")) console.log(`  note: the page measured seeds ${report.seeds.join(",")}, segments ${report.segments.join(",")}`);
    console.log(`  wasm training of ${report.seeds.length} run(s) in the browser: ${report.trainingMs === null ? "—" : `${(report.trainingMs / 1000).toFixed(1)} s`}`);
    for (const part of report.parts) {
      const time = part.elapsedMs === null ? "" : `, ${(part.elapsedMs / 1000).toFixed(1)} s for ${report.seeds.length * report.segments.length} segment(s)`;
      console.log(`  ${part.backend.padEnd(6)} ${part.status}${part.adapter ? ` (${part.adapter})` : ""}${time}${part.error ? `: ${part.error}` : ""}`);
    }
    console.log(`  Chromium part: ${((performance.now() - started) / 60_000).toFixed(1)} min in all.`);
    const inBrowser = (backend: string): string => (backend === "float64" ? backend : `chromium/${backend}`);
    return report.measurements.map((m) => ({ ...m, trainedOn: inBrowser(m.trainedOn), replayedOn: inBrowser(m.replayedOn) }));
  } finally {
    await browser.close();
    server.stop();
  }
}
