// A fault test: the Worker restarts between a workunit and its submission (a deploy, an evicted isolate, a
// crashed dev server). Everything lives in D1 and R2, so after the restart the submission is accepted, a retry
// of it is answered with the same run, and after one more restart the run is there exactly once. Runs its own
// `wrangler dev` (port 8789, a fresh state folder) so it can stop and start it; the web build is the one the
// suite's server made.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { RunRecordSchema, WorkunitSchema, type RunMeta } from "../shared/api";
import { fig6Dual } from "../shared/protocols/toy";
import { toyRunEvidence } from "../shared/toy/family";

const root = fileURLToPath(new URL("..", import.meta.url));
const PORT = 8789;
const BASE = `http://127.0.0.1:${PORT}`;
const WRANGLER = join(root, "node_modules/wrangler/bin/wrangler.js");
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true", NO_D1_WARNING: "true" };

async function startWorker(state: string): Promise<ChildProcess> {
  const server = spawn(process.execPath, [WRANGLER, "dev", "--ip", "127.0.0.1", "--port", String(PORT), "--persist-to", state, "--show-interactive-dev-session=false"], {
    cwd: root,
    env: ENV,
    stdio: "ignore",
  });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`${BASE}/api/protocols`).then((r) => r.ok, () => false);
    if (ready) return server;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  server.kill("SIGKILL");
  throw new Error("wrangler dev did not start within 90 s");
}

async function stopWorker(server: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  // The port is free once nothing answers on it.
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && (await fetch(`${BASE}/api/protocols`).then(() => true, () => false))) await new Promise((r) => setTimeout(r, 300));
}

function submission(meta: RunMeta): FormData {
  const form = new FormData();
  form.set("meta", JSON.stringify(meta));
  form.set("weights", new Blob([new Uint8Array(0)], { type: "application/octet-stream" }), "weights.f32");
  return form;
}

test("a Worker restarted between workunit and submission loses nothing and duplicates nothing", async () => {
  test.setTimeout(300_000);
  const state = mkdtempSync(join(tmpdir(), "gs-lab-restart-"));
  let server: ChildProcess | null = null;
  try {
    const migrated = spawnSync(process.execPath, [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { cwd: root, env: ENV, encoding: "utf8" });
    expect(migrated.status, migrated.stderr).toBe(0);

    server = await startWorker(state);
    const issued = await fetch(`${BASE}/api/workunits`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ protocolId: fig6Dual.id }) });
    expect(issued.status).toBe(201);
    const workunit = WorkunitSchema.parse(await issued.json());
    await stopWorker(server);

    server = await startWorker(state);
    const evidence = toyRunEvidence(fig6Dual);
    const meta: RunMeta = {
      token: workunit.token,
      protocolId: fig6Dual.id,
      protocolVersion: fig6Dual.version,
      seed: workunit.seed,
      contributor: "restart test",
      ...evidence,
      environment: { backend: "cpu", tfjsVersion: "none", client: "cli", userAgent: "e2e restart test" },
      timings: { trainMs: 1, steps: fig6Dual.toy.steps },
    };
    const first = await fetch(`${BASE}/api/runs`, { method: "POST", body: submission(meta) });
    expect(first.status).toBe(201);
    const record = RunRecordSchema.parse(await first.json());
    expect(record.status).toBe("accepted");
    // The client did not see the answer and retries: the same run comes back.
    const retry = await fetch(`${BASE}/api/runs`, { method: "POST", body: submission(meta) });
    expect(retry.headers.get("idempotent-replay")).toBe("true");
    expect(RunRecordSchema.parse(await retry.json()).id).toBe(record.id);
    await stopWorker(server);

    server = await startWorker(state);
    expect(RunRecordSchema.parse(await (await fetch(`${BASE}/api/runs/${record.id}`)).json())).toEqual(record);
    const board = (await (await fetch(`${BASE}/api/leaderboard/${fig6Dual.id}`)).json()) as { entry: { runs: number }; runs: { id: string }[] };
    expect(board.entry.runs).toBe(1);
    expect(board.runs.map((r) => r.id)).toEqual([record.id]);
    // And the token stays spent across restarts.
    const again = await fetch(`${BASE}/api/runs`, { method: "POST", body: submission({ ...meta, contributor: "someone else" }) });
    expect(again.status).toBe(409);
  } finally {
    if (server) await stopWorker(server);
    rmSync(state, { recursive: true, force: true });
  }
});
