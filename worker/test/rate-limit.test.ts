// The per-address abuse limit: a client over its budget is answered 429 with Retry-After, other clients are
// not affected, and an IPv6 /64 counts as one client. Uses TIGHT_LIMITER (2 a minute, worker/vitest.config.ts)
// through the same middleware the submission, workunit and exploration routes use.
import { env } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ErrorResponseSchema } from "../../shared/api";
import type { AppEnv, Bindings } from "../env";
import { addressBlock } from "../address";
import { clientKey, LIMIT_PERIOD_SECONDS, rateLimit } from "../rate-limit";
import { exportRoutes } from "../routes/export";

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

  it("bounds the CSV/JSON exports per address (a dump reads every verified run)", async () => {
    const limited = { ...env, EXPORT_LIMITER: tight(env) };
    const download = (path: string) => exportRoutes.request(path, { headers: { "cf-connecting-ip": "192.0.2.55" } }, limited);
    expect((await download("/runs.csv")).status).toBe(200);
    expect((await download("/runs.json")).status).toBe(200);
    const refused = await download("/runs.csv");
    expect(refused.status).toBe(429);
    expect(ErrorResponseSchema.parse(await refused.json()).error.reason).toBe("rate_limited");
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
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    // Every spelling of one /64 is one budget; "::"-prefixed addresses are not lumped together.
    expect(clientKey("2001:DB8:0:0:0::9")).toBe(clientKey("2001:db8::1"));
    expect(clientKey("2001:db8:0:0:1:2:3:4")).toBe(clientKey("[2001:db8::5]"));
    expect(clientKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:cb00:7107")).toBe("203.0.113.7");
    expect(clientKey("::1")).not.toBe(clientKey("1::1"));
    expect(clientKey("not an address")).toBe("unknown");
    expect(clientKey(undefined)).toBe("unknown");
  });

  it("groups addresses into blocks for the Sybil checks: an IPv4 /24, an IPv6 /48", () => {
    expect(addressBlock("203.0.113.7")).toBe(addressBlock("203.0.113.200"));
    expect(addressBlock("203.0.113.7")).not.toBe(addressBlock("203.0.114.7"));
    expect(addressBlock("2001:db8:1:2::a")).toBe(addressBlock("2001:db8:1:ffff::b"));
    expect(addressBlock("2001:db8:1::a")).not.toBe(addressBlock("2001:db8:2::a"));
    expect(addressBlock("::ffff:203.0.113.9")).toBe("203.0.113.0/24");
  });
});
