// The D1 tables (drizzle): workunits handed out by the server, the runs submitted against them, and the
// admin's moderation (hidden contributors, the log of admin actions). Weights, histories, grids and trajectory
// checkpoints live in R2; rows keep metadata and the claimed/recomputed metrics.
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
  },
  (t) => [index("workunits_protocol_seed").on(t.protocolId, t.protocolVersion, t.seed)],
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
  },
  (t) => [index("runs_protocol_status").on(t.protocolId, t.protocolVersion, t.status)],
);

/** Contributor names an admin hid: their runs are kept but not counted. */
export const hiddenContributors = sqliteTable("hidden_contributors", {
  name: text("name").primaryKey(),
  hiddenAt: integer("hidden_at").notNull(),
});

/** Every admin action, append-only: what was done to what, why, and when. */
export const adminActions = sqliteTable("admin_actions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  action: text("action", { enum: ["hide-run", "unhide-run", "hide-contributor", "unhide-contributor"] }).notNull(),
  target: text("target").notNull(),
  note: text("note").notNull(),
  createdAt: integer("created_at").notNull(),
});

export type WorkunitRow = typeof workunits.$inferSelect;
export type RunRow = typeof runs.$inferSelect;

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
