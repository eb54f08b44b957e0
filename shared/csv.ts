// CSV cells and lines as RFC 4180 writes them, made safe to open in a spreadsheet: a text cell that a
// spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage return) gets a leading '.
// Used by the Worker's export; display names in it are user-supplied.

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: null is empty, numbers as JavaScript writes them (they round-trip), text neutralised and quoted where needed. */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export const csvLine = (values: readonly (string | number | null)[]): string => `${values.map(csvCell).join(",")}\r\n`;
