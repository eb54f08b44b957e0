// `npm run bench -- compare`: GS Lab vs the authors' PyTorch loop, interleaved in one run, so each ratio compares like with like.
import * as tf from "@tensorflow/tfjs";
import { chromium } from "@playwright/test";
import { existsSync, readFileSync } from "node:fs";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../../e2e/chromium";
import { benchPageStepsPerSecond, startLocalServer } from "./chromium";
import { cpus } from "node:os";
import { useNodeBackend } from "../lib/node-backend";
import { cmnistBenchEnvs, msPerStep } from "./cmnist";
import { compareRow, formatRatio, formatSummary, interleavedOrder, type Better, type CompareRow } from "./compare-stats";
import { fig1Runs, runStepsPerSecond, seedLanes, trainingSeconds, warmUp } from "./moons-steps";
import { benchPython, runPythonScript, torchVersion } from "./torch";
import { cpuMs, fig1Submission, firstSegmentReplay, verifyFig1 } from "./verify-work";

export interface CompareOptions {
  readonly repeats: number;
  /** Also time the step in headless Chromium (the app's /bench page on wasm); needs Chromium and a web build. */
  readonly chromium: boolean;
  /** Steps per measurement of the one-lane step (ten lanes: half as many). */
  readonly steps: number;
  readonly json: boolean;
  readonly skipCmnist: boolean;
}

/** One thing timed once per repeat: a GS Lab code path or one PyTorch process. */
interface Side {
  readonly name: string;
  readonly measure: () => Promise<number> | number;
}

/** A printed (and --json) row: a GS Lab side against a PyTorch side (or none). */
interface RowSpec {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly better: Better;
  readonly gslab: string;
  readonly pytorch: string | null;
  /** Whether PyTorch has a counterpart at all (false: the Worker's verification), measured or not. */
  readonly counterpart: boolean;
}

/** Sides measured in turn, repeat after repeat, and the rows made of them. */
interface Group {
  readonly title: string;
  readonly sides: readonly Side[];
  readonly rows: readonly RowSpec[];
}

const CHROMIUM_PORT = 8791;
const SEEDS = Array.from({ length: 10 }, (_, seed) => seed);
const FIG1_SEEDS = SEEDS;
/** ms per Colored-MNIST step is ≈2 s on wasm: a warm-up step and two timed ones per repeat. */
const CMNIST_TIMED_STEPS = 2;
const INSTALL = "Debian: apt-get install python3-torch python3-sklearn (or point GSLAB_PYTHON at a Python with torch and sklearn)";

/** The CPU model as /proc/cpuinfo names it (os.cpus() where there is none). */
function cpuModel(): string {
  let cpuinfo = "";
  try {
    cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    // not Linux
  }
  return /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown CPU";
}

/** The header's machine line: CPU model, cores, Node, tfjs, torch. */
function machineLine(torch: string | null): string {
  const model = cpuModel();
  return `machine · ${model} · ${cpus().length} cores · Node ${process.version} · tfjs ${tf.version.tfjs} wasm (1 thread) · ${torch ? `torch ${torch} (${benchPython()})` : "no torch"}`;
}

/** One pytorch_step.py process: run-steps per second of `lanes` nets stepped one after another. */
const torchSteps = (threads: number, lanes: number, steps: number) => (): number =>
  runPythonScript<{ run_steps_per_second: number }>("scripts/bench/pytorch_step.py", ["--threads", String(threads), "--lanes", String(lanes), "--steps", String(steps)]).run_steps_per_second;

/** The 2-500-1 step, `lanes` seeds: GS Lab's trainer (batched when several) against the authors' loop, 1 thread and all; with a browser, also the /bench page's wasm step (one lane). */
async function moonsStepGroup(lanes: number, steps: number, torch: boolean, browser: BrowserBench | null): Promise<Group> {
  const seeds = seedLanes(lanes);
  await warmUp(seeds);
  const allThreads = cpus().length;
  const key = lanes === 1 ? "moons_step_1_lane" : `moons_step_${lanes}_lanes`;
  const unit = lanes === 1 ? "steps/s" : "run-steps/s";
  const what =
    lanes === 1
      ? "two-moons 2-500-1 full-batch step, 1 lane: GS Lab trainer vs the authors' loop"
      : `two-moons 2-500-1 full-batch step, ${lanes} lanes (seeds): GS Lab trainer, lanes batched, vs the authors' loop, ${lanes} nets one after another`;
  const sides: Side[] = [{ name: "gslab", measure: () => runStepsPerSecond(seeds, steps, "batched") }];
  if (torch) sides.push({ name: "torch-1", measure: torchSteps(1, lanes, steps) }, { name: "torch-all", measure: torchSteps(allThreads, lanes, steps) });
  const inBrowser = browser !== null && lanes === 1;
  if (inBrowser) sides.push({ name: "chromium", measure: () => browser.stepsPerSecond(steps) });
  return {
    title: `${what} (${steps} steps per measurement)${inBrowser ? "; also headless Chromium's /bench page on wasm" : ""}`,
    sides,
    rows: [
      { key, label: "PyTorch 1 thread", unit, better: "higher", gslab: "gslab", pytorch: torch ? "torch-1" : null, counterpart: true },
      { key: `${key}_torch_all_threads`, label: `PyTorch ${allThreads} threads`, unit, better: "higher", gslab: "gslab", pytorch: torch ? "torch-all" : null, counterpart: true },
      ...(inBrowser
        ? [{ key: `${key}_chromium`, label: "Chromium vs PyTorch 1 thread", unit, better: "higher" as const, gslab: "chromium", pytorch: torch ? "torch-1" : null, counterpart: true }]
        : []),
    ],
  };
}

/** Headless Chromium on the app's /bench page, kept open for the whole comparison. */
interface BrowserBench {
  stepsPerSecond(steps: number): Promise<number>;
  close(): Promise<void>;
}

/** Serves the app (a fresh web build) and opens Debian's Chromium on it; null, with the reason printed, when it cannot. */
async function openBrowserBench(): Promise<BrowserBench | null> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.log(`Chromium: ${CHROMIUM_PATH} is missing, the browser rows are skipped (Debian: apt-get install chromium)`);
    return null;
  }
  const server = await startLocalServer(CHROMIUM_PORT);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  return {
    async stepsPerSecond(steps) {
      const measured = await benchPageStepsPerSecond(browser, server.origin, "wasm", steps);
      if (measured.stepsPerSecond === null) throw new Error("the /bench page reported an error on wasm");
      if (measured.engine !== "fused") console.warn(`[compare] Chromium computed the steps with ${measured.engine ?? "an unknown engine"}, not the fused kernel`);
      return measured.stepsPerSecond;
    },
    async close() {
      await browser.close();
      server.stop();
    },
  };
}

/** Fig. 1 end to end: 10 seeds × 2 margins × 1,000 steps, training only; PyTorch with 1 thread (tfjs wasm has one). */
function fig1Group(torch: boolean): Group {
  const runs = fig1Runs(FIG1_SEEDS);
  const sides: Side[] = [{ name: "gslab", measure: () => trainingSeconds(runs) }];
  const torchFig1 = (): number =>
    runPythonScript<{ train_seconds: number }>("scripts/bench/pytorch_fig1.py", ["--seeds", String(FIG1_SEEDS.length), "--threads", "1"]).train_seconds;
  if (torch) sides.push({ name: "torch-1", measure: torchFig1 });
  return {
    title: `Fig. 1 workload, ${FIG1_SEEDS.length} seeds × 2 margins × 1,000 steps, training wall time: reproduce -- fig1's trainMoons calls vs pytorch_fig1.py`,
    sides,
    rows: [{ key: "fig1_workload", label: "PyTorch 1 thread", unit: "s", better: "lower", gslab: "gslab", pytorch: torch ? "torch-1" : null, counterpart: true }],
  };
}

/** The full-batch Colored-MNIST ERM step (50,000 images): the trainer's step against the authors' step, 1 thread and all. */
async function cmnistGroup(torch: boolean): Promise<Group> {
  const { train, images } = await cmnistBenchEnvs();
  const allThreads = cpus().length;
  const torchStep = (threads: number) => (): number =>
    runPythonScript<{ ms_per_step: number }>("scripts/bench/cmnist_step.py", ["--threads", String(threads), "--steps", String(CMNIST_TIMED_STEPS), "--images", String(images)]).ms_per_step;
  const sides: Side[] = [{ name: "gslab", measure: () => msPerStep(train, CMNIST_TIMED_STEPS) }];
  if (torch) sides.push({ name: "torch-1", measure: torchStep(1) }, { name: "torch-all", measure: torchStep(allThreads) });
  return {
    title: `Colored-MNIST ERM 392-300-300-1 full-batch step, ${images.toLocaleString("en-US")} images: GS Lab trainer vs the authors' step on random inputs (1 warm-up + ${CMNIST_TIMED_STEPS} timed steps per measurement)`,
    sides,
    rows: [
      { key: "cmnist_erm_step", label: "PyTorch 1 thread", unit: "ms/step", better: "lower", gslab: "gslab", pytorch: torch ? "torch-1" : null, counterpart: true },
      { key: "cmnist_erm_step_torch_all_threads", label: `PyTorch ${allThreads} threads`, unit: "ms/step", better: "lower", gslab: "gslab", pytorch: torch ? "torch-all" : null, counterpart: true },
    ],
  };
}

/** The Worker's verification CPU per protocol kind (its own code in Node's V8); GS Lab only. */
async function verifyGroup(): Promise<Group> {
  const submission = await fig1Submission();
  const fig2 = firstSegmentReplay("fig2-margin-pos");
  const batchNorm = firstSegmentReplay("fig3-batchnorm");
  const segment = (p: typeof fig2) => `${p.protocol.evidence.checkpointEvery} steps`;
  const row = (key: string, label: string): RowSpec => ({ key, label, unit: "ms CPU", better: "lower", gslab: key, pytorch: null, counterpart: false });
  return {
    title: "server verification (the Worker's code in Node's V8), process CPU (user + system); GS Lab only",
    sides: [
      { name: "verify_fig1_submission", measure: () => cpuMs(() => verifyFig1(submission)) },
      { name: "verify_fig2_segment", measure: () => cpuMs(fig2.replay) },
      { name: "verify_fig3_batchnorm_segment", measure: () => cpuMs(batchNorm.replay) },
    ],
    rows: [
      row("verify_fig1_submission", `one fig1 submission (all ${submission.segments.length} segments replayed)`),
      row("verify_fig2_segment", `one fig2-margin-pos segment replay (${segment(fig2)}, the fig2/fig3 2-500-1 net)`),
      row("verify_fig3_batchnorm_segment", `one fig3-batchnorm segment replay (${segment(batchNorm)}, BatchNorm)`),
    ],
  };
}

/** Measures every side of the group in interleaved order and shapes its rows. */
async function runGroup(group: Group, repeats: number): Promise<Record<string, CompareRow>> {
  const samples = new Map<string, number[]>(group.sides.map((side) => [side.name, []]));
  for (const side of interleavedOrder(group.sides, repeats)) samples.get(side.name)!.push(await side.measure());
  const values = (name: string): number[] => {
    const found = samples.get(name);
    if (!found) throw new Error(`compare: row refers to an unmeasured side "${name}"`);
    return found;
  };
  return Object.fromEntries(group.rows.map((row) => [row.key, compareRow(values(row.gslab), row.pytorch === null ? null : values(row.pytorch), row.unit, row.better)]));
}

/** The group's rows; a row whose PyTorch side was not measured shows its GS Lab side once (--json still has every key). */
function printGroup(group: Group, rows: Record<string, CompareRow>): void {
  console.log(`\n${group.title}`);
  const printed = new Set<string>();
  for (const spec of group.rows) {
    const row = rows[spec.key]!;
    if (spec.pytorch === null && printed.has(spec.gslab)) continue;
    printed.add(spec.gslab);
    const missing = spec.pytorch === null && spec.counterpart;
    const theirs = spec.pytorch === null ? "" : ` · PyTorch ${formatSummary(row.pytorch)} · speed GS Lab ÷ PyTorch ${formatRatio(row.ratio)}`;
    console.log(`  ${(missing ? "PyTorch not measured" : spec.label).padEnd(20)} GS Lab ${formatSummary(row.gslab)}${theirs}`);
  }
}

/** The comparison: header, each group measured and printed in turn, then (--json) one JSON object as the last line. */
export async function benchCompare(options: CompareOptions): Promise<Record<string, CompareRow>> {
  const torch = torchVersion(["torch", "sklearn"]);
  console.log(`compare · GS Lab vs the authors' PyTorch loop, measured interleaved (A, B, A, B, …), ${options.repeats} repeat${options.repeats === 1 ? "" : "s"}`);
  console.log(machineLine(torch));
  console.log("each side: median (min–max) over the repeats; ratio = GS Lab speed ÷ PyTorch speed from the medians: > 1× GS Lab faster, < 1× PyTorch faster");
  if (!torch) console.log(`PyTorch: "import torch, sklearn" fails under ${benchPython()}; GS Lab's figures alone follow. To install it: ${INSTALL}`);
  await useNodeBackend("wasm");
  const browser = options.chromium ? await openBrowserBench() : null;
  const builders: Array<() => Promise<Group> | Group> = [
    () => moonsStepGroup(1, options.steps, torch !== null, browser),
    () => moonsStepGroup(SEEDS.length, Math.max(1, Math.round(options.steps / 2)), torch !== null, null),
    () => fig1Group(torch !== null),
    ...(options.skipCmnist ? [] : [() => cmnistGroup(torch !== null)]),
    () => verifyGroup(),
  ];
  const all: Record<string, CompareRow> = {};
  try {
    for (const build of builders) {
      const group = await build();
      const rows = await runGroup(group, options.repeats);
      printGroup(group, rows);
      Object.assign(all, rows);
    }
  } finally {
    await browser?.close();
  }
  if (options.skipCmnist) console.log("\n(Colored-MNIST step skipped: --skip-cmnist)");
  if (options.json) console.log(JSON.stringify(all));
  return all;
}
