// Test helpers for the API: typed calls, error assertions, direct D1/R2 inspection and workunit shortcuts.
import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import { ErrorResponseSchema, LeaderboardResponseSchema, WorkunitSchema, type Workunit } from "../../shared/api";
import { newToken, tokenHash } from "../tokens";
import { BASE } from "./submissions";

export const api = (path: string, init?: RequestInit): Promise<Response> => SELF.fetch(`${BASE}${path}`, init);

export const postJson = (path: string, body: unknown): Promise<Response> =>
  api(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Asserts an API error response: its status, its JSON shape and its machine-readable reason. */
export async function expectError(response: Response, status: number, reason: string): Promise<string> {
  const text = await response.text();
  expect({ status: response.status, body: text }).toMatchObject({ status });
  expect(response.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  const parsed = ErrorResponseSchema.parse(JSON.parse(text));
  expect(parsed.error.reason).toBe(reason);
  expect(parsed.error.message.length).toBeGreaterThan(0);
  return parsed.error.message;
}

/** POST /api/workunits through the API, checked against the shared schema. */
export async function requestWorkunit(protocolId: string): Promise<Workunit> {
  const response = await postJson("/api/workunits", { protocolId });
  const text = await response.text();
  expect({ status: response.status, body: text }).toMatchObject({ status: 201 });
  return WorkunitSchema.parse(JSON.parse(text));
}

/** Asks the API for workunits of a protocol until one has `seed` (the others stay pending). */
export async function workunitForSeed(protocolId: string, seed: number, maxTries = 20): Promise<Workunit> {
  for (let i = 0; i < maxTries; i++) {
    const workunit = await requestWorkunit(protocolId);
    if (workunit.seed === seed) return workunit;
  }
  throw new Error(`no workunit with seed ${seed} for ${protocolId} after ${maxTries} requests`);
}

/** Inserts a workunit row directly into D1 (e.g. one that already expired); returns its id and token. */
export async function insertWorkunit(options: {
  protocolId: string;
  protocolVersion: number;
  seed: number;
  expiresAt: number;
  createdAt?: number;
  consumedAt?: number | null;
}): Promise<{ id: string; token: string }> {
  const token = newToken();
  const id = `wu_${crypto.randomUUID()}`;
  await env.DB.prepare(
    "INSERT INTO workunits (id, token_hash, protocol_id, protocol_version, seed, created_at, expires_at, consumed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(
      id,
      await tokenHash(token),
      options.protocolId,
      options.protocolVersion,
      options.seed,
      options.createdAt ?? options.expiresAt - 6 * 3600 * 1000,
      options.expiresAt,
      options.consumedAt ?? null,
    )
    .run();
  return { id, token };
}

export interface RunDbRow {
  id: string;
  workunit_id: string;
  protocol_id: string;
  protocol_version: number;
  seed: number;
  status: string;
  reason: string | null;
  message: string;
  contributor: string | null;
  claimed: string;
  recomputed: string | null;
  environment: string;
  backend: string;
  train_ms: number;
  created_at: number;
}

export interface WorkunitDbRow {
  id: string;
  token_hash: string;
  protocol_id: string;
  protocol_version: number;
  seed: number;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export async function runRows(): Promise<RunDbRow[]> {
  return (await env.DB.prepare("SELECT * FROM runs ORDER BY created_at, id").all<RunDbRow>()).results;
}

export async function runRow(id: string): Promise<RunDbRow | null> {
  return env.DB.prepare("SELECT * FROM runs WHERE id = ?").bind(id).first<RunDbRow>();
}

export async function workunitRow(id: string): Promise<WorkunitDbRow | null> {
  return env.DB.prepare("SELECT * FROM workunits WHERE id = ?").bind(id).first<WorkunitDbRow>();
}

export async function workunitByToken(token: string): Promise<WorkunitDbRow | null> {
  return env.DB.prepare("SELECT * FROM workunits WHERE token_hash = ?").bind(await tokenHash(token)).first<WorkunitDbRow>();
}

/** Every R2 key (the test buckets are small). */
export async function objectKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.ARTIFACTS.list(cursor ? { cursor } : {});
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
}

/** What is stored: run rows, R2 objects and consumed workunits, for "nothing was stored" assertions. */
export async function storedState(): Promise<{ runs: string[]; objects: string[]; consumed: string[] }> {
  const runs = (await runRows()).map((r) => r.id);
  const consumed = (await env.DB.prepare("SELECT id FROM workunits WHERE consumed_at IS NOT NULL ORDER BY id").all<{ id: string }>()).results.map((r) => r.id);
  return { runs, objects: await objectKeys(), consumed };
}

/** Runs `action` and asserts that it stored nothing: no run row, no R2 object, no consumed workunit. */
export async function expectNothingStored<T>(action: () => Promise<T>): Promise<T> {
  const before = await storedState();
  const result = await action();
  expect(await storedState()).toEqual(before);
  return result;
}

/** The run count GET /api/leaderboard shows for each protocol id: what "reached the leaderboard" means. */
export async function leaderboardRunCounts(): Promise<Record<string, number>> {
  const response = await api("/api/leaderboard");
  expect(response.status).toBe(200);
  const { protocols } = LeaderboardResponseSchema.parse(await response.json());
  return Object.fromEntries(protocols.map((p) => [p.protocolId, p.runs]));
}
