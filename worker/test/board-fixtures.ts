// Test fixtures for the trust rules of the leaderboard: runs written straight into D1 (a forged run the server
// accepted, a pending peer-replayed run, a key's earlier server-verified runs that give it earned standing),
// honest submissions from a chosen client address, and snapshots of what the board shows.
import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import { LeaderboardResponseSchema, ProtocolBoardSchema, RunRecordSchema, type RunRecord } from "../../shared/api";
import { EARNED_AFTER } from "../../shared/metrics/adaptive-trust";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import { findProtocol } from "../../shared/protocols/registry";
import { addressBlock } from "../address";
import { contributorIdentity } from "../contributors";
import { artifactKeys } from "../storage";
import { afterDirectWrite } from "./direct-writes";
import { api, insertWorkunit } from "./helpers";
import { BASE, honestRun, honestSubmission, submissionForm, TEST_ENVIRONMENT } from "./submissions";

export interface InsertedRun {
  readonly protocolId: string;
  readonly seed: number;
  readonly recomputed: Readonly<Record<string, number | null>>;
  /** Full identity (hash of a key); null: anonymous. */
  readonly contributorId?: string | null;
  readonly addressBlock?: string | null;
  readonly peerStatus?: "pending" | "replayed" | "refuted" | null;
  /** A figure grid to store in R2 for the run (its averaged grid must not see it unless the run counts). */
  readonly grid?: Float32Array;
}

/** Writes an accepted run straight into D1 (and its grid into R2), as if the server had accepted it; returns its id. */
export async function insertAcceptedRun(run: InsertedRun): Promise<string> {
  const protocol = findProtocol(run.protocolId)!;
  const now = Date.now();
  const workunit = await insertWorkunit({ protocolId: protocol.id, protocolVersion: protocol.version, seed: run.seed, expiresAt: now + 3600_000, consumedAt: now });
  const id = `run_${crypto.randomUUID()}`;
  await env.DB.prepare(
    `INSERT INTO runs (id, workunit_id, protocol_id, protocol_version, seed, status, reason, message, contributor, contributor_id, claimed, recomputed,
       environment, backend, train_ms, created_at, peer_status, address_block)
     VALUES (?, ?, ?, ?, ?, 'accepted', NULL, 'accepted', NULL, ?, ?, ?, ?, 'wasm', 1000, ?, ?, ?)`,
  )
    .bind(
      id,
      workunit.id,
      protocol.id,
      protocol.version,
      run.seed,
      run.contributorId ?? null,
      JSON.stringify(run.recomputed),
      JSON.stringify(run.recomputed),
      JSON.stringify(TEST_ENVIRONMENT),
      now,
      run.peerStatus ?? null,
      run.addressBlock ?? null,
    )
    .run();
  if (run.grid) await env.ARTIFACTS.put(artifactKeys(id).grid, encodeFloat32(run.grid));
  await afterDirectWrite([id]);
  return id;
}

export async function setPeerStatus(runId: string, peerStatus: "pending" | "replayed" | "refuted"): Promise<void> {
  await env.DB.prepare("UPDATE runs SET peer_status = ? WHERE id = ?").bind(peerStatus, runId).run();
  await afterDirectWrite([runId]);
}

/**
 * Gives a key earned standing: EARNED_AFTER earlier runs the server verified in full itself (distinct seeds of
 * fig3-rotated, far above the seeds the tests use), from `block`.
 */
export async function earnStanding(contributorId: string, block: string, firstSeed: number): Promise<void> {
  for (let k = 0; k < EARNED_AFTER; k++) {
    await insertAcceptedRun({ protocolId: "fig3-rotated", seed: firstSeed + k, recomputed: { curvature: 0.2 }, contributorId, addressBlock: block });
  }
}

/** A contributor key and its identity. */
export async function keyOf(name: string): Promise<{ key: string; id: string }> {
  const key = `${name}${"k".repeat(43)}`.slice(0, 43);
  return { key, id: await contributorIdentity(key) };
}

/** Submits the honest run of (protocol, seed) with a contributor key from a client address; expects 201. */
export async function submitFrom(protocolId: string, seed: number, contributorKey: string, ip: string): Promise<RunRecord> {
  const protocol = findProtocol(protocolId)!;
  const workunit = await insertWorkunit({ protocolId, protocolVersion: protocol.version, seed, expiresAt: Date.now() + 3600_000 });
  const honest = await honestSubmission(honestRun(protocolId, seed), workunit.token, { contributorKey });
  const response = await SELF.fetch(`${BASE}/api/runs`, {
    method: "POST",
    headers: { "cf-connecting-ip": ip },
    body: submissionForm(honest.meta, honest.weights, honest.checkpoints),
  });
  const text = await response.text();
  expect({ status: response.status, body: text.slice(0, 300) }).toMatchObject({ status: 201 });
  const record = RunRecordSchema.parse(JSON.parse(text));
  const row = await env.DB.prepare("SELECT address_block FROM runs WHERE id = ?").bind(record.id).first<{ address_block: string | null }>();
  expect(row!.address_block).toBe(addressBlock(ip));
  return record;
}

export const leaderboard = async () => LeaderboardResponseSchema.parse(await (await api("/api/leaderboard")).json()).protocols;
export const board = async (protocolId: string) => ProtocolBoardSchema.parse(await (await api(`/api/leaderboard/${protocolId}`)).json());
export const runRecord = async (runId: string) => RunRecordSchema.parse(await (await api(`/api/runs/${runId}`)).json());

/** What must not move: every protocol's entry (aggregates, counts, claim verdicts), and these protocols' boards' entries and figures. */
export async function boardState(protocolIds: readonly string[]) {
  const boards = await Promise.all(protocolIds.map(board));
  return { leaderboard: await leaderboard(), boards: boards.map((b) => ({ entry: b.entry, boundary: b.boundary })) };
}
