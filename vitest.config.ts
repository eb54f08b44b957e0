// Unit tests for shared/ (and web/ logic that needs no browser, and the OpenAPI document's validation), run in Node.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["shared/**/*.test.ts", "web/src/**/*.test.ts", "scripts/**/*.test.ts", "worker/openapi/**/*.test.ts"],
    environment: "node",
    // The fused two-moons kernel (shared/kernels), compiled by `npm run kernels`, as every Node entry point installs it.
    setupFiles: ["./scripts/lib/moons-kernel-node.ts"],
    testTimeout: 60_000,
  },
});
