// How GS Lab finds and starts Chromium, for the e2e tests and the benchmark alike: Debian's build (or the one
// GS_LAB_CHROMIUM names), headless as root, no network chatter (the machines have no internet), and WebGPU even
// without a GPU (SwiftShader). scripts/ensure-chromium.ts installs Debian's when none is found.
import { existsSync } from "node:fs";

/** Where Chromium is looked for, in order, after the GS_LAB_CHROMIUM environment variable. */
export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium", "/snap/bin/chromium"] as const;

/** The first Chromium that exists (GS_LAB_CHROMIUM first), or null when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string | null {
  const named = env.GS_LAB_CHROMIUM?.trim();
  if (named) return exists(named) ? named : null;
  return CHROMIUM_CANDIDATES.find((path) => exists(path)) ?? null;
}

/** The Chromium the tests launch: the one found, else Debian's path (so that an error names where it was expected). */
export const CHROMIUM_PATH = findChromium() ?? CHROMIUM_CANDIDATES[0];

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--enable-unsafe-webgpu",
];
