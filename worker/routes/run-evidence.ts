// GET /api/runs/:id/evidence: what a verified run recorded while training — its first losses, loss history,
// evidence series (e.g. Fig. 2's NTK |z|) and timings — from its R2 evidence object; withheld exactly when its
// weights are (while peers replay it), and bounded: a list longer than EVIDENCE_POINTS_MAX is thinned.
import { Hono } from "hono";
import { EVIDENCE_POINTS_MAX, RunEvidenceSchema, type RunEvidence } from "../../shared/board-api";
import type { AppEnv } from "../env";
import { apiError } from "../http";
import { withheldArtifact } from "../run-artifacts";
import { artifactKeys } from "../storage";

/** Every k-th value and the last, k the smallest that keeps at most `max` values; k = 1 leaves the list whole. */
export function thin(values: readonly number[], max: number): { values: number[]; every: number } {
  if (values.length <= max) return { values: [...values], every: 1 };
  const every = Math.ceil((values.length - 1) / (max - 1));
  const kept = values.filter((_, k) => k % every === 0);
  if ((values.length - 1) % every !== 0) kept.push(values.at(-1)!);
  return { values: kept, every };
}

export const runEvidenceRoutes = new Hono<AppEnv>().get("/:id/evidence", async (c) => {
  const id = c.req.param("id");
  const withheld = await withheldArtifact(c, id, "evidence");
  if (withheld) return withheld;
  const object = await c.env.ARTIFACTS.get(artifactKeys(id).evidence);
  if (!object) return apiError(c, 404, "not_found", "This run's evidence is not stored.");
  const stored = RunEvidenceSchema.safeParse(await object.json());
  if (!stored.success) throw new Error(`run ${id}'s stored evidence does not match RunEvidenceSchema`);
  const sampledEvery: Record<string, number> = {};
  const bounded = (name: string, values: readonly number[]): number[] => {
    const { values: kept, every } = thin(values, EVIDENCE_POINTS_MAX);
    if (every > 1) sampledEvery[name] = every;
    return kept;
  };
  const { firstLosses, lossHistory, series, timings } = stored.data;
  const body: RunEvidence = {
    firstLosses: bounded("firstLosses", firstLosses),
    lossHistory: bounded("lossHistory", lossHistory),
    series: Object.fromEntries(Object.entries(series).map(([name, values]) => [name, bounded(`series.${name}`, values)])),
    timings,
    ...(Object.keys(sampledEvery).length > 0 ? { sampledEvery } : {}),
  };
  // A verified run's evidence never changes once it is served.
  c.header("Cache-Control", "public, max-age=31536000, immutable");
  return c.json(body);
});
