// Test support for the board specs: an honest two-moons run submitted straight to the API — a server-issued
// workunit, the whole trajectory built with the server's own float64 recipe (shared/testing/honest-chain.ts), its
// true metrics and history — from a chosen environment (backend, user agent) and contributor key, so boards get
// several verified runs with distinct seeds, values and facets in seconds instead of minutes of training.
import { expect, type APIRequestContext } from "@playwright/test";
import type { Environment, RunMeta, RunRecord, Workunit } from "../shared/api";
import { encodeFloat32 } from "../shared/nn/float32-codec";
import { historySteps } from "../shared/protocols/evidence";
import { moonsProtocol } from "../shared/protocols/registry";
import { twoMoonsFamily } from "../shared/protocols/two-moons-family";
import { buildChain } from "../shared/testing/honest-chain";

export interface HonestRunOptions {
  readonly protocolId: string;
  readonly backend: Environment["backend"];
  readonly userAgent: string;
  readonly contributor?: string;
  readonly contributorKey?: string;
  readonly trainMs: number;
}

export const randomContributorKey = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");

/** Submits one honest run and returns the server's record (expected accepted). */
export async function submitHonestRun(request: APIRequestContext, options: HonestRunOptions): Promise<RunRecord> {
  const protocol = moonsProtocol(options.protocolId);
  const family = twoMoonsFamily;
  const workunitResponse = await request.post("/api/workunits", { data: { protocolId: protocol.id } });
  expect(workunitResponse.status(), await workunitResponse.text()).toBe(201);
  const workunit = (await workunitResponse.json()) as Workunit;
  const data = family.dataset(protocol, workunit.seed);
  const initialWeights = family.initialWeights(protocol, workunit.seed);
  const chain = buildChain({ protocol, seed: workunit.seed, data, initialWeights, real: "all", fallbackFinal: initialWeights });
  const metrics = family.evaluate(protocol, data, chain.finalWeights).metrics;
  const steps = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  const meta: RunMeta = {
    token: workunit.token,
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed: workunit.seed,
    ...(options.contributor ? { contributor: options.contributor } : {}),
    ...(options.contributorKey ? { contributorKey: options.contributorKey } : {}),
    claimed: metrics,
    firstLosses: Array.from(chain.losses.subarray(0, protocol.evidence.replaySteps)),
    lossHistory: steps.map((step, k) => (k === steps.length - 1 ? metrics.finalLoss! : chain.losses[step]!)),
    environment: { backend: options.backend, tfjsVersion: "4.22.0", client: "web", userAgent: options.userAgent },
    timings: { trainMs: options.trainMs, steps: protocol.training.steps },
  };
  const submitted = await request.post("/api/runs", {
    multipart: {
      meta: JSON.stringify(meta),
      weights: { name: "weights.f32", mimeType: "application/octet-stream", buffer: Buffer.from(encodeFloat32(chain.finalWeights)) },
      checkpoints: { name: "checkpoints.f32", mimeType: "application/octet-stream", buffer: Buffer.from(encodeFloat32(chain.checkpoints)) },
    },
  });
  expect(submitted.status(), await submitted.text()).toBe(201);
  const record = (await submitted.json()) as RunRecord;
  expect(record.status).toBe("accepted");
  return record;
}
