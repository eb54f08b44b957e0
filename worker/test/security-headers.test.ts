// Every API answer carries the security headers (worker/app.ts): JSON that may load nothing, never framed, never
// sniffed as another type, same-origin only and cross-origin isolated. The HTML and static assets get theirs from
// web/public/_headers (e2e).
import { describe, expect, it } from "vitest";
import { api, postJson } from "./helpers";

const expectApiHeaders = (response: Response) => {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  // The pages' cross-origin isolation (web/public/_headers): same-origin resources to them, isolated if opened alone.
  expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
  expect(response.headers.get("cross-origin-embedder-policy")).toBe("credentialless");
};

describe("API security headers", () => {
  it("are on answers, errors and refusals alike", async () => {
    const answers = await Promise.all([
      api("/api/protocols"),
      api("/api/leaderboard"),
      api("/api/no-such-route"),
      api("/api/leaderboard/fig1-margin-neg/series/constructor"),
      postJson("/api/workunits", { protocolId: "no-such-protocol" }),
      api("/api/admin/log"),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 404, 404, 404, 403]);
    for (const response of answers) expectApiHeaders(response);
  });
});
