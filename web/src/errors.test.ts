import { describe, expect, it } from "vitest";
import { ApiError } from "../../shared/client/api-client";
import { DatasetIntegrityError } from "../../shared/client/dataset";
import { BackendError, describeError, isRetryable, serializeError } from "./errors";

describe("errors", () => {
  it("classifies what the worker and the API client throw", () => {
    expect(serializeError(new TypeError("Failed to fetch")).kind).toBe("network");
    expect(serializeError(new DatasetIntegrityError("a".repeat(64), "b".repeat(64))).kind).toBe("integrity");
    expect(serializeError(new BackendError("webgpu: no adapter")).kind).toBe("backend");
    expect(serializeError(new ApiError(429, "rate_limited", "slow down"))).toEqual({
      kind: "api",
      name: "ApiError",
      message: "slow down",
      status: 429,
      reason: "rate_limited",
    });
    expect(serializeError("boom")).toEqual({ kind: "other", name: "Error", message: "boom" });
  });

  it("explains them in plain words, also after crossing the worker boundary", () => {
    const serialized = structuredClone(serializeError(new TypeError("Failed to fetch")));
    expect(describeError(serialized).title).toMatch(/could not be reached/);
    expect(describeError(new ApiError(429, "rate_limited", "slow down")).detail).toMatch(/Wait a minute/);
    expect(describeError(new BackendError("x")).title).toMatch(/backend/);
  });
});

describe("isRetryable", () => {
  it("offers a retry for network and server failures, not for a request the server says is wrong", () => {
    expect(isRetryable({ kind: "network", name: "TypeError", message: "Failed to fetch" })).toBe(true);
    expect(isRetryable({ kind: "api", name: "ApiError", message: "x", status: 503 })).toBe(true);
    expect(isRetryable({ kind: "api", name: "ApiError", message: "x", status: 429, reason: "rate_limited" })).toBe(true);
    expect(isRetryable({ kind: "api", name: "ApiError", message: "No run has that id.", status: 404, reason: "not_found" })).toBe(false);
    expect(isRetryable({ kind: "api", name: "ApiError", message: "bad", status: 400, reason: "malformed" })).toBe(false);
  });
  it("names an unknown experiment in plain words", () => {
    const described = describeError({ kind: "api", name: "ApiError", message: "No protocol has that id; GET /api/protocols lists them.", status: 404, reason: "unknown_protocol" });
    expect(described.title).toBe("There is no experiment with that name.");
    expect(described.detail).not.toContain("/api/");
  });
});
