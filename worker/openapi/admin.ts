// OpenAPI: the admin's moderation API (worker/routes/admin.ts): bearer ADMIN_TOKEN, rate-limited per address.
import { z } from "zod";
import { AdminActionRequestSchema, AdminLogEntrySchema, AdminLogSchema } from "../../shared/api";
import { RebuildProgressSchema, RebuildRequestSchema } from "../../shared/board-api";
import { errors, json, MALFORMED, named, RATE_LIMITED, type Registry, type Route } from "./common";

const ACTION = z.object({ action: z.enum(["hide", "unhide"]).describe("hide: stop counting (nothing is deleted); unhide: count again.") });
const GUARDED = { 403: "The admin API is off (no ADMIN_TOKEN secret) or the bearer token is wrong.", 413: "The body is over 4 KiB.", 429: RATE_LIMITED };

export function register(registry: Registry): void {
  registry.registerComponent("securitySchemes", "adminToken", { type: "http", scheme: "bearer", description: "The ADMIN_TOKEN Worker secret." });
  const Entry = named("AdminLogEntry", AdminLogEntrySchema);
  const Request = named("AdminActionRequest", AdminActionRequestSchema);
  const action = (path: string, summary: string, params: z.ZodObject, extra: Record<number, string>): Route => ({
    method: "post",
    path,
    tags: ["admin"],
    summary,
    security: [{ adminToken: [] }],
    request: { params, body: { required: true, content: { "application/json": { schema: Request } } } },
    responses: { 200: json("The log entry of the action.", Entry), ...errors({ 400: MALFORMED, ...GUARDED, ...extra }) },
  });
  registry.registerPath(action("/api/admin/runs/{id}/{action}", "Hide or unhide a run", ACTION.extend({ id: z.string().regex(/^run_[0-9a-f-]{36}$/) }), { 404: "No run has that id." }));
  registry.registerPath(action("/api/admin/contributors/{action}", "Hide or unhide a display name (compared by its folded key)", ACTION, {}));
  registry.registerPath(
    action("/api/admin/contributor-keys/{action}", "Hide or unhide a contributor identity (the 12-hex public id or the full 64-hex hash)", ACTION, {
      404: "No contributor with runs (to hide) or hidden contributor (to unhide) has that id.",
      409: "Two identities begin with that public id: give the full hash.",
    }),
  );
  registry.registerPath({
    method: "post",
    path: "/api/admin/aggregates/rebuild",
    tags: ["admin"],
    summary: "Rebuild the board aggregates in bounded chunks (start: mark everything first); call until nothing remains",
    security: [{ adminToken: [] }],
    request: { body: { required: true, content: { "application/json": { schema: named("RebuildRequest", RebuildRequestSchema) } } } },
    responses: { 200: json("What is left to refresh.", named("RebuildProgress", RebuildProgressSchema)), ...errors({ 400: MALFORMED, ...GUARDED }) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/admin/log",
    tags: ["admin"],
    summary: "The latest admin actions, newest first (append-only log)",
    security: [{ adminToken: [] }],
    responses: { 200: json("The log.", named("AdminLog", AdminLogSchema)), ...errors(GUARDED) },
  });
}
