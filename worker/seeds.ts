// Which seed the next workunit gets, chosen so that hoarded workunits cannot steer it, and the caps on how many
// workunits one address and one contributor key may hold open.
//
// Coverage first: the paper's seeds 0-9 go out least-covered first, where a seed's coverage counts only runs
// that count anywhere (accepted, not hidden by an admin, not waiting for or refuted by peers) — so nothing a
// client merely holds or submits unchecked makes a seed look done. Among the least-covered seeds, open
// workunits spread concurrent clients: the requester's own open workunits count one each (a batch of ten gets
// ten seeds), everyone else's count once per client address (worker/address.ts clientKey), however many that
// address holds; ties go to the lowest seed. So a hoard never sends anyone to a seed that is better covered than
// another (no "steering onto a seed that is already done"); within the least-covered tier it shifts one
// assignment per address it controls, not per workunit; and the caps below bound what one address or key holds.
// Expired workunits stop counting the moment they expire (worker/workunit-ttl.ts makes that a few times the
// protocol's training time, not a flat 6 h), consumed ones as soon as their run is stored.
// Once every paper seed has REPLICATION_TARGET counted runs, new seeds 10, 11, ... each until it reaches the target.
// The choice, the caps and the insert are one SQL statement, so concurrent requests see each other's workunits
// and cannot overshoot a cap together.

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
  /** The requester's address as the rate limits key it (worker/address.ts clientKey); null when unknown. */
  readonly clientKey?: string | null;
  /** The requester's contributor identity (worker/contributors.ts contributorIdentity); null without a key. */
  readonly contributorId?: string | null;
}

/** How many workunits may be open (not consumed, not expired) at once, across protocols. */
export interface OpenCaps {
  readonly perClient: number;
  readonly perContributor: number;
}

/** No cap: for callers that enforce none (tests of the assignment alone). */
export const NO_CAPS: OpenCaps = { perClient: Number.MAX_SAFE_INTEGER, perContributor: Number.MAX_SAFE_INTEGER };

export type Issued = { readonly ok: true; readonly seed: number } | { readonly ok: false; readonly cap: "client" | "contributor"; readonly limit: number };

// A run that counts toward a seed's coverage.
const COUNTED_RUN = `r.status = 'accepted' AND r.hidden_at IS NULL AND (r.peer_status IS NULL OR r.peer_status = 'replayed')`;

// Both caps, as a condition on the insert. ?ck client key, ?cid contributor id, ?now, ?capc, ?capk.
const UNDER_CAPS = `
  (SELECT count(*) FROM workunits o WHERE o.client_key = :ck AND o.consumed_at IS NULL AND o.expires_at > :now) < :capc
  AND (:cid IS NULL OR (SELECT count(*) FROM workunits o WHERE o.contributor_id = :cid AND o.consumed_at IS NULL AND o.expires_at > :now) < :capk)`;

// An open workunit's holder: its client key, or (rows without one) the workunit itself. The requester is :me.
const HOLDER = `coalesce(w.client_key, w.id)`;

// Candidates run from 0 to one past the largest seed ever handed out for the protocol.
const ASSIGN_SEED_SQL = `
WITH RECURSIVE
  top(seed) AS (SELECT max(:paper - 1, coalesce((SELECT max(seed) FROM workunits WHERE protocol_id = :pid AND protocol_version = :ver), 0)) + 1),
  candidates(seed) AS (SELECT 0 UNION ALL SELECT seed + 1 FROM candidates WHERE seed < (SELECT seed FROM top)),
  load(seed, covered, open) AS (
    SELECT c.seed,
      (SELECT count(*) FROM runs r WHERE r.protocol_id = :pid AND r.protocol_version = :ver AND r.seed = c.seed AND ${COUNTED_RUN}),
      (SELECT count(*) FROM workunits w WHERE w.protocol_id = :pid AND w.protocol_version = :ver AND w.seed = c.seed
         AND w.consumed_at IS NULL AND w.expires_at > :now AND ${HOLDER} = :me)
      + (SELECT count(DISTINCT ${HOLDER}) FROM workunits w WHERE w.protocol_id = :pid AND w.protocol_version = :ver AND w.seed = c.seed
         AND w.consumed_at IS NULL AND w.expires_at > :now AND ${HOLDER} <> :me)
    FROM candidates c)
INSERT INTO workunits (id, token_hash, protocol_id, protocol_version, seed, created_at, expires_at, client_key, contributor_id)
SELECT :id, :hash, :pid, :ver, seed, :now, :exp, :ck, :cid FROM load
WHERE ((:covered = 0 AND seed < :paper) OR (:covered = 1 AND seed >= :paper AND covered + open < :target)) AND ${UNDER_CAPS}
ORDER BY CASE WHEN :covered = 1 THEN 0 ELSE covered END, CASE WHEN :covered = 1 THEN 0 ELSE open END, seed
LIMIT 1
RETURNING seed`;

const PAPER_COVERAGE_SQL = `
SELECT count(*) AS covered FROM (
  SELECT r.seed FROM runs r
  WHERE r.protocol_id = :pid AND r.protocol_version = :ver AND ${COUNTED_RUN} AND r.seed < :paper
  GROUP BY r.seed HAVING count(*) >= :target)`;

const INSERT_WITH_SEED_ZERO_SQL = `
INSERT INTO workunits (id, token_hash, protocol_id, protocol_version, seed, created_at, expires_at, client_key, contributor_id)
SELECT :id, :hash, :pid, :ver, 0, :now, :exp, :ck, :cid WHERE ${UNDER_CAPS}
RETURNING seed`;

const OPEN_COUNTS_SQL = `
SELECT
  (SELECT count(*) FROM workunits WHERE client_key = :ck AND consumed_at IS NULL AND expires_at > :now) AS client,
  (SELECT count(*) FROM workunits WHERE contributor_id = :cid AND consumed_at IS NULL AND expires_at > :now) AS contributor`;

/** D1 binds positional parameters: named ones are rewritten to ?N, each name one number. */
function prepare(d1: D1Database, sql: string, params: Record<string, string | number | null>): D1PreparedStatement {
  const names: string[] = [];
  const text = sql.replace(/:([a-z]+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for :${name}`);
    if (!names.includes(name)) names.push(name);
    return `?${names.indexOf(name) + 1}`;
  });
  return d1.prepare(text).bind(...names.map((n) => params[n]!));
}

/**
 * Inserts the workunit with the seed it should get, unless its requester already holds `caps` open workunits
 * (per client key, or per contributor id when it has one): then nothing is inserted and the cap is named.
 * Deterministic protocols (no seed dependence) always get seed 0.
 */
export async function insertWorkunitWithSeed(d1: D1Database, seeding: "seeds" | "deterministic", workunit: NewWorkunit, caps: OpenCaps = NO_CAPS): Promise<Issued> {
  const base = {
    id: workunit.id,
    hash: workunit.tokenHash,
    pid: workunit.protocolId,
    ver: workunit.protocolVersion,
    now: workunit.createdAt,
    exp: workunit.expiresAt,
    ck: workunit.clientKey ?? null,
    cid: workunit.contributorId ?? null,
    capc: caps.perClient,
    capk: caps.perContributor,
  };
  let row: { seed: number } | null;
  if (seeding === "deterministic") {
    row = await prepare(d1, INSERT_WITH_SEED_ZERO_SQL, base).first<{ seed: number }>();
  } else {
    const coverage = await prepare(d1, PAPER_COVERAGE_SQL, { pid: base.pid, ver: base.ver, paper: PAPER_SEEDS, target: REPLICATION_TARGET }).first<{ covered: number }>();
    const covered = (coverage?.covered ?? 0) >= PAPER_SEEDS ? 1 : 0;
    row = await prepare(d1, ASSIGN_SEED_SQL, { ...base, me: base.ck ?? base.id, paper: PAPER_SEEDS, target: REPLICATION_TARGET, covered }).first<{ seed: number }>();
  }
  if (row) return { ok: true, seed: row.seed };
  const open = await prepare(d1, OPEN_COUNTS_SQL, { ck: base.ck, cid: base.cid, now: base.now }).first<{ client: number; contributor: number }>();
  if (open && open.client >= caps.perClient) return { ok: false, cap: "client", limit: caps.perClient };
  if (open && base.cid !== null && open.contributor >= caps.perContributor) return { ok: false, cap: "contributor", limit: caps.perContributor };
  throw new Error("no seed could be assigned");
}
