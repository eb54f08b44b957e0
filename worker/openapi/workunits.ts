// OpenAPI: workunits (worker/routes/workunits.ts) — the server picks the seed and issues a single-use token.
import { WorkunitRequestSchema, WorkunitSchema } from "../../shared/api";
import { errors, json, MALFORMED, named, RATE_LIMITED, type Registry } from "./common";

export function register(registry: Registry): void {
  registry.registerPath({
    method: "post",
    path: "/api/workunits",
    tags: ["workunits"],
    summary: "Ask for a workunit: the server assigns the seed and a single-use token",
    description: "Open workunits are capped per address and per contributor key; behind Cloudflare Turnstile when the deployment sets TURNSTILE_SECRET (a 403 then names the site key in error.challenge).",
    request: { body: { required: true, content: { "application/json": { schema: named("WorkunitRequest", WorkunitRequestSchema) } } } },
    responses: {
      201: json("The workunit: seed, token, expiry and where the data is.", named("Workunit", WorkunitSchema)),
      ...errors({
        400: MALFORMED,
        403: "Turnstile refused or missing (error.challenge names the site key).",
        404: "No protocol has that id.",
        413: "The body is over 4 KiB.",
        429: `${RATE_LIMITED} Or the address or key holds the most open workunits allowed.`,
        503: "Turnstile could not be reached.",
      }),
    },
  });
}
