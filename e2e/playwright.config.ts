// Playwright drives Debian's headless Chromium against `wrangler dev` (started fresh by scripts/serve.mjs,
// which also builds the web client): real browser, real Worker, real D1 and R2 emulation.
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "./chromium";

const root = fileURLToPath(new URL("..", import.meta.url));
const PORT = 8788;
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  outputDir: "../test-results",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    browserName: "chromium",
    trace: "retain-on-failure",
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS },
  },
  webServer: {
    command: `node scripts/serve.mjs --port ${PORT} --state .e2e-state --fresh`,
    cwd: root,
    url: `${baseURL}/api/protocols`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
