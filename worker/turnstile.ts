// Cloudflare Turnstile, the production option against scripted identities: when the TURNSTILE_SECRET secret is
// set, a workunit request must carry a Turnstile token that Cloudflare's siteverify accepts (one token, one
// request). Off when the secret is unset (locally and in tests). Bounded: one subrequest with a timeout. A
// refusal names the public TURNSTILE_SITE_KEY (turnstileChallenge), so that the Lab can render the widget.
import { z } from "zod";
import { ChallengeSchema, type Challenge } from "../shared/api";

export const SITEVERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
/** How long siteverify may take before the request is refused as unverifiable. */
export const SITEVERIFY_TIMEOUT_MS = 5000;

/** The part of siteverify's answer that is used (https://developers.cloudflare.com/turnstile/get-started/server-side-validation/). */
const SiteverifySchema = z.object({ success: z.boolean(), "error-codes": z.array(z.string()).optional() });

export type TurnstileOutcome = { readonly ok: true } | { readonly ok: false; readonly status: 403 | 503; readonly message: string };

/**
 * Checks a Turnstile token with siteverify: `token` missing or refused → 403; siteverify unreachable, slow or
 * answering something else → 503 (fails closed: no workunit without a verified challenge).
 */
export async function verifyTurnstile(secret: string, token: string | undefined, remoteIp: string | undefined): Promise<TurnstileOutcome> {
  if (!token) return { ok: false, status: 403, message: "This server asks for a Turnstile challenge: send its token as 'turnstileToken'." };
  const form = new FormData();
  form.set("secret", secret);
  form.set("response", token);
  if (remoteIp) form.set("remoteip", remoteIp);
  let answer: unknown;
  try {
    const response = await fetch(SITEVERIFY_URL, { method: "POST", body: form, signal: AbortSignal.timeout(SITEVERIFY_TIMEOUT_MS) });
    if (!response.ok) return { ok: false, status: 503, message: `The Turnstile check is unavailable (siteverify answered ${response.status}); try again.` };
    answer = await response.json();
  } catch {
    return { ok: false, status: 503, message: "The Turnstile check is unavailable; try again." };
  }
  const parsed = SiteverifySchema.safeParse(answer);
  if (!parsed.success) return { ok: false, status: 503, message: "The Turnstile check answered something unexpected; try again." };
  if (!parsed.data.success) {
    const codes = parsed.data["error-codes"]?.join(", ");
    return { ok: false, status: 403, message: `The Turnstile token was not accepted${codes ? ` (${codes})` : ""}; solve the challenge again.` };
  }
  return { ok: true };
}

/** Said with a refusal when TURNSTILE_SECRET is set but no usable TURNSTILE_SITE_KEY is: no client can pass. */
export const MISCONFIGURED_MESSAGE =
  "This deployment is misconfigured: it requires a Turnstile token but publishes no valid TURNSTILE_SITE_KEY, so no browser can show the challenge.";

/** The challenge a refused workunit request names: the deployment's site key when it is set and well-formed, else null. */
export function turnstileChallenge(siteKey: string | undefined): Challenge | null {
  const parsed = ChallengeSchema.safeParse({ kind: "turnstile", siteKey: siteKey?.trim() });
  return parsed.success ? parsed.data : null;
}
