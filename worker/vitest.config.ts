// Worker tests run inside workerd (the Workers runtime) with the D1 migrations applied to a fresh database.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { MNIST_PACK_MANIFEST } from "../shared/data/mnist-pack-manifest";
import { buildMnistPack } from "../scripts/data/mnist-pack-build";

export default defineConfig(async () => {
  // wrangler.toml serves web/dist as static assets. The API tests need the folder, not the web build, and the
  // MNIST pack the Colored-MNIST verifier reads from the assets (built here, checked, when no build put it there).
  mkdirSync("./web/dist/data", { recursive: true });
  const packFile = `./web/dist${MNIST_PACK_MANIFEST.path}`;
  if (!existsSync(packFile)) {
    const built = await buildMnistPack();
    if (built.sha256 !== MNIST_PACK_MANIFEST.sha256) throw new Error(`the MNIST pack built for the Worker tests is not the manifest's (${built.sha256})`);
    writeFileSync(packFile, built.bytes);
  }
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest({
        main: "./worker/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        // ADMIN_TOKEN is a Worker secret in production; the tests give it a throwaway value.
        // The suites submit far more than a client may in a minute: the limiters get test budgets here, and
        // TIGHT_LIMITER (2 a minute) lets worker/test/rate-limit.test.ts see a client refused; the admin API keeps a
        // small budget (30) that worker/test/moderation.test.ts spends from an address of its own.
        miniflare: {
          // The suites' requests carry no CF-Connecting-IP, so they all count as one address: its cap on open
          // workunits is lifted here (worker/test/workunit-caps.test.ts checks the real defaults through the app).
          bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: "test-admin-token-not-a-secret", WORKUNIT_OPEN_PER_ADDRESS: "100000", DEBUG_ROWS_READ: "1" },
          ratelimits: {
            SUBMIT_LIMITER: { simple: { limit: 100_000, period: 60 } },
            WORKUNIT_LIMITER: { simple: { limit: 100_000, period: 60 } },
            ADMIN_LIMITER: { simple: { limit: 30, period: 60 } },
            EXPORT_LIMITER: { simple: { limit: 100_000, period: 60 } },
            TIGHT_LIMITER: { simple: { limit: 2, period: 60 } },
          },
        },
      }),
    ],
    test: {
      include: ["worker/**/*.test.ts"],
      // The OpenAPI document's validator reads its meta-schemas from disk: that test runs in Node (vitest.config.ts).
      exclude: ["worker/openapi/**"],
      setupFiles: ["./worker/test/apply-migrations.ts"],
      // A 10,000-step two-moons submission trains its whole chain in the test (memoised per protocol and seed) and the
      // Worker replays all 40 segments: about a minute each on this 2-core machine.
      testTimeout: 300_000,
      // Some suites train and submit an honest run in beforeAll (worker/test/accepted-run.test.ts): on a shared 2-core machine that exceeds the 10 s default.
      hookTimeout: 120_000,
    },
  };
});
