import { describe, expect, it } from "vitest";
import { ApiError } from "../../shared/client/api-client";
import { DatasetIntegrityError } from "../../shared/client/dataset";
import { BackendError, describeError, serializeError } from "./errors";

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
