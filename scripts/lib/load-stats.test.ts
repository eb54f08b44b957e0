// Why: the load script's options must stay bounded and loopback-only, and its percentile and exactly-once audit must be right.
import { describe, expect, it } from "vitest";
import { auditStored, parseLoadArgs, percentile } from "./load-stats";

describe("parseLoadArgs", () => {
  it("defaults to a small run against the local server", () => {
    const options = parseLoadArgs([]);
    expect(options).not.toBe("help");
    expect(options).toMatchObject({ clients: 8, runsPerClient: 10, readsPerClient: 20, retryEvery: 5, maxSeconds: 120 });
    expect(options !== "help" && options.url.origin).toBe("http://127.0.0.1:8787");
  });

  it("refuses servers off this machine and unbounded counts", () => {
    expect(() => parseLoadArgs(["--url", "https://gs-lab.example.workers.dev"])).toThrow(/loopback/);
    expect(() => parseLoadArgs(["--url", "http://10.0.0.1:8787"])).toThrow(/loopback/);
    expect(parseLoadArgs(["--url", "http://localhost:9000"])).toMatchObject({ url: new URL("http://localhost:9000") });
    expect(() => parseLoadArgs(["--clients", "65"])).toThrow(/1\.\.64/);
    expect(() => parseLoadArgs(["--max-seconds", "0"])).toThrow(/1\.\.600/);
    expect(() => parseLoadArgs(["--runs", "1.5"])).toThrow(/integer/);
    expect(parseLoadArgs(["--help"])).toBe("help");
  });
});

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, k) => 100 - k);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("auditStored", () => {
  it("counts a retried id once and finds nothing lost or duplicated when the board grew by the distinct runs", () => {
    expect(auditStored({ acceptedIds: ["a", "b", "b", "c"], missingIds: [], leaderboardBefore: 10, leaderboardAfter: 13 })).toEqual({ distinctAccepted: 3, lost: 0, duplicated: 0 });
  });

  it("reports a run stored twice and a run the server lost", () => {
    expect(auditStored({ acceptedIds: ["a", "b"], missingIds: [], leaderboardBefore: 0, leaderboardAfter: 3 })).toMatchObject({ duplicated: 1, lost: 0 });
    expect(auditStored({ acceptedIds: ["a", "b"], missingIds: ["b"], leaderboardBefore: 0, leaderboardAfter: 1 })).toMatchObject({ duplicated: 0, lost: 1 });
  });
});
