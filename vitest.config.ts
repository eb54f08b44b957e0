// Unit tests for shared/ (and web/ logic that needs no browser), run in Node.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["shared/**/*.test.ts", "web/src/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    // Some suites build an honest training chain in beforeAll (shared/metrics/trajectory.test.ts): on a shared 2-core machine that exceeds the 10 s default.
    hookTimeout: 120_000,
  },
});
