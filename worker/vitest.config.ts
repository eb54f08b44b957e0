// Worker tests run inside workerd (the Workers runtime) with the D1 migrations applied to a fresh database.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { mkdirSync } from "node:fs";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  // wrangler.toml serves web/dist as static assets; the API tests need the folder to exist, not the build.
  mkdirSync("./web/dist", { recursive: true });
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest({
        main: "./worker/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
      }),
    ],
    test: {
      include: ["worker/**/*.test.ts"],
      setupFiles: ["./worker/test/apply-migrations.ts"],
      testTimeout: 60_000,
    },
  };
});
