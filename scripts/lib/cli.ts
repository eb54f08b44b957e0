// Small command-line helpers shared by the reproduction runners and the benchmark: argument parsing,
// number formatting, the training progress line, and the one sentence for a server behind a browser challenge.
import type { Stat, Workunit } from "../../shared/api";
import { ApiError, type ApiClient } from "../../shared/client/api-client";
import { PROTOCOLS } from "../../shared/protocols/registry";
import type { CmnistProtocol } from "../../shared/protocols/colored-mnist";
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

/** The protocols this runner trains: two-moons and the toy model (Colored MNIST has its own, reproduce-cmnist.ts). */
export type TwoMoonsOrToy = Exclude<Protocol, CmnistProtocol>;
const RUNNABLE = PROTOCOLS.filter((p): p is TwoMoonsOrToy => p.family !== "colored-mnist");

/** A protocol id, or a figure ("fig1", "fig2"), or "all" (two-moons and toy protocols). */
export function selectProtocols(selector: string): TwoMoonsOrToy[] {
  if (selector === "all") return [...RUNNABLE];
  const exact = RUNNABLE.filter((p) => p.id === selector);
  if (exact.length) return exact;
  const figure = RUNNABLE.filter((p) => p.id.startsWith(`${selector}-`));
  if (figure.length) return figure;
  throw new Error(`unknown protocol "${selector}"; choose one of: all, fig1, fig2, cmnist (npm run reproduce -- cmnist --help), ${RUNNABLE.map((p) => p.id).join(", ")}`);
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

const isStaleSocket = (error: unknown): boolean =>
  error instanceof TypeError && /UND_ERR_SOCKET|ECONNRESET|EPIPE/.test(String((error as { cause?: { code?: string } }).cause?.code ?? ""));

/**
 * fetch for the command-line clients: retries once when a request went out on a kept-alive connection the server
 * had already closed (ECONNRESET, EPIPE while writing the body, undici's socket error). A long training step
 * blocks Node's event loop, so undici only learns of the close when it reuses the socket; the request never
 * reached the server whole (and the same body sent again gets the stored run back: Idempotent-Replay).
 */
export async function cliFetch(input: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (error) {
    if (!isStaleSocket(error)) throw error;
    return fetch(input, init);
  }
}

/**
 * The contributor key of command-line submissions, from GSLAB_CONTRIBUTOR_KEY (43 base64url characters, e.g.
 * made with `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`); unset means
 * anonymous runs, which count toward no quorum.
 */
export function cliContributorKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = env.GSLAB_CONTRIBUTOR_KEY?.trim();
  if (!key) return undefined;
  if (!/^[A-Za-z0-9_-]{43}$/.test(key)) throw new Error("GSLAB_CONTRIBUTOR_KEY must be 43 base64url characters (32 random bytes)");
  return key;
}

/**
 * The sentence for a workunit request answered with a challenge (a server behind Cloudflare Turnstile, which only a
 * browser can solve); null for any other error.
 */
export function browserChallengeSentence(error: unknown, server: string): string | null {
  if (!(error instanceof ApiError && error.challenge)) return null;
  const origin = server.replace(/\/+$/, "");
  return `The server ${origin} requires a browser challenge (Cloudflare Turnstile) before it hands out work, which the command line cannot solve: contribute from the Lab page in a browser (${origin}/lab).`;
}

/** api.workunit for the command line: a server that asks for a browser challenge ends the run with that one sentence (exit 3). */
export async function cliWorkunit(api: ApiClient, protocolId: string, server: string): Promise<Workunit> {
  try {
    return await api.workunit(protocolId);
  } catch (error) {
    const sentence = browserChallengeSentence(error, server);
    if (sentence === null) throw error;
    console.error(sentence);
    process.exit(3);
  }
}
