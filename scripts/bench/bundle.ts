// Measures the Worker bundle that `wrangler deploy` would upload, without deploying.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export async function workerBundleSize(): Promise<{ bytes: number; gzipBytes: number }> {
  mkdirSync("web/dist", { recursive: true });
  const outdir = mkdtempSync(join(tmpdir(), "gs-lab-bundle-"));
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" };
  const run = spawnSync(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", outdir], { encoding: "utf8", env });
  if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed: ${run.stderr}`);
  const code = readFileSync(join(outdir, "index.js"));
  return { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}
