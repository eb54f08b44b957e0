// The Worker's bindings and hono environment type, in one place for every route module.
export interface Bindings {
  readonly DB: D1Database;
  readonly ARTIFACTS: R2Bucket;
  readonly ASSETS: Fetcher;
  /** How long a workunit's token stays valid, in seconds (wrangler.toml [vars]). */
  readonly WORKUNIT_TTL_SECONDS: string;
}

export type AppEnv = { Bindings: Bindings };
