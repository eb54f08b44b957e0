// Turnstile on POST /api/workunits (worker/turnstile.ts): with TURNSTILE_SECRET set, no token or a refused one
// gets no workunit, siteverify being down fails closed, a token siteverify accepts gets one; without the secret
// nothing is asked. Cloudflare's siteverify is replaced by a stubbed fetch; the app runs in this isolate.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ErrorResponseSchema, WorkunitSchema } from "../shared/api";
import { app } from "./app";
import type { Bindings } from "./env";
import { SITEVERIFY_URL } from "./turnstile";

const SECRET = "turnstile-test-secret";
const withSecret = { ...(env as unknown as Bindings), TURNSTILE_SECRET: SECRET } as Bindings;

const ask = (bindings: Bindings, body: Record<string, unknown>) =>
  Promise.resolve(
    app.request(
      "http://gs.test/api/workunits",
      { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.99" }, body: JSON.stringify({ protocolId: "fig1-margin-pos", ...body }) },
      bindings,
    ),
  );

const reasonOf = async (response: Response) => ErrorResponseSchema.parse(await response.json()).error.reason;
const workunitCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM workunits").first<{ n: number }>())!.n;

afterEach(() => vi.restoreAllMocks());

describe("with TURNSTILE_SECRET set", () => {
  it("a request without turnstileToken → 403 forbidden, siteverify not even asked, no workunit", async () => {
    const siteverify = vi.spyOn(globalThis, "fetch");
    const before = await workunitCount();
    const response = await ask(withSecret, {});
    expect(response.status).toBe(403);
    expect(await reasonOf(response)).toBe("forbidden");
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
