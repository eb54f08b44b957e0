// cliFetch: one retry when a kept-alive socket turned out closed (the CLI trains for seconds between requests),
// never for other failures; a server that asks for a browser challenge gets one sentence pointing to the Lab.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../shared/client/api-client";
import { browserChallengeSentence, cliFetch } from "./cli";

const closed = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(code), { code }) });

describe("cliFetch", () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each(["EPIPE", "ECONNRESET", "UND_ERR_SOCKET"])("sends the request again once after %s", async (code) => {
    const fetch = vi.fn().mockRejectedValueOnce(closed(code)).mockResolvedValueOnce(new Response("ok", { status: 201 }));
    vi.stubGlobal("fetch", fetch);
    const response = await cliFetch("http://127.0.0.1:1/api/runs", { method: "POST", body: "x" });
    expect(response.status).toBe(201);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(fetch.mock.calls[1]).toEqual(fetch.mock.calls[0]);
  });

  it("does not retry a refused connection, and retries a closed socket only once", async () => {
    const refused = vi.fn().mockRejectedValue(closed("ECONNREFUSED"));
    vi.stubGlobal("fetch", refused);
    await expect(cliFetch("http://127.0.0.1:1/")).rejects.toThrow("fetch failed");
    expect(refused).toHaveBeenCalledTimes(1);

    const twice = vi.fn().mockRejectedValue(closed("EPIPE"));
    vi.stubGlobal("fetch", twice);
    await expect(cliFetch("http://127.0.0.1:1/")).rejects.toThrow("fetch failed");
    expect(twice).toHaveBeenCalledTimes(2);
  });
});

describe("browserChallengeSentence", () => {
  it("says plainly that a server behind a browser challenge takes contributions from the Lab page, and nothing for other errors", () => {
    const asked = new ApiError(403, "forbidden", "solve it", { kind: "turnstile", siteKey: "1x00000000000000000000AA" });
    expect(browserChallengeSentence(asked, "https://gs.example/")).toBe(
      "The server https://gs.example requires a browser challenge (Cloudflare Turnstile) before it hands out work, which the command line cannot solve: contribute from the Lab page in a browser (https://gs.example/lab).",
    );
    expect(browserChallengeSentence(new ApiError(403, "forbidden", "misconfigured"), "https://gs.example")).toBeNull();
    expect(browserChallengeSentence(new TypeError("fetch failed"), "https://gs.example")).toBeNull();
  });
});
