// Abuse limits per client address: a hono middleware over a Workers Rate Limiting binding (simulated
// locally by wrangler dev and workerd tests) that answers 429 with Retry-After once an address has spent its
// budget for the period. The address is Cloudflare's CF-Connecting-IP, keyed by clientKey (an IPv6 /64 is one
// client, however it is spelled); requests without a readable one (only possible off Cloudflare) share one budget.
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Bindings } from "./env";
import { clientKey } from "./address";
import { apiError } from "./http";

export { clientKey };

/** The period (seconds) of every limiter in wrangler.toml: a client that was refused may retry after it. */
export const LIMIT_PERIOD_SECONDS = 60;

/** Refuses a client's request once `limiterOf(env)` says its address has used its budget (wrangler.toml [[ratelimits]]). */
export function rateLimit(limiterOf: (env: Bindings) => RateLimit, what: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { success } = await limiterOf(c.env).limit({ key: clientKey(c.req.header("cf-connecting-ip")) });
    if (!success) {
      c.header("Retry-After", String(LIMIT_PERIOD_SECONDS));
      return apiError(c, 429, "rate_limited", `Too many ${what} from your address; try again in a minute.`);
    }
    await next();
  };
}
