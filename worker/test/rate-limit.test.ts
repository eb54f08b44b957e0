// The per-address abuse limit: a client over its budget is answered 429 with Retry-After, other clients are
// not affected, and an IPv6 /64 counts as one client. Uses TIGHT_LIMITER (2 a minute, worker/vitest.config.ts)
// through the same middleware the submission, workunit and exploration routes use.
import { env } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ErrorResponseSchema } from "../../shared/api";
import type { AppEnv, Bindings } from "../env";
import { clientKey, LIMIT_PERIOD_SECONDS, rateLimit } from "../rate-limit";

const tight = (bindings: Bindings): RateLimit => (bindings as unknown as { TIGHT_LIMITER: RateLimit }).TIGHT_LIMITER;
const app = new Hono<AppEnv>().use(rateLimit(tight, "test requests")).get("/", (c) => c.text("ok"));
const from = (address: string) => app.request("/", { headers: { "cf-connecting-ip": address } }, env);

describe("rateLimit", () => {
  it("refuses a client's third request in a minute with 429 and Retry-After, and counts clients apart", async () => {
    expect((await from("203.0.113.7")).status).toBe(200);
    expect((await from("203.0.113.7")).status).toBe(200);
    const refused = await from("203.0.113.7");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String(LIMIT_PERIOD_SECONDS));
    expect(ErrorResponseSchema.parse(await refused.json()).error.reason).toBe("rate_limited");
    expect((await from("198.51.100.20")).status).toBe(200);
  });

  it("counts a whole IPv6 /64 as one client", async () => {
    expect((await from("2001:db8:1:2::a")).status).toBe(200);
    expect((await from("2001:db8:1:2:ffff::b")).status).toBe(200);
    expect((await from("2001:db8:1:2:3:4:5:6")).status).toBe(429);
    expect((await from("2001:db8:1:3::a")).status).toBe(200);
  });

  it("keys clients by address", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8::1")).toBe("2001:db8::/64");
    expect(clientKey(undefined)).toBe("unknown");
  });
});
