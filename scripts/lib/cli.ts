// Small command-line helpers shared by the reproduction runners and the benchmark: argument parsing,
// number formatting and the training progress line.
import type { Stat } from "../../shared/api";
import { PROTOCOLS } from "../../shared/protocols/registry";
import type { Protocol } from "../../shared/protocols/types";

/** "0-9" → [0..9]; "0,3,5" → [0, 3, 5]; "2-4,8" → [2, 3, 4, 8]. */
export function parseSeeds(text: string): number[] {
  const seeds = text.split(",").flatMap((part) => {
    const [from, to] = part.split("-").map((s) => Number(s.trim()));
    if (!Number.isInteger(from) || (to !== undefined && !Number.isInteger(to))) throw new Error(`bad seed list "${text}": use e.g. 0-9 or 0,3,5`);
    return to === undefined ? [from!] : Array.from({ length: to - from! + 1 }, (_, k) => from! + k);
  });
  if (seeds.some((s) => s < 0 || s > 2 ** 32 - 1) || seeds.length === 0) throw new Error(`seeds must be integers in 0..2^32-1, got "${text}"`);
  return seeds;
}

/** A protocol id, or a figure ("fig1", "fig2"), or "all". */
export function selectProtocols(selector: string): Protocol[] {
  if (selector === "all") return [...PROTOCOLS];
  const exact = PROTOCOLS.filter((p) => p.id === selector);
  if (exact.length) return exact;
  const figure = PROTOCOLS.filter((p) => p.id.startsWith(`${selector}-`));
  if (figure.length) return figure;
  throw new Error(`unknown protocol "${selector}"; choose one of: all, fig1, fig2, ${PROTOCOLS.map((p) => p.id).join(", ")}`);
}

export const formatStat = (stat: Stat | null, digits: number): string =>
  stat === null ? "—" : `${stat.mean.toFixed(digits)} ± ${stat.std.toFixed(digits)}`;

/** What a trainer's progress report carries that the progress line shows. */
export interface ProgressTiming {
  readonly step: number;
  readonly steps: number;
  readonly stepsPerSecond: number;
}

/**
 * The runners' progress line: rewritten in place on a TTY; otherwise, with `lines` (--progress), printed at
 * most every 10 s. `progressLine(label, detail)` returns the callback for one run; `detail` adds to the line.
 */
export function progressLines(lines: boolean) {
  let lastLogged = 0;
  return <P extends ProgressTiming>(label: string, detail?: (p: P) => string) =>
    (p: P): void => {
      if (p.step === p.steps) return;
      const line = `  ${label} ${((100 * p.step) / p.steps).toFixed(0).padStart(3)}% · ${p.stepsPerSecond.toFixed(1)} steps/s${detail ? detail(p) : ""}`;
      if (process.stdout.isTTY) process.stdout.write(`\r${line}   `);
      else if (lines && Date.now() - lastLogged > 10_000) {
        lastLogged = Date.now();
        console.log(line);
      }
    };
}
