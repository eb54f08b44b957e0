// A local GS Lab Worker for the scale scripts (scripts/seed-runs.ts, scripts/bench/board-scale.ts): wrangler's
// local D1 commands, a `wrangler dev` on a state folder with extra variables (stopped by its own PID), and the
// admin rebuild of the aggregates driven to the end. Loopback only.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { RebuildProgressSchema, type RebuildProgress } from "../../shared/board-api";

const WRANGLER = "node_modules/wrangler/bin/wrangler.js";
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true", NO_D1_WARNING: "true" };

/** Runs a wrangler command to completion; throws with its output when it fails. */
export function runWrangler(args: readonly string[]): void {
  const result = spawnSync(process.execPath, [WRANGLER, ...args], { env: ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`wrangler ${args.slice(0, 3).join(" ")} failed (${result.status}): ${(result.stderr || result.stdout).slice(-2000)}`);
}

export interface LocalWorker {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts `wrangler dev` on the state folder (the web client is not built: only the API is used) and waits until it answers. */
export async function startWranglerDev(options: { state: string; port: number; vars?: Record<string, string> }): Promise<LocalWorker> {
  mkdirSync("web/dist", { recursive: true });
  const taken = await fetch(`http://127.0.0.1:${options.port}/`).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`something already listens on 127.0.0.1:${options.port}: pick another --port`);
  const vars = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child = spawn(
    process.execPath,
    [WRANGLER, "dev", "--ip", "127.0.0.1", "--port", String(options.port), "--inspector-port", String(options.port + 100), "--persist-to", options.state, "--show-interactive-dev-session=false", ...vars],
    { env: ENV, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  for (let k = 0; k < 240; k++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${url}/api/protocols`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url} within 2 minutes: ${stderr}`);
}

/**
 * Drives POST /api/admin/aggregates/rebuild until nothing is left; returns the number of calls. Each call comes
 * from its own loopback client address (CF-Connecting-IP, which wrangler dev passes through, as scripts/load.ts
 * does for its clients), so the admin limiter's 20 a minute per address does not pace a local rebuild.
 */
export async function rebuildAggregates(url: string, token: string, report: (progress: RebuildProgress) => void): Promise<number> {
  let retries = 0;
  for (let call = 0; call < 100_000; call++) {
    const response = await fetch(`${url}/api/admin/aggregates/rebuild`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "cf-connecting-ip": `10.250.${(call >> 8) & 255}.${call & 255}` },
      body: JSON.stringify({ start: call === 0 }),
    }).catch(() => null);
    // A call is idempotent (it refreshes what is still marked): one that wrangler dev dropped is sent again.
    if ((response === null || response.status === 503) && retries < 10) {
      retries += 1;
      call -= 1;
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    if (response === null || !response.ok) throw new Error(`rebuild call ${call} answered ${response?.status ?? "nothing"}: ${await response?.text()}`);
    const progress = RebuildProgressSchema.parse(await response.json());
    if (call % 10 === 0) report(progress);
    if (progress.dirtySeeds === 0 && progress.staleStandings === 0) return call + 1;
  }
  throw new Error("the rebuild did not finish");
}
