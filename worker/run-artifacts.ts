// Which runs' artifacts are served: only accepted runs', and not while peers replay the run — until they have
// answered, its checkpoints, final weights and recorded evidence are the answers to its replay workunits.
import type { Context } from "hono";
import { eq } from "drizzle-orm";
import { database } from "./db/client";
import { runs } from "./db/schema";
import type { AppEnv } from "./env";
import { apiError } from "./http";

export const RUN_ID = /^run_[0-9a-f-]{36}$/;

/** null when run `id`'s `what` may be served; otherwise the error response that says why not. */
export async function withheldArtifact(c: Context<AppEnv>, id: string, what: string): Promise<Response | null> {
  if (!RUN_ID.test(id)) return apiError(c, 404, "not_found", "No run has that id.");
  const [row] = await database(c.env.DB).select({ status: runs.status, peerStatus: runs.peerStatus }).from(runs).where(eq(runs.id, id)).limit(1);
  if (!row || row.status !== "accepted") return apiError(c, 404, "not_found", "No verified run has that id.");
  if (row.peerStatus === "pending") return apiError(c, 409, "awaiting_peers", `This run's ${what} are served once other contributors have replayed its drawn segments.`);
  return null;
}
