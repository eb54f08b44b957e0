// Why: the Colored-MNIST runner's command line, its tables and above all its labelling of reduced runs must not drift.
import { describe, expect, it } from "vitest";
import type { Fig4Probes } from "../../shared/metrics/cmnist-forward";
import { CMNIST_PROTOCOLS, cmnistErm, cmnistRex, cmnistSd, reducedCmnistProtocol } from "../../shared/protocols/colored-mnist";
import { PROTOCOLS } from "../../shared/protocols/registry";
import {
  alignColumns,
  cmnistJsonReport,
  configurationLine,
  DEFAULT_REDUCED,
  formatFig4,
  formatTable1,
  isCmnistInvocation,
  methodLabel,
  parseCmnistArgs,
  selectCmnistProtocols,
  summarizeRestarts,
  type ProtocolResult,
  type RestartResult,
} from "./cmnist-cli";

const run = (restart: number, train: number, test: number): RestartResult => ({ restart, trainAccuracy: train, testAccuracy: test, finalLoss: 0.5, steps: 10, elapsedMs: 1000 });
const probe = (accuracy: number, entropy: number) => ({ accuracy, entropy });
const probes: Fig4Probes = { digitGray: probe(0.633, 0.54), digitColoured: probe(0.239, 0.44), blankGray: probe(0.499, 0.63), blankColoured: probe(0.094, 0) };

describe("isCmnistInvocation", () => {
  it("sends cmnist and cmnist-* to the Colored-MNIST runner, whatever the option order", () => {
    expect(isCmnistInvocation(["cmnist", "--reduced"])).toBe(true);
    expect(isCmnistInvocation(["--backend", "wasm", "--restarts", "2", "cmnist-sd"])).toBe(true);
    expect(isCmnistInvocation(["fig1", "--seeds", "0-9"])).toBe(false);
    expect(isCmnistInvocation(["--json", "cmnist.json", "fig2"])).toBe(false);
    expect(isCmnistInvocation([])).toBe(false);
  });

  it("runs the registered Colored-MNIST protocols, and --reduced gives the registered reduced ones", () => {
    expect(parseCmnistArgs(["cmnist"]).protocols).toEqual(PROTOCOLS.filter((p) => p.family === "colored-mnist" && !("reduced" in p && p.reduced)));
    expect(parseCmnistArgs(["cmnist", "--reduced"]).protocols.map((p) => p.id)).toEqual(
      PROTOCOLS.filter((p) => p.family === "colored-mnist" && "reduced" in p && p.reduced).map((p) => p.id),
    );
  });
});

describe("parseCmnistArgs", () => {
  it("defaults to the paper's protocol, restarts 0..9 and the best backend", () => {
    const options = parseCmnistArgs(["cmnist"]);
    expect(options.protocols.map((p) => p.id)).toEqual(CMNIST_PROTOCOLS.map((p) => p.id));
    expect(options.protocols).toEqual(CMNIST_PROTOCOLS);
    expect(options.reduced).toBeNull();
    expect(options.restarts).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(options).toMatchObject({ backend: "best", chunkSize: undefined, json: undefined, progress: false, help: false });
  });

  it("reads --restarts, --restart-list, --chunk, --backend, --json", () => {
    expect(parseCmnistArgs(["cmnist-irm", "--restarts", "3"]).restarts).toEqual([0, 1, 2]);
    expect(parseCmnistArgs(["cmnist-irm", "--restart-list", "0,3,3,5-6"]).restarts).toEqual([0, 3, 5, 6]);
    const options = parseCmnistArgs(["cmnist-rex", "--chunk", "5000", "--backend", "wasm", "--json", "out.json", "--progress"]);
    expect(options).toMatchObject({ chunkSize: 5000, backend: "wasm", json: "out.json", progress: true });
    expect(options.protocols).toEqual([cmnistRex]);
  });

  it("refuses contradictory or malformed arguments", () => {
    expect(() => parseCmnistArgs(["cmnist", "--restarts", "2", "--restart-list", "0"])).toThrow(/either/);
    expect(() => parseCmnistArgs(["cmnist", "--restarts", "0"])).toThrow(/positive integer/);
    expect(() => parseCmnistArgs(["cmnist", "--chunk", "1.5"])).toThrow(/positive integer/);
    expect(() => parseCmnistArgs(["cmnist", "--step-fraction", "0.5"])).toThrow(/only with --reduced/);
    expect(() => parseCmnistArgs(["cmnist", "--reduced", "--step-fraction", "2"])).toThrow(RangeError);
    expect(() => parseCmnistArgs(["cmnist", "--reduced", "--examples-per-env", "30000"])).toThrow(RangeError);
    expect(() => parseCmnistArgs(["cmnist-foo"])).toThrow(/unknown Colored-MNIST protocol/);
    expect(() => parseCmnistArgs(["cmnist", "cmnist-sd"])).toThrow(/one Colored-MNIST protocol/);
    expect(() => parseCmnistArgs(["cmnist", "--seeds", "0-9"])).toThrow();
    expect(parseCmnistArgs(["--help"]).help).toBe(true);
  });

  it("--reduced switches every protocol to reducedCmnistProtocol with the runner's defaults or the given ones", () => {
    const reduced = parseCmnistArgs(["cmnist", "--reduced"]);
    expect(reduced.reduced).toEqual(DEFAULT_REDUCED);
    expect(reduced.protocols).toEqual(CMNIST_PROTOCOLS.map((p) => reducedCmnistProtocol(p, DEFAULT_REDUCED)));
    expect(reduced.protocols.map((p) => p.id)).toEqual(CMNIST_PROTOCOLS.map((p) => `${p.id}-reduced`));
    const sd = parseCmnistArgs(["cmnist-sd", "--reduced", "--step-fraction", "0.5", "--examples-per-env", "200"]).protocols[0]!;
    expect(sd.training).toMatchObject({ steps: 1001, annealStep: 225 });
    expect(sd.data.examplesPerEnv).toBe(200);
  });
});

describe("labels", () => {
  it("names each method and marks reduced ones", () => {
    expect(selectCmnistProtocols("cmnist").map(methodLabel)).toEqual(["ERM", "SD", "IRM", "REx", "Oracle (grayscale)"]);
    expect(methodLabel(reducedCmnistProtocol(cmnistSd))).toBe("SD (reduced)");
  });

  it("says whether the numbers are the paper's protocol", () => {
    expect(configurationLine(null)).toMatch(/the paper's protocol/);
    expect(configurationLine(null)).not.toMatch(/REDUCED/);
    const line = configurationLine({ stepFraction: 0.1, examplesPerEnv: 1000 });
    expect(line).toMatch(/REDUCED, NOT THE PAPER'S PROTOCOL/);
    expect(line).toMatch(/0\.1 of the steps on the first 1000 of 25,000 images/);
    expect(line).toMatch(/not comparable with Table 1/);
  });
});

describe("tables", () => {
  const results: ProtocolResult[] = [
    { protocol: cmnistErm, runs: [run(0, 0.9, 0.2), run(1, 0.92, 0.26)], fig4: { restart: 1, probes } },
    { protocol: cmnistRex, runs: [run(0, 0.7, 0.68)], fig4: { restart: 0, probes } },
  ];

  it("summarises restarts in % as mean ± population std", () => {
    const { train, test } = summarizeRestarts(results[0]!.runs);
    expect(train!.mean).toBeCloseTo(91, 12);
    expect(train!.std).toBeCloseTo(1, 12);
    expect(test!.mean).toBeCloseTo(23, 12);
    expect(test!.n).toBe(2);
    expect(summarizeRestarts([])).toEqual({ train: null, test: null });
  });

  it("aligns columns", () => {
    expect(alignColumns([["a", "bb"], ["ccc", "d"]])).toEqual(["  a     bb", "  ccc   d"]);
  });

  it("prints Table 1 next to the paper's numbers", () => {
    const lines = formatTable1(results, false);
    expect(lines[0]).toMatch(/^Table 1 · accuracy %, mean ± population std over restarts/);
    expect(lines[0]).not.toMatch(/REDUCED/);
    expect(lines[1]!.split(/\s{2,}/).map((s) => s.trim()).filter(Boolean)).toEqual(["method", "n", "train", "test", "paper train", "paper test"]);
    expect(lines[2]!.split(/\s{3,}/).map((s) => s.trim()).filter(Boolean)).toEqual(["ERM", "2", "91.0 ± 1.0", "23.0 ± 3.0", "91.1 ± 0.4", "23.7 ± 0.8"]);
    expect(lines[3]!.split(/\s{3,}/).map((s) => s.trim()).filter(Boolean)).toEqual(["REx", "1", "70.0 ± 0.0", "68.0 ± 0.0", "71.5 ± 1.0", "68.7 ± 0.9"]);
    expect(lines[4]!.split(/\s{3,}/).map((s) => s.trim()).filter(Boolean)).toEqual(["random", "—", "—", "—", "50.0", "50.0"]);
    expect(formatTable1([{ protocol: cmnistSd, runs: [], fig4: null }], false)[2]).toMatch(/SD\s+0\s+—\s+—\s+70\.0 ± 0\.9/);
  });

  it("labels a reduced table in its title, rows and paper columns", () => {
    const reduced = results.map((r) => ({ ...r, protocol: reducedCmnistProtocol(r.protocol) }));
    const lines = formatTable1(reduced, true);
    expect(lines[0]).toMatch(/REDUCED CONFIGURATION, not the paper's protocol/);
    expect(lines[1]).toMatch(/paper \(full protocol\) train/);
    expect(lines[2]).toMatch(/^ {2}ERM \(reduced\)/);
    const fig4 = formatFig4(reduced, true);
    expect(fig4[0]).toMatch(/REDUCED CONFIGURATION/);
    expect(fig4.join("\n")).toMatch(/paper \(full protocol\)/);
  });

  it("prints the Fig. 4 grid: measured accuracy % (entropy) above the published values, — where the paper has none", () => {
    const lines = formatFig4(results, false);
    expect(lines[1]).toMatch(/digit·gray\s+digit·coloured\s+blank·gray\s+blank·coloured/);
    expect(lines[2]!.split(/\s{3,}/).map((s) => s.trim())).toEqual(["ERM", "measured (restart 1)", "63.3 (0.54)", "23.9 (0.44)", "49.9 (0.63)", "9.4 (0.00)"]);
    expect(lines[3]!.split(/\s{3,}/).map((s) => s.trim()).filter(Boolean)).toEqual(["paper", "63.3 (0.54)", "23.9 (0.44)", "49.9 (0.63)", "9.4 (0.00)"]);
    expect(lines[5]!.split(/\s{3,}/).map((s) => s.trim()).filter(Boolean)).toEqual(["paper", "—", "—", "—", "—"]);
    expect(formatFig4([{ protocol: cmnistErm, runs: [], fig4: null }], false).slice(1)).toEqual(["  (no protocol finished its last restart)"]);
  });
});

describe("cmnistJsonReport", () => {
  const context = { backend: "wasm", tfjs: "4.22.0", chunkSize: undefined, cancelled: false };

  it("labels a reduced run's numbers as such and keeps the paper's apart", () => {
    const protocol = reducedCmnistProtocol(cmnistErm, DEFAULT_REDUCED);
    const report = cmnistJsonReport([{ protocol, runs: [run(0, 0.9, 0.2)], fig4: { restart: 0, probes } }], { ...context, reduced: DEFAULT_REDUCED });
    expect(report.configuration).toMatch(/^reduced \(NOT the paper's protocol/);
    expect(report.reducedConfiguration).toEqual(DEFAULT_REDUCED);
    const entry = report.protocols[0]!;
    expect(entry).toMatchObject({ id: "cmnist-erm-reduced", method: "ERM (reduced)", steps: 100, examplesPerEnv: 1000 });
    expect(entry.reduced?.note).toMatch(/NOT the paper's protocol/);
    expect(entry).toHaveProperty("paperFullProtocol.table1", cmnistErm.reference.table1);
    expect(entry).not.toHaveProperty("paper");
    expect(JSON.parse(JSON.stringify(report)).protocols[0].summaryPercent.train.mean).toBeCloseTo(90, 12);
  });

  it("reports the paper's protocol plainly", () => {
    const report = cmnistJsonReport([{ protocol: cmnistErm, runs: [run(0, 0.9, 0.2)], fig4: null }], { ...context, reduced: null, cancelled: true });
    expect(report).toMatchObject({ configuration: "paper", reducedConfiguration: null, cancelled: true, chunkSize: null });
    expect(report.protocols[0]).toMatchObject({ id: "cmnist-erm", reduced: null, examplesPerEnv: null, fig4: null });
    expect(report.protocols[0]).toHaveProperty("paper.fig4", cmnistErm.reference.fig4);
  });
});
