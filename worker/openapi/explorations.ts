// OpenAPI: saved playground explorations (worker/routes/explorations.ts), never counted on any board.
import { z } from "zod";
import { ExplorationRequestSchema, ExplorationSchema } from "../../shared/api";
import { errors, json, MALFORMED, named, RATE_LIMITED, type Registry } from "./common";

export function register(registry: Registry): void {
  const Exploration = named("Exploration", ExplorationSchema);
  registry.registerPath({
    method: "post",
    path: "/api/explorations",
    tags: ["explorations"],
    summary: "Save a playground run: the server recomputes its metrics from the weights",
    request: { body: { required: true, content: { "application/json": { schema: named("ExplorationRequest", ExplorationRequestSchema) } } } },
    responses: { 201: json("The saved exploration.", Exploration), ...errors({ 400: `${MALFORMED} Or a weight that is not a finite float32.`, 413: "The body is over 512 KiB.", 429: RATE_LIMITED }) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/explorations/{id}",
    tags: ["explorations"],
    summary: "A saved exploration (immutable)",
    request: { params: z.object({ id: z.string().regex(/^ex_[0-9a-f-]{36}$/).describe("The exploration's id.") }) },
    responses: { 200: json("The exploration.", Exploration), ...errors({ 404: "No exploration has that id." }) },
  });
}
