// The D1 tables (drizzle): workunits handed out by the server, the runs submitted against them, the replay
// workunits peers answer for a run's segments, and the admin's moderation (hidden contributors, the log of
// admin actions). Weights, histories, grids and trajectory checkpoints live in R2; rows keep metadata and metrics.
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const workunits = sqliteTable(
  "workunits",
  {
    id: text("id").primaryKey(),
    /** SHA-256 (hex) of the single-use token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    protocolId: text("protocol_id").notNull(),
    protocolVersion: integer("protocol_version").notNull(),
    seed: integer("seed").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    consumedAt: integer("consumed_at"),
    /** Set when a submission against this workunit started being verified: one verification per workunit at a time. */
    claimedAt: integer("claimed_at"),
    /** The requester's rate-limit key (worker/address.ts clientKey) and contributor identity, for per-address and per-key caps on open workunits. */
    clientKey: text("client_key"),
    contributorId: text("contributor_id"),
  },
  (t) => [index("workunits_protocol_seed").on(t.protocolId, t.protocolVersion, t.seed), index("workunits_client").on(t.clientKey, t.expiresAt), index("workunits_contributor").on(t.contributorId, t.expiresAt)],
);

export const runs = sqliteTable(
  "runs",
  {
    id: text("id").primaryKey(),
    workunitId: text("workunit_id")
      .notNull()
      .unique()
      .references(() => workunits.id),
    protocolId: text("protocol_id").notNull(),
    protocolVersion: integer("protocol_version").notNull(),
    seed: integer("seed").notNull(),
    status: text("status", { enum: ["accepted", "rejected"] }).notNull(),
    reason: text("reason"),
    message: text("message").notNull(),
    contributor: text("contributor"),
    /** SHA-256 (hex) of the contributor's secret key (kept by their browser or CLI); null for anonymous runs. */
    contributorId: text("contributor_id"),
    /** JSON objects: metric key → value (or null). */
    claimed: text("claimed").notNull(),
    recomputed: text("recomputed"),
    /** JSON of the client's environment (backend, tfjs version, adapter, user agent). */
    environment: text("environment").notNull(),
    backend: text("backend").notNull(),
    trainMs: integer("train_ms").notNull(),
    createdAt: integer("created_at").notNull(),
    /** SHA-256 (hex) of the submission's meta part and weights: a retried POST of the same body is answered, not stored again. */
    submissionDigest: text("submission_digest"),
    /** Set when an admin hid the run: it is kept and served, but no longer counted on the leaderboard. */
    hiddenAt: integer("hidden_at"),
    /** SHA-256 (hex) of the trajectory checkpoints kept in R2 (shared/metrics/trajectory.ts); null when the protocol takes none. */
    checkpointsDigest: text("checkpoints_digest"),
    /** JSON array of the segment indices the server replayed (chosen after the upload); null when none were. */
    replayedSegments: text("replayed_segments"),
    /** How many segments the run has, and the largest relative deviation the replay found. */
    segmentCount: integer("segment_count"),
    replayDeviation: real("replay_deviation"),
    /** Protocols whose segments peers replay (shared/metrics/peer-replay.ts): pending until they agree, then replayed or refuted; null otherwise. */
    peerStatus: text("peer_status", { enum: ["pending", "replayed", "refuted"] }),
    /** The submitter's address block (worker/address.ts addressBlock): keys of one block never make a quorum together. */
    addressBlock: text("address_block"),
    /** Where the run ran (shared/environment-facets.ts environmentFacets of its environment): the facets boards filter by. */
    gpuVendor: text("gpu_vendor"),
    gpuArchitecture: text("gpu_architecture"),
    browser: text("browser"),
    os: text("os"),
  },
  (t) => [
    index("runs_protocol_status").on(t.protocolId, t.protocolVersion, t.status),
    index("runs_protocol_created").on(t.protocolId, t.protocolVersion, t.status, t.createdAt),
    index("runs_contributor_created").on(t.contributorId, t.createdAt),
    index("runs_status_created").on(t.status, t.createdAt),
    // A seed's runs (the aggregates' refresh) and a board sorted by seed or training time (keyset pagination).
    index("runs_protocol_seed").on(t.protocolId, t.protocolVersion, t.status, t.seed),
    index("runs_protocol_train").on(t.protocolId, t.protocolVersion, t.status, t.trainMs),
  ],
);

/**
 * Replay workunits: one row per replay of one drawn segment of a run by another contributor. Created open
 * (no token) when the run is accepted, or when a disagreement calls for a tiebreak; leased to a replayer (token,
 * expiry); answered (the peer's deviation and whether it agrees). A lease that expires unanswered is handed out again.
 */
export const segmentReplays = sqliteTable(
  "segment_replays",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id),
    segment: integer("segment").notNull(),
    createdAt: integer("created_at").notNull(),
    /** SHA-256 (hex) of the lease's single-use token; null while the replay is open. */
    tokenHash: text("token_hash").unique(),
    /** The replayer's identity (hash of their key), never the run's own contributor. */
    replayerId: text("replayer_id"),
    /** The replayer's address block (worker/address.ts): never two segments of one run to one block. */
    replayerBlock: text("replayer_block"),
    leasedAt: integer("leased_at"),
    expiresAt: integer("expires_at"),
    answeredAt: integer("answered_at"),
    /** How far the peer's end was from the run's (shared/metrics/peer-replay.ts), and whether that is within PEER_TOLERANCE. */
    deviation: real("deviation"),
    agrees: integer("agrees", { mode: "boolean" }),
    /** The replayer's earned weight when it answered (shared/metrics/adaptive-trust.ts earnedWeight): what its answer counts for. */
    weight: integer("weight"),
    backend: text("backend"),
    /** Set when the segment was decided against this replay: counts against the replayer's standing. */
    outvoted: integer("outvoted", { mode: "boolean" }).notNull().default(false),
    /** The Worker's own replay of the segment, settling a dispute (shared/metrics/peer-replay.ts serverArbitrates): no replayer, its verdict final. */
    byServer: integer("by_server", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("segment_replays_run").on(t.runId, t.segment), index("segment_replays_open").on(t.answeredAt, t.expiresAt), index("segment_replays_replayer").on(t.replayerId, t.answeredAt)],
);

/**
 * Leases that expired unanswered, one row per abandonment (the replay row itself is handed out again and
 * forgets its last holder). A key or block that abandoned a segment of a run is never leased that run again,
 * and a key that abandoned MAX_ABANDONED_LEASES within ABANDON_WINDOW_MS gets no lease (worker/peer-replays.ts).
 */
export const abandonedLeases = sqliteTable(
  "abandoned_leases",
  {
    /** `${replayId}@${leasedAt}`: one abandonment per lease, recorded once whoever notices it. */
    id: text("id").primaryKey(),
    replayId: text("replay_id").notNull(),
    runId: text("run_id").notNull(),
    segment: integer("segment").notNull(),
    replayerId: text("replayer_id").notNull(),
    replayerBlock: text("replayer_block"),
    leasedAt: integer("leased_at").notNull(),
    expiredAt: integer("expired_at").notNull(),
  },
  (t) => [index("abandoned_leases_run").on(t.runId), index("abandoned_leases_replayer").on(t.replayerId, t.expiredAt)],
);

/** Contributor names an admin hid: their runs are kept but not counted. */
export const hiddenContributors = sqliteTable("hidden_contributors", {
  name: text("name").primaryKey(),
  hiddenAt: integer("hidden_at").notNull(),
});

/** Contributor identities (hashes of secret keys) an admin hid: the person's runs are kept but not counted, whatever name they use. */
export const hiddenContributorKeys = sqliteTable("hidden_contributor_keys", {
  contributorId: text("contributor_id").primaryKey(),
  hiddenAt: integer("hidden_at").notNull(),
});

/** Every admin action, append-only: what was done to what, why, and when. */
export const adminActions = sqliteTable("admin_actions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  action: text("action", { enum: ["hide-run", "unhide-run", "hide-contributor", "unhide-contributor", "hide-contributor-key", "unhide-contributor-key"] }).notNull(),
  target: text("target").notNull(),
  note: text("note").notNull(),
  createdAt: integer("created_at").notNull(),
});

export type WorkunitRow = typeof workunits.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type SegmentReplayRow = typeof segmentReplays.$inferSelect;
export type AbandonedLeaseRow = typeof abandonedLeases.$inferSelect;

/** Playground explorations: saved and shared, never part of any protocol's aggregate. Weights live in R2. */
export const explorations = sqliteTable("explorations", {
  id: text("id").primaryKey(),
  title: text("title"),
  /** JSON of the playground parameters and the step count. */
  params: text("params").notNull(),
  steps: integer("steps").notNull(),
  /** JSON of the metrics the server computed from the weights. */
  metrics: text("metrics").notNull(),
  createdAt: integer("created_at").notNull(),
});

export type ExplorationRow = typeof explorations.$inferSelect;
export type AdminActionRow = typeof adminActions.$inferSelect;

// ---- aggregates kept on write (worker/aggregates): the leaderboard and boards read these, never every run ----

/**
 * One seed's aggregate per facet ("" = every counted run; else `backend:wasm`, `gpuVendor:nvidia`, …) over the
 * seed's shown, counted runs: what shared/metrics/aggregate.ts seedAggregates computes from them.
 */
export const seedStats = sqliteTable(
  "seed_stats",
  {
    protocolId: text("protocol_id").notNull(),
    protocolVersion: integer("protocol_version").notNull(),
    facet: text("facet").notNull(),
    seed: integer("seed").notNull(),
    runs: integer("runs").notNull(),
    /** JSON: metric key → the seed's mean (or null). */
    means: text("means").notNull(),
    trust: text("trust", { enum: ["recomputed", "reproduced", "disputed"] }).notNull(),
    /** Whether any counted run of the seed had trajectory segments replayed (by the server, or confirmed by peers). */
    replayed: integer("replayed", { mode: "boolean" }).notNull(),
    excluded: integer("excluded", { mode: "boolean" }).notNull(),
    /** The seed's earliest counted run: its grid and evidence stand for the seed in figures and series. */
    firstRunId: text("first_run_id").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.protocolId, t.protocolVersion, t.facet, t.seed] }), index("seed_stats_seed").on(t.protocolId, t.protocolVersion, t.seed)],
);

/** Who counted for a seed in a facet (aggregate.ts identityOf: `key:<id>`, `name:<name>`, `anonymous`): distinct contributors. */
export const seedIdentities = sqliteTable(
  "seed_identities",
  {
    protocolId: text("protocol_id").notNull(),
    protocolVersion: integer("protocol_version").notNull(),
    facet: text("facet").notNull(),
    seed: integer("seed").notNull(),
    identity: text("identity").notNull(),
  },
  (t) => [primaryKey({ columns: [t.protocolId, t.protocolVersion, t.facet, t.seed, t.identity] }), index("seed_identities_seed").on(t.protocolId, t.protocolVersion, t.seed)],
);

/** A protocol's leaderboard entry (without claims, judged at read time) per facet and lowest trust level. */
export const boardStats = sqliteTable(
  "board_stats",
  {
    protocolId: text("protocol_id").notNull(),
    protocolVersion: integer("protocol_version").notNull(),
    facet: text("facet").notNull(),
    trust: text("trust", { enum: ["all", "replayed", "reproduced"] }).notNull(),
    runs: integer("runs").notNull(),
    /** JSON of the entry without claims (shared/metrics/aggregate.ts entryFromSeeds). */
    entry: text("entry").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // Facet first: the leaderboard reads one (facet, trust) row per protocol.
  (t) => [primaryKey({ columns: [t.facet, t.trust, t.protocolId, t.protocolVersion] })],
);

/**
 * Each contributor key's earned standing (worker/contributors.ts earnedStanding), kept on every write that
 * changes its record; `stale` is set in the write's own batch and cleared when the row is recomputed.
 */
export const contributorStanding = sqliteTable(
  "contributor_standing",
  {
    contributorId: text("contributor_id").primaryKey(),
    serverVerifiedRuns: integer("server_verified_runs").notNull(),
    refusals: integer("refusals").notNull(),
    weight: real("weight").notNull(),
    earned: integer("earned", { mode: "boolean" }).notNull(),
    stale: integer("stale", { mode: "boolean" }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("contributor_standing_stale").on(t.stale)],
);

/** Seeds whose aggregates a write changed and that are not refreshed yet; `mark` tells a re-marking apart. */
export const aggregateDirty = sqliteTable(
  "aggregate_dirty",
  {
    protocolId: text("protocol_id").notNull(),
    protocolVersion: integer("protocol_version").notNull(),
    seed: integer("seed").notNull(),
    mark: integer("mark").notNull(),
  },
  (t) => [primaryKey({ columns: [t.protocolId, t.protocolVersion, t.seed] })],
);

/** One row (id 1): increases with every write that changes an aggregate; ETags are built from it. */
export const aggregateVersion = sqliteTable("aggregate_version", {
  id: integer("id").primaryKey(),
  version: integer("version").notNull(),
});

export type SeedStatsRow = typeof seedStats.$inferSelect;
export type BoardStatsRow = typeof boardStats.$inferSelect;
