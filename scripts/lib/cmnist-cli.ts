// Why: the pure half of the Colored-MNIST reproduction runner — its arguments, the reduced configuration and how
// its numbers are labelled, the Table 1 / Fig. 4 tables and the JSON report — kept free of tfjs so tests run it as is.
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Stat } from "../../shared/api";
import { meanStd } from "../../shared/metrics/aggregate";
import type { Fig4Probes } from "../../shared/metrics/cmnist-forward";
import {
  CMNIST_PROTOCOLS,
  CMNIST_REDUCED_DEFAULT,
  CMNIST_TABLE1_RANDOM,
  reducedCmnistProtocol,
  type CmnistProtocol,
  type Fig4Reference,
  type ReducedOptions,
} from "../../shared/protocols/colored-mnist";
import { formatStat, parseSeeds } from "./cli";

/** The reduced configuration the runner uses unless --step-fraction / --examples-per-env say otherwise: the registered one. */
export const DEFAULT_REDUCED: Required<ReducedOptions> = CMNIST_REDUCED_DEFAULT;

export const CMNIST_USAGE = `Colored MNIST (Table 1, Fig. 4) in Node, with the app's shared code:

  npm run reproduce -- <cmnist | cmnist-erm | cmnist-sd | cmnist-irm | cmnist-rex | cmnist-oracle> [options]

  --restarts N          restarts r = 0..N-1 (default 10, as the paper)
  --restart-list LIST   these restarts instead, e.g. 0,3 or 2-4
  --reduced             a reduced configuration (NOT the paper's protocol; labelled so in the output and JSON):
                        --step-fraction F of the steps (default ${DEFAULT_REDUCED.stepFraction}) on the first --examples-per-env K
                        images of each training env (default ${DEFAULT_REDUCED.examplesPerEnv} of 25,000)
  --chunk K             images per chunk of the full-batch gradient (same gradient, less memory)
  --backend B           best (webgpu where a GPU exists, else wasm), wasm, cpu or webgpu (default best)
  --json FILE           write every restart's numbers, the summaries and the paper's values
  --submit URL          work as a GS Lab client: the server at URL assigns each run's restart (seed), every run is
                        submitted and verified there (the paper's protocols, or --reduced with its default settings)
  --contributor NAME    the name shown with submitted runs
  --progress            progress lines when stdout is not a TTY

Per restart: environments from the seed, Xavier initial weights from the seed, full-batch Adam, then train and
test accuracy recomputed with the float64 forward pass; the table compares mean ± population std with the
paper's Table 1, and the last restart's model is probed as in Fig. 4. Ctrl-C stops after the current step and
prints what finished. A full ERM restart is 1,001 steps over 50,000 images (about 7 s a step on wasm, 2 cores).

  npm run reproduce -- cmnist --reduced --restarts 2 --backend wasm     smoke run, a few minutes
  npm run reproduce -- cmnist-sd --restarts 10 --json sd.json           the paper's protocol (hours on a CPU)`;

export const CMNIST_OPTIONS = {
  restarts: { type: "string" },
  "restart-list": { type: "string" },
  reduced: { type: "boolean", default: false },
  "step-fraction": { type: "string" },
  "examples-per-env": { type: "string" },
  chunk: { type: "string" },
  backend: { type: "string", default: "best" },
  json: { type: "string" },
  submit: { type: "string" },
  contributor: { type: "string" },
  progress: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsConfig["options"];

export interface CmnistCliOptions {
  readonly help: boolean;
  /** The protocols to train: the paper's, or their reduced configurations. */
  readonly protocols: readonly CmnistProtocol[];
  /** null for the paper's protocol. */
  readonly reduced: Required<ReducedOptions> | null;
  readonly restarts: readonly number[];
  readonly chunkSize: number | undefined;
  readonly backend: string;
  readonly json: string | undefined;
  readonly progress: boolean;
  /** A GS Lab server: it assigns the seeds and verifies every run (undefined: train locally). */
  readonly submit: string | undefined;
  readonly contributor: string | undefined;
}

const isCmnistSelector = (selector: string | undefined): boolean => selector === "cmnist" || (selector?.startsWith("cmnist-") ?? false);

/** Whether a reproduce command line asks for Colored MNIST (its first positional is `cmnist` or `cmnist-…`). */
export function isCmnistInvocation(argv: readonly string[]): boolean {
  const { positionals } = parseArgs({ args: [...argv], options: CMNIST_OPTIONS, allowPositionals: true, strict: false });
  return isCmnistSelector(positionals[0]);
}

/** `cmnist` (all five) or one protocol id. */
export function selectCmnistProtocols(selector: string): CmnistProtocol[] {
  if (selector === "cmnist") return [...CMNIST_PROTOCOLS];
  const match = CMNIST_PROTOCOLS.filter((p) => p.id === selector);
  if (match.length) return match;
  throw new Error(`unknown Colored-MNIST protocol "${selector}"; choose one of: cmnist, ${CMNIST_PROTOCOLS.map((p) => p.id).join(", ")}`);
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

export function parseCmnistArgs(argv: readonly string[]): CmnistCliOptions {
  const { values, positionals } = parseArgs({ args: [...argv], options: CMNIST_OPTIONS, allowPositionals: true });
  const base = { help: values.help, backend: values.backend, json: values.json, progress: values.progress, submit: values.submit, contributor: values.contributor };
  if (values.help) return { ...base, protocols: [], reduced: null, restarts: [], chunkSize: undefined };
  if (positionals.length !== 1) throw new Error(`name one Colored-MNIST protocol or "cmnist", got ${positionals.length ? positionals.join(" ") : "none"}`);
  if (values.restarts !== undefined && values["restart-list"] !== undefined) throw new Error("use either --restarts or --restart-list");
  const restarts =
    values["restart-list"] !== undefined
      ? [...new Set(parseSeeds(values["restart-list"]))]
      : Array.from({ length: positiveInteger("--restarts", values.restarts ?? "10") }, (_, r) => r);
  const tuned = values["step-fraction"] !== undefined || values["examples-per-env"] !== undefined;
  if (tuned && !values.reduced) throw new Error("--step-fraction and --examples-per-env apply only with --reduced");
  const reduced = values.reduced
    ? {
        stepFraction: values["step-fraction"] === undefined ? DEFAULT_REDUCED.stepFraction : Number(values["step-fraction"]),
        examplesPerEnv: values["examples-per-env"] === undefined ? DEFAULT_REDUCED.examplesPerEnv : positiveInteger("--examples-per-env", values["examples-per-env"]),
      }
    : null;
  const protocols = selectCmnistProtocols(positionals[0]!).map((p) => (reduced ? reducedCmnistProtocol(p, reduced) : p));
  const chunkSize = values.chunk === undefined ? undefined : positiveInteger("--chunk", values.chunk);
  if (values.submit !== undefined && reduced && (reduced.stepFraction !== DEFAULT_REDUCED.stepFraction || reduced.examplesPerEnv !== DEFAULT_REDUCED.examplesPerEnv)) {
    throw new Error("--submit takes the registered reduced configuration only: drop --step-fraction / --examples-per-env");
  }
  if (values.submit !== undefined && values["restart-list"] !== undefined) throw new Error("with --submit the server picks the restarts: use --restarts N");
  if (values.contributor !== undefined && values.submit === undefined) throw new Error("--contributor applies only with --submit");
  return { ...base, protocols, reduced, restarts, chunkSize };
}

const METHOD_LABELS: Record<string, string> = {
  "cmnist-erm": "ERM",
  "cmnist-sd": "SD",
  "cmnist-irm": "IRM",
  "cmnist-rex": "REx",
  "cmnist-oracle": "Oracle (grayscale)",
};

/** The Table 1 row name; a reduced configuration says so in it. */
export function methodLabel(protocol: CmnistProtocol): string {
  const baseId = protocol.reduced ? protocol.id.replace(/-reduced$/, "") : protocol.id;
  const label = METHOD_LABELS[baseId] ?? baseId;
  return protocol.reduced ? `${label} (reduced)` : label;
}

/** The line that says what the numbers are: the paper's protocol, or a reduced configuration that is not. */
export function configurationLine(reduced: Required<ReducedOptions> | null): string {
  if (!reduced) return "configuration: the paper's protocol (all 50,000 training images every step, the published step counts)";
  return (
    `configuration: REDUCED, NOT THE PAPER'S PROTOCOL — ${reduced.stepFraction} of the steps on the first ${reduced.examplesPerEnv} of 25,000 images ` +
    "per training env; its accuracies are not comparable with Table 1"
  );
}

export interface RestartResult {
  readonly restart: number;
  /** Pooled accuracy (0–1) on the training images trained on, float64 forward pass of the final weights. */
  readonly trainAccuracy: number;
  /** Accuracy (0–1) on the test env (e = 0.9). */
  readonly testAccuracy: number;
  /** The objective at the last step, before its update (float32, as trained). */
  readonly finalLoss: number;
  readonly steps: number;
  readonly elapsedMs: number;
}

export interface ProtocolResult {
  readonly protocol: CmnistProtocol;
  readonly runs: readonly RestartResult[];
  /** The Fig. 4 probes of the last restart's model (null when no restart finished). */
  readonly fig4: { readonly restart: number; readonly probes: Fig4Probes } | null;
}

/** Train / test accuracy in %, mean ± population std over the finished restarts. */
export function summarizeRestarts(runs: readonly RestartResult[]): { train: Stat | null; test: Stat | null } {
  return { train: meanStd(runs.map((r) => 100 * r.trainAccuracy)), test: meanStd(runs.map((r) => 100 * r.testAccuracy)) };
}

/** Rows of cells as aligned lines, indented by two spaces: every column as wide as its widest cell. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, k) => (widths[k] = Math.max(widths[k] ?? 0, cell.length)));
  return rows.map((row) => `  ${row.map((cell, k) => cell.padEnd(widths[k]!)).join("   ")}`.trimEnd());
}

/** Table 1: method, n, train and test accuracy (% mean ± std) next to the paper's. */
export function formatTable1(results: readonly ProtocolResult[], reduced: boolean): string[] {
  const paper = reduced ? "paper (full protocol)" : "paper";
  const rows = [["method", "n", "train", "test", `${paper} train`, `${paper} test`]];
  for (const { protocol, runs } of results) {
    const { train, test } = summarizeRestarts(runs);
    const ref = protocol.reference.table1;
    rows.push([methodLabel(protocol), String(runs.length), formatStat(train, 1), formatStat(test, 1), formatStat({ ...ref.train, n: 10 }, 1), formatStat({ ...ref.test, n: 10 }, 1)]);
  }
  const random = CMNIST_TABLE1_RANDOM;
  rows.push(["random", "—", "—", "—", random.train.mean.toFixed(1), random.test.mean.toFixed(1)]);
  return [
    `Table 1 · accuracy %, mean ± population std over restarts (final weights, float64 forward pass)${reduced ? " · REDUCED CONFIGURATION, not the paper's protocol" : ""}`,
    ...alignColumns(rows),
  ];
}

const PROBES: readonly { readonly key: keyof Fig4Probes; readonly label: string }[] = [
  { key: "digitGray", label: "digit·gray" },
  { key: "digitColoured", label: "digit·coloured" },
  { key: "blankGray", label: "blank·gray" },
  { key: "blankColoured", label: "blank·coloured" },
];

const probeCell = (p: { readonly accuracy: number; readonly entropy: number }, percent: boolean): string =>
  `${(percent ? 100 * p.accuracy : p.accuracy).toFixed(1)} (${p.entropy.toFixed(2)})`;

/** Fig. 4: accuracy % (mean entropy) of each protocol's last-restart model on the four probes, and the paper's. */
export function formatFig4(results: readonly ProtocolResult[], reduced: boolean): string[] {
  const rows = [["method", "", ...PROBES.map((p) => p.label)]];
  for (const { protocol, fig4 } of results) {
    if (!fig4) continue;
    const published: Fig4Reference | null = protocol.reference.fig4;
    rows.push([methodLabel(protocol), `measured (restart ${fig4.restart})`, ...PROBES.map((p) => probeCell(fig4.probes[p.key], true))]);
    rows.push(["", reduced ? "paper (full protocol)" : "paper", ...PROBES.map((p) => (published ? probeCell(published[p.key], false) : "—"))]);
  }
  return [
    `Fig. 4 · the last restart's model on the test env's probes · accuracy % (mean binary entropy)${reduced ? " · REDUCED CONFIGURATION, not the paper's protocol" : ""}`,
    ...(rows.length > 1 ? alignColumns(rows) : ["  (no protocol finished its last restart)"]),
  ];
}

export interface CmnistReportContext {
  readonly backend: string;
  readonly tfjs: string;
  readonly chunkSize: number | undefined;
  readonly reduced: Required<ReducedOptions> | null;
  readonly cancelled: boolean;
}

/** The --json report: every restart, the summaries and the paper's values, labelled with the configuration. */
export function cmnistJsonReport(results: readonly ProtocolResult[], context: CmnistReportContext) {
  const { reduced } = context;
  return {
    configuration: reduced ? "reduced (NOT the paper's protocol; not comparable with Table 1)" : "paper",
    reducedConfiguration: reduced,
    configurationNote: configurationLine(reduced),
    backend: context.backend,
    tfjs: context.tfjs,
    chunkSize: context.chunkSize ?? null,
    cancelled: context.cancelled,
    accuracyUnits: "fraction 0-1 per restart; % in summaries",
    protocols: results.map(({ protocol, runs, fig4 }) => ({
      id: protocol.id,
      version: protocol.version,
      method: methodLabel(protocol),
      reduced: protocol.reduced ?? null,
      steps: protocol.training.steps,
      examplesPerEnv: protocol.data.examplesPerEnv,
      hidden: protocol.model.hidden,
      runs,
      summaryPercent: summarizeRestarts(runs),
      fig4: fig4 ? { restart: fig4.restart, measured: fig4.probes } : null,
      [reduced ? "paperFullProtocol" : "paper"]: {
        table1: protocol.reference.table1,
        scriptFooter: protocol.reference.scriptFooter,
        fig4: protocol.reference.fig4,
      },
    })),
  };
}
