// Error responses of the API: a machine-readable reason and a human sentence, always the same shape.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorResponse } from "../shared/api";

export function apiError(c: Context, status: ContentfulStatusCode, reason: ErrorResponse["error"]["reason"], message: string) {
  return c.json({ error: { reason, message } } satisfies ErrorResponse, status);
}

/** zod-validator hook: a failed validation becomes a 400 'malformed' with zod's explanation. */
export function malformedOnFailure(result: { success: boolean; error?: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } }, c: Context) {
  if (result.success) return undefined;
  const details = (result.error?.issues ?? []).map((i) => `${i.path.map(String).join(".") || "request"}: ${i.message}`).join("; ");
  return apiError(c, 400, "malformed", `Invalid request. ${details}`);
}
