#!/usr/bin/env node
// Runs GS Lab locally, the embedded default: builds the web client, applies the D1 migrations to a local
// state folder and starts `wrangler dev` on 127.0.0.1 — no Cloudflare account and no network needed.
// Usage: node scripts/serve.mjs [--port 8787] [--state .local-state] [--fresh] [--no-build]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    state: { type: "string", default: ".local-state" },
    fresh: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
  },
});

const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true", NO_D1_WARNING: "true" };
const wrangler = ["node_modules/wrangler/bin/wrangler.js"];

function run(command, commandArgs, label) {
  console.log(`[gs-lab] ${label}`);
  const result = spawnSync(command, commandArgs, { stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`[gs-lab] ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/** Applies the D1 migrations quietly: one line saying what was applied (wrangler's tables only when it fails). */
function applyMigrations(state) {
  const result = spawnSync(process.execPath, [...wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { env, encoding: "utf8" });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0) {
    console.error(output);
    console.error(`[gs-lab] applying D1 migrations to ${state} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
  const pending = output.match(/About to apply (\d+) migration/);
  console.log(pending ? `[gs-lab] D1 (${state}): applied ${pending[1]} migration(s)` : `[gs-lab] D1 (${state}): up to date`);
}

if (!existsSync("node_modules/wrangler")) run("npm", ["ci"], "installing dependencies (npm ci)");
if (!args["no-build"]) {
  // The same steps as `npm run build`: the wasm kernels, the content-addressed dataset packs into web/public/data, then Vite.
  run(process.execPath, ["scripts/build-kernels.mjs"], "compiling the AssemblyScript kernels");
  run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/data/build-mnist-pack.ts"], "building the MNIST pack");
  run(process.execPath, ["node_modules/vite/bin/vite.js", "build", "--config", "web/vite.config.ts", "--logLevel", "error"], "building the web client");
}
if (args.fresh) rmSync(args.state, { recursive: true, force: true });
applyMigrations(args.state);

console.log(`[gs-lab] starting wrangler dev on http://127.0.0.1:${args.port}`);
const server = spawn(process.execPath, [...wrangler, "dev", "--ip", "127.0.0.1", "--port", args.port, "--persist-to", args.state, "--show-interactive-dev-session=false"], {
  stdio: ["inherit", "pipe", "inherit"],
  env,
});
// wrangler logs every page view with a note that the single-page fallback served it: keep the request line, drop the note.
const SPA_NOTE = / ?`Sec-Fetch-Mode: navigate` header present - using `not_found_handling` behavior/g;
server.stdout.setEncoding("utf8");
server.stdout.on("data", (chunk) => process.stdout.write(chunk.replace(SPA_NOTE, "")));
// Stop wrangler by its own PID (not npm's or npx's) so that workerd goes down with it.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
