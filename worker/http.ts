// Error responses of the API: a machine-readable reason and a human sentence, always the same shape (a 403 behind
// Turnstile adds the challenge to solve).
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Challenge, ErrorResponse } from "../shared/api";

/** `challenge`: what the client may solve to be answered otherwise (a 403 behind Turnstile names its site key). */
export function apiError(c: Context, status: ContentfulStatusCode, reason: ErrorResponse["error"]["reason"], message: string, challenge?: Challenge) {
  return c.json({ error: { reason, message, ...(challenge ? { challenge } : {}) } } satisfies ErrorResponse, status);
}

/** zod-validator hook: a failed validation becomes a 400 'malformed' with zod's explanation. */
export function malformedOnFailure(result: { success: boolean; error?: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } }, c: Context) {
  if (result.success) return undefined;
  const details = (result.error?.issues ?? []).map((i) => `${i.path.map(String).join(".") || "request"}: ${i.message}`).join("; ");
  return apiError(c, 400, "malformed", `Invalid request. ${details}`);
}
