// The Chromium lookup the e2e tests and scripts/ensure-chromium.ts share: the named one first, then Debian's paths.
import { describe, expect, it } from "vitest";
import { CHROMIUM_CANDIDATES, findChromium } from "../e2e/chromium";

describe("findChromium", () => {
  it("takes GS_LAB_CHROMIUM when it exists, and reports none when it does not", () => {
    expect(findChromium({ GS_LAB_CHROMIUM: "/opt/chrome" }, (p) => p === "/opt/chrome")).toBe("/opt/chrome");
    expect(findChromium({ GS_LAB_CHROMIUM: "/opt/chrome" }, (p) => p === "/usr/bin/chromium")).toBeNull();
  });
  it("falls back to the first Debian path that exists", () => {
    expect(findChromium({}, (p) => p === "/usr/lib/chromium/chromium")).toBe("/usr/lib/chromium/chromium");
    expect(findChromium({}, () => false)).toBeNull();
    expect(CHROMIUM_CANDIDATES[0]).toBe("/usr/bin/chromium");
  });
});
