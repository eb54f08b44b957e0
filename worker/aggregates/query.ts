// Reading a GET's query string against a shared zod schema: every parameter once, none the schema does not
// name (unknown ones are refused, not ignored), zod's issues in the 400; and the normalised query the ETag is
// built from (the parsed values with their defaults, in a fixed order).
import type { Context } from "hono";
import type { z } from "zod";
import { apiError, malformedOnFailure } from "../http";

export type ParsedQuery<T> = { ok: true; data: T; canonical: string } | { ok: false; response: Response };

export function parseQuery<S extends z.ZodType>(c: Context, schema: S, allowed: readonly string[]): ParsedQuery<z.infer<S>> {
  const given = c.req.queries();
  const unknown = Object.keys(given).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) return { ok: false, response: apiError(c, 400, "malformed", `Invalid request. Unknown query parameter ${unknown.map((k) => JSON.stringify(k)).join(", ")}; this route takes ${allowed.join(", ") || "none"}.`) };
  const repeated = Object.entries(given).filter(([, values]) => values.length > 1).map(([k]) => k);
  if (repeated.length > 0) return { ok: false, response: apiError(c, 400, "malformed", `Invalid request. Give ${repeated.join(", ")} once.`) };
  const result = schema.safeParse(Object.fromEntries(Object.entries(given).map(([k, [v]]) => [k, v])));
  if (!result.success) return { ok: false, response: malformedOnFailure(result, c)! };
  const data = result.data as Record<string, unknown>;
  const canonical = JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
  return { ok: true, data: result.data, canonical };
}
