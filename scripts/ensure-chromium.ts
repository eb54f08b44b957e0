// `npm test` starts here: the end-to-end tests drive a real Chromium, so find it (e2e/chromium.ts), or install
// Debian's `chromium` package when this machine can (root or password-less sudo, apt-get), or stop at once with
// one clear instruction — never minutes into the suite, and never by downloading a browser from outside apt.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { findChromium } from "../e2e/chromium";

const say = (line: string) => console.log(`[gs-lab] ${line}`);

function canUseApt(): { ok: boolean; prefix: string[] } {
  if (!existsSync("/usr/bin/apt-get")) return { ok: false, prefix: [] };
  if (process.getuid?.() === 0) return { ok: true, prefix: [] };
  const sudo = spawnSync("sudo", ["-n", "true"], { stdio: "ignore" });
  return { ok: sudo.status === 0, prefix: ["sudo", "-n"] };
}

function aptInstall(prefix: readonly string[]): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args: readonly string[]) => {
    const [command, ...rest] = [...prefix, ...args];
    const result = spawnSync(command!, rest, { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) console.error(`${result.stdout ?? ""}${result.stderr ?? ""}`.split("\n").slice(-30).join("\n"));
    return result.status === 0;
  };
  return run(["apt-get", "update", "-qq"]) && run(["apt-get", "install", "-y", "-qq", "chromium"]);
}

function main(): number {
  const found = findChromium();
  if (found) return 0;
  if (process.env.GS_LAB_CHROMIUM) {
    say(`GS_LAB_CHROMIUM is set to ${process.env.GS_LAB_CHROMIUM}, which does not exist. Point it at a Chromium or Chrome binary, or unset it.`);
    return 1;
  }
  const apt = canUseApt();
  if (apt.ok) {
    say("The end-to-end tests need Chromium and none was found: installing Debian's chromium package with apt-get (once; this takes a minute or two).");
    if (aptInstall(apt.prefix) && findChromium()) {
      say(`Chromium installed: ${findChromium()}`);
      return 0;
    }
    say("apt-get could not install chromium (see its output above).");
  }
  say("The end-to-end tests need Chromium, and none was found. Install it with `sudo apt-get install chromium` (Debian/Ubuntu),");
  say("or set GS_LAB_CHROMIUM to the path of a Chromium or Chrome binary, then run `npm test` again.");
  return 1;
}

process.exitCode = main();
