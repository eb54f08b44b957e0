// The D1 tables (drizzle): workunits handed out by the server and the runs submitted against them.
// Weights, histories and grids live in R2; rows keep metadata and the claimed/recomputed metrics.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
    /** JSON objects: metric key → value (or null). */
    claimed: text("claimed").notNull(),
    recomputed: text("recomputed"),
    /** JSON of the client's environment (backend, tfjs version, adapter, user agent). */
    environment: text("environment").notNull(),
    backend: text("backend").notNull(),
    trainMs: integer("train_ms").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("runs_protocol_status").on(t.protocolId, t.protocolVersion, t.status)],
);

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
