// Opaque keyset cursors (shared/board-api.ts CursorSchema): base64url of the JSON of the last row's sort key
// and id, read back through a zod schema, so a forged or damaged cursor is refused, never trusted.
import type { z } from "zod";

const toBase64Url = (text: string): string => {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
};

/** The cursor of a position (e.g. [createdAt, id]). */
export const encodeCursor = (position: readonly (string | number)[]): string => toBase64Url(JSON.stringify(position));

/** The position a cursor holds, if it is one `schema` accepts; null for anything else. */
export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.infer<S> | null {
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
