// Small command-line helpers shared by the reproduction runner and the benchmark: argument parsing
// and number formatting.
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
