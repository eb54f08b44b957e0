import { describe, expect, it } from "vitest";
import { checkField, FIELD_BOUNDS } from "./playground-fields";

describe("playground number fields", () => {
  it("takes values within the server's bounds", () => {
    expect(checkField("lr", "0.05", 0.01)).toEqual({ ok: true, value: 0.05 });
    expect(checkField("lambda", " 0 ", 0.003)).toEqual({ ok: true, value: 0 });
    expect(checkField("seed", "42", 0)).toEqual({ ok: true, value: 42 });
    expect(checkField("lr", String(FIELD_BOUNDS.lr.max), 0.01).ok).toBe(true);
  });

  it("says why a value cannot be used, and what is used meanwhile", () => {
    expect(checkField("lr", "1", 0.01)).toEqual({ ok: false, message: "The learning rate must be at most 0.5. Still using 0.01." });
    expect(checkField("lr", "0.00001", 0.01)).toEqual({ ok: false, message: "The learning rate must be at least 1e-4. Still using 0.01." });
    expect(checkField("lambda", "", 0.003)).toEqual({ ok: false, message: "λ must be a number. Still using 0.003." });
    expect(checkField("lambda", "0.2", 0.003)).toMatchObject({ ok: false, message: "λ must be at most 0.1. Still using 0.003." });
    expect(checkField("seed", "1.5", 0)).toEqual({ ok: false, message: "The seed must be a whole number. Still using 0." });
    expect(checkField("seed", "-1", 3)).toMatchObject({ ok: false });
  });
});
