// cliFetch: one retry when a kept-alive socket turned out closed (the CLI trains for seconds between requests),
// never for other failures.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cliFetch } from "./cli";

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
