// The Worker's bindings and hono environment type, in one place for every route module.
export interface Bindings {
  readonly DB: D1Database;
  readonly ARTIFACTS: R2Bucket;
  readonly ASSETS: Fetcher;
  /** How long a workunit's token stays valid, in seconds (wrangler.toml [vars]). */
  readonly WORKUNIT_TTL_SECONDS: string;
  /** Bearer token of the admin API: a Worker secret (`wrangler secret put ADMIN_TOKEN`), never in wrangler.toml; unset = admin API off. */
  readonly ADMIN_TOKEN?: string;
  /**
   * Secret that keys which trajectory segments are replayed (`wrangler secret put REPLAY_KEY`); unset = a fresh
   * crypto-random draw per submission. With a key, the draw can be re-derived to audit a verdict.
   */
  readonly REPLAY_KEY?: string;
  /** Per-address budgets (wrangler.toml [[ratelimits]]): submissions and saved explorations, and workunits. */
  readonly SUBMIT_LIMITER: RateLimit;
  readonly WORKUNIT_LIMITER: RateLimit;
  /** Per-address budget of the admin API, spent before the bearer token is checked. */
  readonly ADMIN_LIMITER: RateLimit;
}

export type AppEnv = { Bindings: Bindings };
