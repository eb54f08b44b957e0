// OpenAPI: contributor pages (worker/routes/contributors.ts), by key only.
import { z } from "zod";
import { ContributorPageSchema } from "../../shared/board-api";
import { errors, json, named, type Registry } from "./common";

export function register(registry: Registry): void {
  registry.registerPath({
    method: "get",
    path: "/api/contributors/{id}",
    tags: ["contributors"],
    summary: "A contributor key's record: names used, runs by outcome, earned standing, replays answered",
    description: "Looked up by the 12-hex public id (the first digits of the key's hash), never by display name. Their runs: GET /api/runs?contributor={id}.",
    request: { params: z.object({ id: z.string().regex(/^[0-9a-f]{12}$/).describe("The contributor's public id.") }) },
    responses: {
      200: json("The record.", named("ContributorPage", ContributorPageSchema)),
      ...errors({ 400: "Not 12 hex digits.", 404: "No contributor with runs has that id.", 409: "Two identities share that public id: GS Lab answers for neither (error.reason ambiguous)." }),
    },
  });
}
