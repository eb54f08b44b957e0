// The Worker's bindings and hono environment type, in one place for every route module.
export interface Bindings {
  readonly DB: D1Database;
  readonly ARTIFACTS: R2Bucket;
  readonly ASSETS: Fetcher;
  /**
   * How long a workunit's token stays valid, in seconds: unset (the default) = a few times the protocol's expected
   * training time (worker/workunit-ttl.ts); a positive number overrides that for every protocol.
   */
  readonly WORKUNIT_TTL_SECONDS?: string;
  /**
   * Open (unconsumed, unexpired) workunits one client address (worker/address.ts clientKey) and one contributor
   * key may hold at once (wrangler.toml [vars]; defaults in worker/routes/workunits.ts): more is refused with 429.
   */
  readonly WORKUNIT_OPEN_PER_ADDRESS?: string;
  readonly WORKUNIT_OPEN_PER_KEY?: string;
  /**
   * Cloudflare Turnstile secret (`wrangler secret put TURNSTILE_SECRET`): when set, POST /api/workunits needs a
   * `turnstileToken` that Cloudflare's siteverify accepts (worker/turnstile.ts); unset = no challenge (locally, tests).
   */
  readonly TURNSTILE_SECRET?: string;
  /**
   * Turnstile's public site key (wrangler.toml [vars], empty by default): a 403 for a missing or refused token
   * names it (`error.challenge`), so that the Lab renders the widget; unset with the secret set = misconfigured.
   */
  readonly TURNSTILE_SITE_KEY?: string;
  /** Bearer token of the admin API: a Worker secret (`wrangler secret put ADMIN_TOKEN`), never in wrangler.toml; unset = admin API off. */
  readonly ADMIN_TOKEN?: string;
  /** When set (tests, `npm run bench -- board-scale`): leaderboard answers carry x-gs-rows-read, the D1 rows they read. */
  readonly DEBUG_ROWS_READ?: string;
  /** Per-address budgets (wrangler.toml [[ratelimits]]): submissions and saved explorations, and workunits. */
  readonly SUBMIT_LIMITER: RateLimit;
  readonly WORKUNIT_LIMITER: RateLimit;
  /** Per-address budget of the admin API, spent before the bearer token is checked. */
  readonly ADMIN_LIMITER: RateLimit;
  /** Per-address budget of the CSV/JSON exports: a full dump streams every verified run, so it is not free to ask for. */
  readonly EXPORT_LIMITER: RateLimit;
}

export type AppEnv = { Bindings: Bindings };
