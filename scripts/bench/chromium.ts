// Training throughput in real headless Chromium: serves the app with wrangler dev, opens /bench for each
// backend and reads the results the page exposes (data-testid attributes).
import { chromium, type Browser } from "@playwright/test";
import { spawn } from "node:child_process";
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

/** A local GS Lab (scripts/serve.mjs: a fresh build, `wrangler dev`, its state in a temporary folder). */
export interface LocalServer {
  /** e.g. http://127.0.0.1:8790 */
  readonly origin: string;
  /** Stops the server and removes its state. */
  stop(): void;
}

/** Starts a local GS Lab on `port` and waits until its API answers (the build takes a minute or two). */
export async function startLocalServer(port: number): Promise<LocalServer> {
  const origin = `http://127.0.0.1:${port}`;
  const state = mkdtempSync(join(tmpdir(), "gs-lab-bench-"));
  const server = spawn(process.execPath, ["scripts/serve.mjs", "--port", String(port), "--state", state], { stdio: "ignore" });
  const stop = (): void => {
    server.kill("SIGTERM");
    rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${origin}/api/protocols`)).ok) return { origin, stop };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  stop();
  throw new Error("the local server did not start within 3 minutes");
}

/** One /bench page run of the fig1 step on `backend`: its steps/s (null when the page reports an error), the backend it used and what computed the steps. */
export async function benchPageStepsPerSecond(
  browser: Browser,
  origin: string,
  backend: string,
  steps: number,
): Promise<{ stepsPerSecond: number | null; backend: string; engine: string | null }> {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/bench?backend=${backend}&steps=${steps}`);
    const status = page.locator('[data-testid="bench-status"][data-status="done"], [data-testid="bench-status"][data-status="error"]');
    await status.waitFor({ timeout: 600_000 });
    if ((await status.getAttribute("data-status")) !== "done") return { stepsPerSecond: null, backend, engine: null };
    const value = await page.getByTestId("bench-steps-per-second").getAttribute("data-value");
    return {
      stepsPerSecond: value === null ? null : Number(value),
      backend: (await page.getByTestId("bench-backend").textContent()) ?? backend,
      engine: await page.getByTestId("bench-engine").getAttribute("data-value"),
    };
  } finally {
    await page.close();
  }
}

/** wasm and cpu for `steps` (cpu a fifth of that); WebGL and WebGPU run on SwiftShader here, a few steps. */
export async function benchChromium(steps: number): Promise<{ single: ChromiumBench[]; batched: ChromiumBatchBench[] }> {
  const plan = [
    { backend: "wasm", steps, note: "" },
    { backend: "cpu", steps: Math.max(20, Math.round(steps / 10)), note: "" },
    { backend: "webgl", steps: 5, note: "software GL (SwiftShader), 5 steps" },
    { backend: "webgpu", steps: 3, note: "SwiftShader fallback adapter, 3 steps" },
  ];
  const server = await startLocalServer(PORT);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  try {
    const results: ChromiumBench[] = [];
    for (const run of plan) {
      const measured = await benchPageStepsPerSecond(browser, server.origin, run.backend, run.steps);
      results.push({ backend: measured.backend, steps: run.steps, stepsPerSecond: measured.stepsPerSecond, note: `${run.steps} steps${run.note ? `; ${run.note}` : ""}${measured.engine === "fused" ? "; fused kernel" : ""}` });
    }
    const batched: ChromiumBatchBench[] = [];
    for (const backend of ["wasm", "cpu"]) {
      const page = await browser.newPage();
      const n = backend === "wasm" ? Math.round(steps / 2) : Math.max(10, Math.round(steps / 25));
      await page.goto(`${server.origin}/bench?backend=${backend}&steps=${n}&seeds=10&mode=compare`);
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
    server.stop();
  }
}
