// Which seed the next workunit gets: the paper's seeds 0-9 first, least-reproduced first (counting runs
// already accepted and not hidden by an admin, and workunits still out, ties to the lowest seed); once every paper seed has
// REPLICATION_TARGET accepted runs, new seeds 10, 11, ... each until it reaches the target.
// The choice and the insert are one SQL statement, so concurrent requests see each other's workunits.

export const PAPER_SEEDS = 10;
/** Accepted runs each paper seed should have before new seeds are handed out. */
export const REPLICATION_TARGET = 3;

export interface NewWorkunit {
  readonly id: string;
  readonly tokenHash: string;
  readonly protocolId: string;
  readonly protocolVersion: number;
  readonly createdAt: number;
  readonly expiresAt: number;
}

// ?1 paper seeds, ?2 protocol id, ?3 version, ?4 now, ?5 id, ?6 token hash, ?7 expiry, ?8 paper covered (0/1),
// ?9 replication target. Candidates run from 0 to one past the largest seed ever handed out for the protocol.
const ASSIGN_SEED_SQL = `
WITH RECURSIVE
  top(seed) AS (SELECT max(?1 - 1, coalesce((SELECT max(seed) FROM workunits WHERE protocol_id = ?2 AND protocol_version = ?3), 0)) + 1),
  candidates(seed) AS (SELECT 0 UNION ALL SELECT seed + 1 FROM candidates WHERE seed < (SELECT seed FROM top)),
  load(seed, weight) AS (
    SELECT c.seed,
      (SELECT count(*) FROM runs r WHERE r.protocol_id = ?2 AND r.protocol_version = ?3 AND r.status = 'accepted' AND r.hidden_at IS NULL AND r.seed = c.seed)
      + (SELECT count(*) FROM workunits w WHERE w.protocol_id = ?2 AND w.protocol_version = ?3 AND w.consumed_at IS NULL AND w.expires_at > ?4 AND w.seed = c.seed)
    FROM candidates c)
INSERT INTO workunits (id, token_hash, protocol_id, protocol_version, seed, created_at, expires_at)
SELECT ?5, ?6, ?2, ?3, seed, ?4, ?7 FROM load
WHERE (?8 = 0 AND seed < ?1) OR (?8 = 1 AND seed >= ?1 AND weight < ?9)
ORDER BY CASE WHEN ?8 = 1 THEN 0 ELSE weight END, seed
LIMIT 1
RETURNING seed`;

const PAPER_COVERAGE_SQL = `
SELECT count(*) AS covered FROM (
  SELECT seed FROM runs
  WHERE protocol_id = ?1 AND protocol_version = ?2 AND status = 'accepted' AND hidden_at IS NULL AND seed < ?3
  GROUP BY seed HAVING count(*) >= ?4)`;

const INSERT_WITH_SEED_ZERO_SQL = `
INSERT INTO workunits (id, token_hash, protocol_id, protocol_version, seed, created_at, expires_at)
VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)`;

/**
 * Inserts the workunit with the seed it should get, and returns that seed. Deterministic protocols (no
 * seed dependence) always get seed 0.
 */
export async function insertWorkunitWithSeed(d1: D1Database, seeding: "seeds" | "deterministic", workunit: NewWorkunit): Promise<number> {
  if (seeding === "deterministic") {
    await d1
      .prepare(INSERT_WITH_SEED_ZERO_SQL)
      .bind(workunit.id, workunit.tokenHash, workunit.protocolId, workunit.protocolVersion, workunit.createdAt, workunit.expiresAt)
      .run();
    return 0;
  }
  const coverage = await d1
    .prepare(PAPER_COVERAGE_SQL)
    .bind(workunit.protocolId, workunit.protocolVersion, PAPER_SEEDS, REPLICATION_TARGET)
    .first<{ covered: number }>();
  const paperCovered = (coverage?.covered ?? 0) >= PAPER_SEEDS ? 1 : 0;
  const row = await d1
    .prepare(ASSIGN_SEED_SQL)
    .bind(
      PAPER_SEEDS,
      workunit.protocolId,
      workunit.protocolVersion,
      workunit.createdAt,
      workunit.id,
      workunit.tokenHash,
      workunit.expiresAt,
      paperCovered,
      REPLICATION_TARGET,
    )
    .first<{ seed: number }>();
  if (!row) throw new Error("no seed could be assigned");
  return row.seed;
}
