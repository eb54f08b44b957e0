// Training throughput in real headless Chromium: serves the app with wrangler dev, opens /bench for each
// backend and reads the results the page exposes (data-testid attributes).
import { chromium } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../../e2e/chromium";


export interface ChromiumBatchBench {
  backend: string;
  sequentialRunStepsPerSecond: number | null;
  batchedRunStepsPerSecond: number | null;
}

export interface ChromiumBench {
  backend: string;
  steps: number;
  stepsPerSecond: number | null;
  note: string;
}

const PORT = 8790;

async function startServer(): Promise<{ server: ChildProcess; state: string }> {
  const state = mkdtempSync(join(tmpdir(), "gs-lab-bench-"));
  const server = spawn(process.execPath, ["scripts/serve.mjs", "--port", String(PORT), "--state", state], { stdio: "ignore" });
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/protocols`)).ok) return { server, state };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  server.kill("SIGTERM");
  throw new Error("the local server did not start within 3 minutes");
}

/** wasm and cpu for `steps` (cpu a fifth of that); WebGL and WebGPU run on SwiftShader here, a few steps. */
export async function benchChromium(steps: number): Promise<{ single: ChromiumBench[]; batched: ChromiumBatchBench[] }> {
  const plan = [
    { backend: "wasm", steps, note: "" },
    { backend: "cpu", steps: Math.max(20, Math.round(steps / 10)), note: "" },
    { backend: "webgl", steps: 5, note: "software GL (SwiftShader), 5 steps" },
    { backend: "webgpu", steps: 3, note: "SwiftShader fallback adapter, 3 steps" },
  ];
  const { server, state } = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  try {
    const results: ChromiumBench[] = [];
    for (const run of plan) {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${PORT}/bench?backend=${run.backend}&steps=${run.steps}`);
      const status = page.locator('[data-testid="bench-status"][data-status="done"], [data-testid="bench-status"][data-status="error"]');
      await status.waitFor({ timeout: 600_000 });
      const done = (await status.getAttribute("data-status")) === "done";
      const value = done ? await page.getByTestId("bench-steps-per-second").getAttribute("data-value") : null;
      const backend = done ? ((await page.getByTestId("bench-backend").textContent()) ?? run.backend) : run.backend;
      results.push({ backend, steps: run.steps, stepsPerSecond: value === null ? null : Number(value), note: `${run.steps} steps${run.note ? `; ${run.note}` : ""}` });
      await page.close();
    }
    const batched: ChromiumBatchBench[] = [];
    for (const backend of ["wasm", "cpu"]) {
      const page = await browser.newPage();
      const n = backend === "wasm" ? Math.round(steps / 2) : Math.max(10, Math.round(steps / 25));
      await page.goto(`http://127.0.0.1:${PORT}/bench?backend=${backend}&steps=${n}&seeds=10&mode=compare`);
      const status = page.locator('[data-testid="bench-status"][data-status="done"], [data-testid="bench-status"][data-status="error"]');
      await status.waitFor({ timeout: 600_000 });
      const done = (await status.getAttribute("data-status")) === "done";
      const read = async (id: string) => (done ? Number(await page.getByTestId(id).getAttribute("data-value")) : null);
      batched.push({ backend, sequentialRunStepsPerSecond: await read("bench-sequential-rps"), batchedRunStepsPerSecond: await read("bench-batched-rps") });
      await page.close();
    }
    return { single: results, batched };
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    rmSync(state, { recursive: true, force: true });
  }
}
