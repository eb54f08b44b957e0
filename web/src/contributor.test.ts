import { describe, expect, it } from "vitest";
import { checkContributor, loadContributor, saveContributor } from "./contributor";

describe("contributor names", () => {
  it("treats blank as anonymous and trims", () => {
    expect(checkContributor("   ")).toEqual({ ok: true, name: undefined });
    expect(checkContributor("  Ada ")).toEqual({ ok: true, name: "Ada" });
  });

  it("refuses names over 40 characters", () => {
    expect(checkContributor("x".repeat(40))).toEqual({ ok: true, name: "x".repeat(40) });
    expect(checkContributor("x".repeat(41)).ok).toBe(false);
  });

  it("remembers the name in storage", () => {
    const map = new Map<string, string>();
    const storage = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
    saveContributor(" Grace ", storage);
    expect(loadContributor(storage)).toBe("Grace");
    saveContributor("", storage);
    expect(loadContributor(storage)).toBe("");
  });
});
