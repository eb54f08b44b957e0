import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

describe("csv cells", () => {
  it("quotes commas, quotes and line breaks as RFC 4180 does, and leaves plain text alone", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then')).toBe('"say ""hi"", then"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("")).toBe("");
  });

  it("neutralises cells a spreadsheet would run as formulas", () => {
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rx")).toBe("\"'\rx\"");
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("writes numbers as they round-trip (negative numbers are numbers, not formulas) and null as empty", () => {
    expect(csvCell(-0.125)).toBe("-0.125");
    expect(csvCell(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(Number(csvCell(1 / 3))).toBe(1 / 3);
    expect(csvCell(null)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
  });

  it("ends a record with CRLF", () => {
    expect(csvLine(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
  });
});
