// Test fixtures for the read side (run listing, evidence, contributor pages, export): runs of any outcome
// written straight into D1 with chosen names, facets and times, and their evidence object in R2.
import { env } from "cloudflare:test";
import { findProtocol } from "../../shared/protocols/registry";
import { artifactKeys } from "../storage";
import { insertWorkunit } from "./helpers";
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

/** Writes a run row (and its evidence object, if given) as if the server had stored it; returns its id. */
export async function storeRun(run: StoredRun): Promise<string> {
  const protocol = findProtocol(run.protocolId)!;
  const seed = run.seed ?? 0;
  const workunit = await insertWorkunit({ protocolId: protocol.id, protocolVersion: protocol.version, seed, expiresAt: run.createdAt + 3600_000, createdAt: run.createdAt - 1000, consumedAt: run.createdAt });
  const id = `run_${crypto.randomUUID()}`;
  const recomputed = JSON.stringify(run.recomputed ?? { curvature: 0.1 });
  await env.DB.prepare(
    `INSERT INTO runs (id, workunit_id, protocol_id, protocol_version, seed, status, reason, message, contributor, contributor_id, claimed, recomputed,
       environment, backend, train_ms, created_at, peer_status, hidden_at, replayed_segments, segment_count, gpu_vendor, browser, os)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'stored by a test', ?, ?, ?, ?, ?, ?, 1234, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      workunit.id,
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
    )
    .run();
  if (run.evidence !== undefined) await env.ARTIFACTS.put(artifactKeys(id).evidence, JSON.stringify(run.evidence));
  return id;
}

/** A made-up full identity (64 hex digits) beginning with `prefix`. */
export const identity = (prefix: string, fill = "0"): string => `${prefix}${fill.repeat(64)}`.slice(0, 64);
