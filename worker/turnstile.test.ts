// Turnstile on POST /api/workunits (worker/turnstile.ts): with TURNSTILE_SECRET set, no token or a refused one
// gets no workunit (with TURNSTILE_SITE_KEY set, the 403 names it as error.challenge for the Lab's widget; without
// it, the 403 says the deployment is misconfigured), siteverify being down fails closed, a token siteverify accepts
// gets one; without the secret nothing is asked. Cloudflare's siteverify is replaced by a stubbed fetch; the app
// runs in this isolate, with per-test bindings.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ErrorResponseSchema, WorkunitSchema } from "../shared/api";
import { app } from "./app";
import type { Bindings } from "./env";
import { MISCONFIGURED_MESSAGE, SITEVERIFY_URL } from "./turnstile";

const SECRET = "turnstile-test-secret";
/** Cloudflare's always-passing test site key: public, like every site key. */
const SITE_KEY = "1x00000000000000000000AA";
const withSecret = { ...(env as unknown as Bindings), TURNSTILE_SECRET: SECRET } as Bindings;
const withSiteKey = { ...withSecret, TURNSTILE_SITE_KEY: SITE_KEY } as Bindings;

const ask = (bindings: Bindings, body: Record<string, unknown>) =>
  Promise.resolve(
    app.request(
      "http://gs.test/api/workunits",
      { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.99" }, body: JSON.stringify({ protocolId: "fig1-margin-pos", ...body }) },
      bindings,
    ),
  );

const reasonOf = async (response: Response) => ErrorResponseSchema.parse(await response.json()).error.reason;
const errorOf = async (response: Response) => ErrorResponseSchema.parse(await response.json()).error;
const workunitCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM workunits").first<{ n: number }>())!.n;

afterEach(() => vi.restoreAllMocks());

describe("with TURNSTILE_SECRET and TURNSTILE_SITE_KEY set", () => {
  it("a request without turnstileToken → 403 forbidden naming the challenge and its site key, siteverify not even asked, no workunit", async () => {
    const siteverify = vi.spyOn(globalThis, "fetch");
    const before = await workunitCount();
    const response = await ask(withSiteKey, {});
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error).toMatchObject({ reason: "forbidden", challenge: { kind: "turnstile", siteKey: SITE_KEY } });
    expect(error.message).not.toContain("misconfigured");
    expect(siteverify).not.toHaveBeenCalled();
    expect(await workunitCount()).toBe(before);
  });

  it("a token siteverify refuses → 403 naming the challenge again (a fresh token is needed); siteverify down → 503 without one", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValueOnce(Response.json({ success: false, "error-codes": ["timeout-or-duplicate"] }));
    const refused = await ask(withSiteKey, { turnstileToken: "used-token" });
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ reason: "forbidden", message: expect.stringContaining("timeout-or-duplicate"), challenge: { kind: "turnstile", siteKey: SITE_KEY } });
    vi.spyOn(globalThis, "fetch").mockRejectedValueOnce(new TypeError("network down"));
    const unavailable = await ask(withSiteKey, { turnstileToken: "some-token" });
    expect(unavailable.status).toBe(503);
    expect((await errorOf(unavailable)).challenge).toBeUndefined();
  });

  it("a site key that is not a site key (markup, too long) is not handed to browsers: the 403 says the deployment is misconfigured", async () => {
    for (const siteKey of ["<script>", "k".repeat(129)]) {
      const response = await ask({ ...withSecret, TURNSTILE_SITE_KEY: siteKey } as Bindings, {});
      expect(response.status).toBe(403);
      const error = await errorOf(response);
      expect(error.challenge).toBeUndefined();
      expect(error.message).toContain(MISCONFIGURED_MESSAGE);
    }
  });
});

describe("with TURNSTILE_SECRET set and no TURNSTILE_SITE_KEY (wrangler.toml's empty default)", () => {
  it("a request without turnstileToken → 403 forbidden without a challenge, saying the deployment is misconfigured; siteverify not asked, no workunit", async () => {
    expect((env as unknown as Bindings).TURNSTILE_SITE_KEY).toBe("");
    const siteverify = vi.spyOn(globalThis, "fetch");
    const before = await workunitCount();
    const response = await ask(withSecret, {});
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error.reason).toBe("forbidden");
    expect(error.challenge).toBeUndefined();
    expect(error.message).toContain("misconfigured");
    expect(error.message).toContain("TURNSTILE_SITE_KEY");
    expect(siteverify).not.toHaveBeenCalled();
    expect(await workunitCount()).toBe(before);
  });

  it("a token siteverify refuses → 403 forbidden, no workunit; siteverify got the secret, the token and the address", async () => {
    const siteverify = vi.spyOn(globalThis, "fetch").mockResolvedValue(Response.json({ success: false, "error-codes": ["invalid-input-response"] }));
    const before = await workunitCount();
    const response = await ask(withSecret, { turnstileToken: "forged-token" });
    expect(response.status).toBe(403);
    expect(ErrorResponseSchema.parse(await response.json()).error).toMatchObject({ reason: "forbidden", message: expect.stringContaining("invalid-input-response") });
    expect(await workunitCount()).toBe(before);
    expect(siteverify).toHaveBeenCalledTimes(1);
    const [url, init] = siteverify.mock.calls[0]!;
    expect(String(url)).toBe(SITEVERIFY_URL);
    const form = init!.body as FormData;
    expect([form.get("secret"), form.get("response"), form.get("remoteip")]).toEqual([SECRET, "forged-token", "192.0.2.99"]);
  });

  it.each([
    ["answers 500", () => Promise.resolve(new Response("oops", { status: 500 }))],
    ["is unreachable", () => Promise.reject(new TypeError("network down"))],
    ["answers something that is not its schema", () => Promise.resolve(Response.json({ ok: "yes" }))],
  ])("siteverify %s → 503 internal, no workunit (fails closed)", async (_, answer) => {
    vi.spyOn(globalThis, "fetch").mockImplementation(answer);
    const before = await workunitCount();
    const response = await ask(withSecret, { turnstileToken: "some-token" });
    expect(response.status).toBe(503);
    expect(await reasonOf(response)).toBe("internal");
    expect(await workunitCount()).toBe(before);
  });

  it("a token siteverify accepts → 201 and a workunit", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(Response.json({ success: true, "error-codes": [] }));
    const response = await ask(withSecret, { turnstileToken: "good-token" });
    expect(response.status).toBe(201);
    WorkunitSchema.parse(await response.json());
  });
});

describe("without TURNSTILE_SECRET", () => {
  it("nothing is asked: a request without a token gets its workunit and siteverify is never called", async () => {
    const siteverify = vi.spyOn(globalThis, "fetch");
    const response = await ask(env as unknown as Bindings, {});
    expect(response.status).toBe(201);
    expect(siteverify).not.toHaveBeenCalled();
  });
});
