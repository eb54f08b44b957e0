import { describe, expect, it } from "vitest";
import { nameKey, normaliseName } from "./names";

describe("normaliseName", () => {
  it("removes zero-width, joiner and BOM characters, so a padded name is the name", () => {
    expect(normaliseName("alice\u200b")).toBe("alice");
    expect(normaliseName("\ufeffal\u200dice\u2060")).toBe("alice");
  });

  it("removes bidi embeddings, overrides and isolates, so no name can render reversed", () => {
    expect(normaliseName("\u202eecila\u202c")).toBe("ecila");
    expect(normaliseName("bob\u2066#3f2a\u2069\u200f")).toBe("bob#3f2a");
    expect(normaliseName("\u061c\u200e\u200fx\u202a\u202b\u202d")).toBe("x");
  });

  it("folds compatibility forms with NFKC and collapses whitespace and control characters", () => {
    expect(normaliseName("ａｌｉｃｅ")).toBe("alice");
    expect(normaliseName("  ali\tce \n bob\u0007 ")).toBe("ali ce bob");
    expect(normaliseName("ﬁsh")).toBe("fish");
  });

  it("keeps letters of every script and ordinary punctuation as they are", () => {
    expect(normaliseName("Zoë · 李 · Ахмед <b>")).toBe("Zoë · 李 · Ахмед <b>");
  });

  it("leaves nothing of a name made only of invisible characters", () => {
    expect(normaliseName("\u200b\u200e\u2066")).toBe("");
  });
});

describe("nameKey", () => {
  it("compares names case-folded after normalisation, so case, width and padding make no other name", () => {
    const key = nameKey("alice");
    for (const spelling of ["Alice", "ALICE", "alice\u200b", "\u2066Ａｌｉｃｅ\u2069", " a\u200dlice "]) expect(nameKey(spelling)).toBe(key);
    expect(nameKey("Straße")).toBe(nameKey("STRASSE"));
    expect(nameKey("ΟΔΟΣ")).toBe(nameKey("οδος"));
  });

  it("keeps different names apart", () => {
    expect(nameKey("alice")).not.toBe(nameKey("alice2"));
    expect(nameKey("alice")).not.toBe(nameKey("al ice"));
    expect(nameKey("Zoë")).not.toBe(nameKey("Zoe"));
  });
});
