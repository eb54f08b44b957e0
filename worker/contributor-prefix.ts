// A public contributor id (the first 12 hex digits of a key's hash, as pages show it) resolved to the one identity
// with runs that it begins with — two index seeks on runs_contributor_created, never a scan. A prefix two
// identities share (a key can be ground to collide with someone's 48 bits) resolves to neither: people are never merged.
import { and, asc, gt, gte, lt } from "drizzle-orm";
import type { Database } from "./db/client";
import { runs } from "./db/schema";

export type Resolved = { readonly kind: "none" } | { readonly kind: "one"; readonly id: string } | { readonly kind: "ambiguous" };

export async function resolvePublicId(db: Database, publicId: string): Promise<Resolved> {
  // Every hash beginning with the prefix lies in [prefix, prefix + "g"): hex digits sort below "g".
  const end = `${publicId}g`;
  const first = (i: Parameters<typeof and>[0]) => db.select({ id: runs.contributorId }).from(runs).where(and(i, lt(runs.contributorId, end))).orderBy(asc(runs.contributorId)).limit(1);
  const [match] = await first(gte(runs.contributorId, publicId));
  if (!match?.id) return { kind: "none" };
  const [other] = await first(gt(runs.contributorId, match.id));
  return other?.id ? { kind: "ambiguous" } : { kind: "one", id: match.id };
}

export const AMBIGUOUS_MESSAGE = "Two contributor identities begin with that id: GS Lab answers for neither rather than merge two people.";
