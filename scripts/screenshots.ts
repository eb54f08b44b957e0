// `npm run screenshots`: retakes the README's pictures from a fresh local server — real runs trained and verified
// through the CLI (Fig. 1 and Fig. 2, ten seeds each; Fig. 6), a benchmark suite run in headless Chromium and submitted — then the
// pages at 1280 px (and the leaderboard at a phone's 390 px) into docs/screenshots/. Loopback only, nothing downloaded.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../e2e/chromium";

const PORT = 8798;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const OUT = "docs/screenshots";

async function waitForServer(server: ChildProcess): Promise<void> {
  for (let k = 0; k < 300; k++) {
    if (server.exitCode !== null) throw new Error("the local server exited");
    try {
      if ((await fetch(`${ORIGIN}/api/protocols`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error("the local server did not start in 5 minutes");
}

function reproduce(args: readonly string[]): void {
  console.log(`[screenshots] npm run reproduce -- ${args.join(" ")}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/reproduce.ts", ...args, "--submit", ORIGIN], { stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) throw new Error(`reproduce ${args.join(" ")} failed`);
}

async function shoot(page: Page, path: string, file: string, options: { fullPage?: boolean; wait?: string } = {}): Promise<void> {
  await page.goto(`${ORIGIN}${path}`, { waitUntil: "networkidle" });
  if (options.wait) await page.locator(options.wait).first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${OUT}/${file}`, fullPage: options.fullPage ?? false });
  console.log(`[screenshots] ${OUT}/${file}  ← ${path}`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const server = spawn(process.execPath, ["scripts/serve.mjs", "--port", String(PORT), "--state", ".screenshot-state", "--fresh"], { stdio: ["ignore", "ignore", "inherit"] });
  try {
    await waitForServer(server);
    reproduce(["fig1", "--runs", "10", "--contributor", "cli-a"]);
    reproduce(["fig2", "--runs", "10", "--contributor", "cli-b"]);
    reproduce(["fig6", "--contributor", "cli-a"]);
    const runs = (await (await fetch(`${ORIGIN}/api/runs?protocol=fig1-margin-pos&limit=2`)).json()) as { runs: { id: string }[] };
    const other = (await (await fetch(`${ORIGIN}/api/runs?protocol=fig1-margin-neg&limit=1`)).json()) as { runs: { id: string }[] };
    const [run] = runs.runs;
    if (!run || !other.runs[0]) throw new Error("no verified fig1 runs to show");

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // A benchmark suite on wasm, submitted, so the benchmark board has a row.
    await page.goto(`${ORIGIN}/bench`);
    for (const backend of ["webgpu", "webgl", "cpu"]) await page.getByTestId(`suite-backend-${backend}`).uncheck();
    await page.getByTestId("suite-start").click();
    await page.locator('[data-testid="suite-status"][data-status="done"]').waitFor({ timeout: 300_000 });
    await page.getByTestId("suite-submit").click();
    await page.getByTestId("suite-board-wasm").waitFor({ timeout: 60_000 });

    await shoot(page, "/lab?protocol=fig1-margin-pos", "lab.png");
    await shoot(page, "/lab?protocol=cmnist-erm", "lab-cmnist.png");
    await shoot(page, "/leaderboard", "leaderboard.png", { fullPage: true });
    await shoot(page, "/leaderboard/fig2-margin-pos-sd", "board.png", { fullPage: true });
    await shoot(page, `/runs/${run.id}`, "run.png", { fullPage: true });
    await shoot(page, `/compare?runs=${run.id},${other.runs[0].id}`, "compare.png", { fullPage: true });
    await shoot(page, "/benchmarks", "benchmarks.png", { fullPage: true });
    await shoot(page, "/api/docs", "api-docs.png");
    await shoot(page, "/figures/fig2", "fig2.png", { fullPage: true });
    await shoot(page, "/figures/fig6", "fig6.png");
    await shoot(page, "/playground", "playground.png");
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await shoot(phone, "/leaderboard", "leaderboard-phone.png");
    await shoot(phone, `/runs/${run.id}`, "run-phone.png");
    await browser.close();
  } finally {
    server.kill("SIGTERM");
  }
}

await main();
