// `npm run bench -- board-scale`: the read side at 100, 10,000 and 100,000 stored runs. Each size is seeded
// once (scripts/seed-runs.ts, into .scale-state/<runs>, kept for later runs: --reseed writes it again), served
// with `wrangler dev` (DEBUG_ROWS_READ set, so answers carry x-gs-rows-read), and each request kind is timed
// sequentially after a warm-up: p50 / p99 latency, response bytes, D1 rows read per request. Prints a table.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { percentile } from "../lib/load-stats";
import { startWranglerDev } from "../lib/local-worker";
import { seedRuns } from "../seed-runs";

export interface BoardScaleOptions {
  readonly sizes: readonly number[];
  readonly requests: number;
  readonly reseed: boolean;
  readonly port: number;
}

const BOARD = "fig2-margin-pos-sd";
const KINDS: readonly { label: string; path: string; conditional?: boolean }[] = [
  { label: "GET /api/leaderboard", path: "/api/leaderboard" },
  { label: "GET /api/leaderboard?backend=webgpu", path: "/api/leaderboard?backend=webgpu" },
  { label: "GET /api/leaderboard?gpuVendor=nvidia&trust=reproduced", path: "/api/leaderboard?gpuVendor=nvidia&trust=reproduced" },
  { label: `GET /api/leaderboard/${BOARD} (50 newest)`, path: `/api/leaderboard/${BOARD}` },
  { label: `GET /api/leaderboard/${BOARD}?sort=trainMs&backend=wasm`, path: `/api/leaderboard/${BOARD}?sort=trainMs&order=asc&backend=wasm` },
  { label: `GET /api/leaderboard/${BOARD}?sort=metric:curvature`, path: `/api/leaderboard/${BOARD}?sort=metric:curvature` },
  { label: "GET /api/leaderboard/facets", path: "/api/leaderboard/facets" },
  { label: "GET /api/leaderboard, If-None-Match (304)", path: "/api/leaderboard", conditional: true },
];

export interface ScaleRow {
  readonly runs: number;
  readonly kind: string;
  readonly p50: number;
  readonly p99: number;
  readonly bytes: number;
  readonly rowsRead: number;
  readonly status: number;
}

async function measure(url: string, kind: (typeof KINDS)[number], requests: number, runs: number): Promise<ScaleRow> {
  const first = await fetch(`${url}${kind.path}`);
  await first.arrayBuffer();
  const etag = first.headers.get("etag") ?? "";
  const headers: Record<string, string> = kind.conditional ? { "if-none-match": etag } : {};
  for (let k = 0; k < 5; k++) await (await fetch(`${url}${kind.path}`, { headers })).arrayBuffer();
  const times: number[] = [];
  let bytes = 0;
  let rowsRead = 0;
  let status = 0;
  for (let k = 0; k < requests; k++) {
    const started = performance.now();
    const response = await fetch(`${url}${kind.path}`, { headers });
    const body = await response.arrayBuffer();
    times.push(performance.now() - started);
    bytes = body.byteLength;
    rowsRead = Number(response.headers.get("x-gs-rows-read") ?? NaN);
    status = response.status;
  }
  return { runs, kind: kind.label, p50: percentile(times, 50), p99: percentile(times, 99), bytes, rowsRead, status };
}

export async function benchBoardScale(options: BoardScaleOptions): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const runs of options.sizes) {
    const state = join(".scale-state", String(runs));
    const marker = join(state, "seeded.json");
    if (options.reseed || !existsSync(marker) || (JSON.parse(readFileSync(marker, "utf8")) as { runs: number }).runs !== runs) {
      const seeded = await seedRuns({ runs, state, port: options.port, seed: 14 });
      writeFileSync(marker, JSON.stringify({ runs, ...seeded }));
    }
    const seeded = JSON.parse(readFileSync(marker, "utf8")) as { insertSeconds: number; rebuildSeconds: number };
    console.log(`[board-scale] ${runs} runs (inserted in ${seeded.insertSeconds.toFixed(1)} s, aggregates rebuilt in ${seeded.rebuildSeconds.toFixed(1)} s)`);
    const server = await startWranglerDev({ state, port: options.port, vars: { DEBUG_ROWS_READ: "1" } });
    try {
      for (const kind of KINDS) {
        rows.push(await measure(server.url, kind, options.requests, runs));
        const r = rows[rows.length - 1]!;
        console.log(`[board-scale] ${runs} runs · ${r.kind}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.bytes} bytes, ${r.rowsRead} rows read (HTTP ${r.status})`);
      }
    } finally {
      await server.stop();
    }
  }
  return rows;
}

/** The table, as the README shows it. */
export function scaleTable(rows: readonly ScaleRow[]): string {
  const lines = ["| runs stored | request | p50 ms | p99 ms | bytes | D1 rows read |", "|---:|---|---:|---:|---:|---:|"];
  for (const r of rows) lines.push(`| ${r.runs.toLocaleString("en")} | ${r.kind}${r.status === 200 || r.status === 304 ? "" : ` (HTTP ${r.status})`} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.bytes.toLocaleString("en")} | ${r.rowsRead.toLocaleString("en")} |`);
  return lines.join("\n");
}
