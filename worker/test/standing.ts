// Test support for earned standing (worker/contributors.ts earnedStanding): a key earns it from accepted runs
// of protocols the server verifies in full itself, so the replay tests write such rows straight into D1 (as if
// the key had submitted them from `block`) instead of training them, and the Sybil tests make keys without any.
import { env } from "cloudflare:test";
import { EARNED_AFTER } from "../../shared/metrics/adaptive-trust";
import { findProtocol } from "../../shared/protocols/registry";
import { contributorIdentity, SERVER_VERIFIED_PROTOCOLS } from "../contributors";
import { afterDirectWrite } from "./direct-writes";
import { insertWorkunit } from "./helpers";

/** The protocol the inserted runs are of: the first the server verifies in full itself. */
const EARNING_PROTOCOL = findProtocol(SERVER_VERIFIED_PROTOCOLS[0]!)!;

/** A key's distinct standing seeds start here, far from the seeds the tests submit for real. */
let nextSeed = 10_000;

/**
 * Gives `contributorKey` `runs` accepted, unhidden runs of a server-verified protocol (distinct seeds), submitted
 * from address block `block` (an IPv4 address of it): earned standing as the Worker computes it. A test key
 * needs EARNED_AFTER of them for weight 1.
 */
export async function earnStanding(contributorKey: string, options: { block: string; runs?: number }): Promise<void> {
  const contributorId = await contributorIdentity(contributorKey);
  const now = Date.now();
  for (let k = 0; k < (options.runs ?? EARNED_AFTER); k++) {
    const seed = nextSeed++;
    const { id: workunitId } = await insertWorkunit({ protocolId: EARNING_PROTOCOL.id, protocolVersion: EARNING_PROTOCOL.version, seed, expiresAt: now + 3600_000, consumedAt: now });
    await env.DB.prepare(
      "INSERT INTO runs (id, workunit_id, protocol_id, protocol_version, seed, status, message, contributor_id, claimed, environment, backend, train_ms, created_at, address_block) VALUES (?, ?, ?, ?, ?, 'accepted', 'standing fixture', ?, '{}', '{}', 'wasm', 1, ?, ?)",
    )
      .bind(`run_standing_${crypto.randomUUID()}`, workunitId, EARNING_PROTOCOL.id, EARNING_PROTOCOL.version, seed, contributorId, now, blockOf(options.block))
      .run();
  }
  const ids = await env.DB.prepare("SELECT id FROM runs WHERE contributor_id = ? AND message = 'standing fixture'").bind(contributorId).all<{ id: string }>();
  await afterDirectWrite(ids.results.map((r) => r.id));
}

/** The /24 of an IPv4 address, spelled as worker/address.ts addressBlock spells it. */
export const blockOf = (address: string): string => `${address.split(".").slice(0, 3).join(".")}.0/24`;

/** A distinct IPv4 address, and so /24 block, per index k: 198.18.k.7 onwards (the benchmarking range, RFC 2544). */
export const addressOf = (k: number): string => `198.${18 + Math.floor(k / 256)}.${k % 256}.7`;
