import { describe, expect, it } from "vitest";
import { RunMetaSchema } from "../../shared/api";
import { checkContributor, contributorKey, loadContributor, newContributorKey, saveContributor } from "./contributor";

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

describe("contributor keys", () => {
  const memory = () => {
    const items = new Map<string, string>();
    return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
  };

  it("makes a 256-bit base64url key the API accepts, different each time", () => {
    const key = newContributorKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(RunMetaSchema.shape.contributorKey.safeParse(key).success).toBe(true);
    expect(newContributorKey()).not.toBe(key);
  });

  it("makes the key once per browser and keeps it", () => {
    const storage = memory();
    const first = contributorKey(storage);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(contributorKey(storage)).toBe(first);
    storage.items.set("gslab.contributorKey", "tampered");
    expect(contributorKey(storage)).not.toBe("tampered");
  });

  it("is anonymous without storage", () => {
    expect(contributorKey(undefined)).toBeUndefined();
    const broken = { getItem: () => { throw new Error("denied"); }, setItem: () => undefined };
    expect(contributorKey(broken)).toBeUndefined();
  });
});
