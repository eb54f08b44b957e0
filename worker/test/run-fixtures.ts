// Test fixtures for the read side (run listing, evidence, contributor pages, export): runs of any outcome
// written straight into D1 with chosen names, facets and times, and their evidence object in R2.
import { env } from "cloudflare:test";
import { findProtocol } from "../../shared/protocols/registry";
import { artifactKeys } from "../storage";
import { TEST_ENVIRONMENT } from "./submissions";

export interface StoredRun {
  readonly protocolId: string;
  readonly seed?: number;
  readonly status?: "accepted" | "rejected";
  readonly contributor?: string | null;
  /** The full identity (64 hex digits). */
  readonly contributorId?: string | null;
  readonly createdAt: number;
  readonly peerStatus?: "pending" | "replayed" | "refuted" | null;
  readonly hidden?: boolean;
  readonly replayed?: boolean;
  readonly backend?: string;
  readonly gpuVendor?: string;
  readonly browser?: string;
  readonly os?: string;
  readonly recomputed?: Readonly<Record<string, number | null>>;
  readonly evidence?: unknown;
}

/** The statements that store a run (its consumed workunit, its row) and its id. */
function runStatements(run: StoredRun): { id: string; statements: D1PreparedStatement[] } {
  const protocol = findProtocol(run.protocolId)!;
  const seed = run.seed ?? 0;
  const workunitId = `wu_${crypto.randomUUID()}`;
  const id = `run_${crypto.randomUUID()}`;
  const recomputed = JSON.stringify(run.recomputed ?? { curvature: 0.1 });
  const workunit = env.DB.prepare(
    "INSERT INTO workunits (id, token_hash, protocol_id, protocol_version, seed, created_at, expires_at, consumed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  ).bind(workunitId, crypto.randomUUID(), protocol.id, protocol.version, seed, run.createdAt - 1000, run.createdAt + 3600_000, run.createdAt);
  const row = env.DB.prepare(
    `INSERT INTO runs (id, workunit_id, protocol_id, protocol_version, seed, status, reason, message, contributor, contributor_id, claimed, recomputed,
       environment, backend, train_ms, created_at, peer_status, hidden_at, replayed_segments, segment_count, gpu_vendor, browser, os)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'stored by a test', ?, ?, ?, ?, ?, ?, 1234, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).bind(
    id,
    workunitId,
    protocol.id,
    protocol.version,
    seed,
    run.status ?? "accepted",
    run.status === "rejected" ? "claims_mismatch" : null,
    run.contributor ?? null,
    run.contributorId ?? null,
    recomputed,
    run.status === "rejected" ? null : recomputed,
    JSON.stringify(TEST_ENVIRONMENT),
    run.backend ?? "wasm",
    run.createdAt,
    run.peerStatus ?? null,
    run.hidden ? run.createdAt : null,
    run.replayed ? "[0]" : null,
    run.replayed ? 1 : null,
    run.gpuVendor ?? "none",
    run.browser ?? "node",
    run.os ?? "linux",
  );
  return { id, statements: [workunit, row] };
}

/** Writes a run row (and its evidence object, if given) as if the server had stored it; returns its id. */
export async function storeRun(run: StoredRun): Promise<string> {
  const { id, statements } = runStatements(run);
  await env.DB.batch(statements);
  if (run.evidence !== undefined) await env.ARTIFACTS.put(artifactKeys(id).evidence, JSON.stringify(run.evidence));
  return id;
}

/** Many runs in a few D1 batches (no evidence objects); their ids in order. */
export async function storeRuns(list: readonly StoredRun[]): Promise<string[]> {
  const built = list.map(runStatements);
  for (let k = 0; k < built.length; k += 100) await env.DB.batch(built.slice(k, k + 100).flatMap((b) => b.statements));
  return built.map((b) => b.id);
}

/** A made-up full identity (64 hex digits) beginning with `prefix`. */
export const identity = (prefix: string, fill = "0"): string => `${prefix}${fill.repeat(64)}`.slice(0, 64);
