// `npm run replay-tolerance`: measures how far honest runs' trajectory checkpoints are from a replay of the
// same segment — the numbers behind TRAJECTORY_TOLERANCE (shared/metrics/trajectory.ts). For each backend
// (wasm, cpu in Node), protocol and seed it trains a full run, replays its segments in float64 (the Worker's
// check) and in float32 on every other backend (a replay on another contributor's machine), and prints the
// median, p99 and largest deviation per backend pair, with how many honest segment replays the tolerance would
// reject (target 0). The browser backends (wasm, cpu, and WebGL, WebGPU on SwiftShader) are measured by
// `--chromium` through the app's /bench?mode=replay page in Debian's headless Chromium: fig1-margin-pos runs
// of the same seeds trained on the browser's wasm, a few of their segments (--chromium-segments) replayed on
// each browser backend; those measurements join the table as "chromium/<backend>".
// Usage: npm run replay-tolerance [-- --protocols fig1-margin-pos,fig1-margin-neg] [--seeds 0-4] [--backends wasm,cpu]
//        [--tfjs-segments 2] [--chromium [--chromium-segments 1,8]] [--json out.json]
//        (--backends "" with --chromium: the browser only)
import { chromium } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../e2e/chromium";
import { float64Deviations, range, segmentCount, summarise, summarisePairs, tfjsDeviations, trainHonestRun, type SegmentMeasurement } from "../shared/client/replay-trials";
import { TRAJECTORY_TOLERANCE } from "../shared/metrics/trajectory";
import { moonsProtocol } from "../shared/protocols/registry";
import { startLocalServer } from "./bench/chromium";
import { parseSeeds } from "./lib/cli";
import { useNodeBackend, type NodeBackend } from "./lib/node-backend";

const { values: options } = parseArgs({
  options: {
    protocols: { type: "string", default: "fig1-margin-pos,fig1-margin-neg" },
    seeds: { type: "string", default: "0-4" },
    backends: { type: "string", default: "wasm,cpu" },
    "tfjs-segments": { type: "string", default: "2" },
    chromium: { type: "boolean", default: false },
    "chromium-segments": { type: "string", default: "1,8" },
    json: { type: "string" },
  },
});
const protocols = options.protocols.split(",").map((id) => moonsProtocol(id));
const seeds = parseSeeds(options.seeds);
const backends = options.backends.split(",").filter(Boolean) as NodeBackend[];
const tfjsSegments = Number(options["tfjs-segments"]);
/** The protocol the /bench page's replay mode trains (web/src/pages/bench.tsx, BENCH_PROTOCOL). */
const CHROMIUM_PROTOCOL = "fig1-margin-pos";
/** Away from `npm run bench`'s 8790 and the e2e tests' 8788. */
const CHROMIUM_PORT = 8791;
/** WebGPU on SwiftShader replays a 100-step segment in ~35 s on 2 cores (12 segments: 7 min): a generous limit for the whole page. */
const CHROMIUM_TIMEOUT_MS = 20 * 60_000;

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
