// Why: the pure half of the load script (scripts/load.ts) — its options, the loopback-only guard, latency
// percentiles and the exactly-once audit — kept free of I/O so tests run it as is.
import { parseArgs } from "node:util";

export interface LoadOptions {
  readonly url: URL;
  /** Simulated clients, each with its own address (CF-Connecting-IP, which wrangler dev passes through). */
  readonly clients: number;
  /** Honest submissions per client. */
  readonly runsPerClient: number;
  /** GET /api/leaderboard reads per client, spread between its submissions. */
  readonly readsPerClient: number;
  /** Every n-th submission is sent twice (a retry of the same body), to check idempotency under load. */
  readonly retryEvery: number;
  /** Hard stop: the script gives up (and reports what it has) after this long. */
  readonly maxSeconds: number;
}

export const LOAD_USAGE = `npm run load -- [--url http://127.0.0.1:8787] [--clients 8] [--runs 10] [--reads 20] [--retry-every 5] [--max-seconds 120]

Drives a local GS Lab server (loopback only) with concurrent clients, each submitting honest Fig. 6 toy runs
(workunit, then submission; every --retry-every-th sent twice) and reading the leaderboard; prints throughput,
p50/p99 latency per request kind and errors, then checks that every accepted run is stored exactly once.`;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

function bounded(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${flag} must be an integer in ${min}..${max}, got "${text}"`);
  return value;
}

/** The command line, bounded in count and time; refuses any server that is not on this machine. */
export function parseLoadArgs(argv: readonly string[]): LoadOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: "string", default: "http://127.0.0.1:8787" },
      clients: { type: "string", default: "8" },
      runs: { type: "string", default: "10" },
      reads: { type: "string", default: "20" },
      "retry-every": { type: "string", default: "5" },
      "max-seconds": { type: "string", default: "120" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help";
  const url = new URL(values.url);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`--url must be a loopback address (127.0.0.1, localhost, [::1]); got ${url.hostname}`);
  return {
    url,
    clients: bounded("--clients", values.clients, 1, 64),
    runsPerClient: bounded("--runs", values.runs, 0, 200),
    readsPerClient: bounded("--reads", values.reads, 0, 1000),
    retryEvery: bounded("--retry-every", values["retry-every"], 0, 1000),
    maxSeconds: bounded("--max-seconds", values["max-seconds"], 1, 600),
  };
}

/** The p-th percentile (0–100) of `values` by the nearest-rank method; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** What the server says it stored, against what the clients were told. */
export interface StoredCheck {
  /** Run ids the clients got back with an accepted status (retries included). */
  readonly acceptedIds: readonly string[];
  /** Of the distinct ids, those GET /api/runs/:id could not find. */
  readonly missingIds: readonly string[];
  /** The leaderboard's run count for the protocols used, before and after. */
  readonly leaderboardBefore: number;
  readonly leaderboardAfter: number;
}

export interface Audit {
  readonly distinctAccepted: number;
  /** Accepted runs the server does not have. */
  readonly lost: number;
  /** Runs counted on the leaderboard beyond the distinct accepted ones (a retry stored twice, say). */
  readonly duplicated: number;
}

/** Exactly once: each distinct accepted id is stored, and the leaderboard grew by exactly their number. */
export function auditStored(check: StoredCheck): Audit {
  const distinctAccepted = new Set(check.acceptedIds).size;
  const grown = check.leaderboardAfter - check.leaderboardBefore;
  return { distinctAccepted, lost: Math.max(check.missingIds.length, distinctAccepted - grown), duplicated: Math.max(0, grown - distinctAccepted) };
}
