// Abuse limits per client address: a hono middleware over a Workers Rate Limiting binding (simulated
// locally by wrangler dev and workerd tests) that answers 429 with Retry-After once an address has spent its
// budget for the period. The address is Cloudflare's CF-Connecting-IP; requests without it (only possible
// off Cloudflare) share one budget.
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Bindings } from "./env";
import { apiError } from "./http";

/** The period (seconds) of every limiter in wrangler.toml: a client that was refused may retry after it. */
export const LIMIT_PERIOD_SECONDS = 60;

/** IPv6 clients can switch addresses within their /64: count the whole /64 as one client. */
export function clientKey(address: string | undefined): string {
  if (!address) return "unknown";
  if (!address.includes(":")) return address;
  const groups = address.split("::")[0]!.split(":");
  return `${groups.slice(0, 4).join(":")}::/64`;
}

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
