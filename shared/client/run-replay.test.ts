import { beforeAll, describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import type { MoonsDatasetResponse, ReplayOutcome, ReplayWorkunit } from "../api";
import { moonsDigest } from "../data/digest";
import { peerDeviation, PEER_TOLERANCE } from "../metrics/peer-replay";
import { replaySegment, type TrainingState } from "../metrics/replay";
import { checkpointLayout } from "../metrics/trajectory";
import { decodeFloat32, encodeFloat32 } from "../nn/float32-codec";
import { moonsProtocol } from "../protocols/registry";
import { twoMoonsFamily } from "../protocols/two-moons-family";
import { createApiClient } from "./api-client";
import { runReplayWorkunit } from "./run-replay";

const protocol = moonsProtocol("fig3-longer");
const layout = checkpointLayout(protocol)!;
const seed = 4;
const data = twoMoonsFamily.dataset(protocol, seed);
const TOKEN = "t".repeat(43);
const ENVIRONMENT = { tfjsVersion: "test", client: "cli", userAgent: "vitest" } as const;

/** A replay workunit over a short stretch (the server hands out 2,500 steps; the client trains whatever it is given). */
const workunit = (segment: number, from: number, to: number): ReplayWorkunit => ({
  replayId: "rp_00000000-0000-4000-8000-000000000000",
  token: TOKEN,
  protocolId: protocol.id,
  protocolVersion: protocol.version,
  seed,
  segment,
  from,
  to,
  startUrl: segment === 0 ? null : "/api/replays/rp_00000000-0000-4000-8000-000000000000/start",
  datasetUrl: "/api/datasets/moons?seed=4",
  datasetDigest: "0".repeat(64),
  expiresAt: new Date(Date.now() + 60_000).toISOString(),
});

/** A server in a function: the dataset, the start checkpoint (to the token's bearer only), and a judge of the answer against a float64 replay. */
function fakeServer(start: TrainingState, to: number) {
  const seen: { startAuthorization: string | null; state: Float32Array | null; meta: unknown } = { startAuthorization: null, state: null, meta: null };
  const reference = replaySegment(protocol, data, seed, start, to - start.step);
  const fetchImpl = async (url: string, init?: RequestInit): Promise<Response> => {
    if (url.startsWith("/api/datasets/moons")) {
      const body: MoonsDatasetResponse = {
        seed,
        margin: protocol.data.margin,
        rotation: 0,
        raw: false,
        noise: protocol.data.noise,
        n: data.n,
        x: Array.from({ length: data.n }, (_, i) => [data.x[2 * i]!, data.x[2 * i + 1]!] as [number, number]),
        y: Array.from(data.y, (label) => (label === 1 ? 1 : 0)),
        digest: await moonsDigest(data),
      };
      return Response.json(body);
    }
    if (url.endsWith("/start")) {
      seen.startAuthorization = new Headers(init?.headers).get("authorization");
      const state = new Float32Array(layout.size);
      state.set(start.weights, 0);
      if (start.optimizerState) state.set(start.optimizerState, layout.weights);
      return new Response(encodeFloat32(state));
    }
    const form = init!.body as FormData;
    seen.meta = JSON.parse(form.get("meta") as string);
    seen.state = decodeFloat32(new Uint8Array(await (form.get("state") as Blob).arrayBuffer()));
    const deviation = peerDeviation(protocol, start, { weights: seen.state!.subarray(0, layout.weights), optimizerState: seen.state!.subarray(layout.weights) }, reference, to);
    const outcome: ReplayOutcome = { replayId: "r", runId: "run", segment: 0, agrees: deviation <= PEER_TOLERANCE, deviation, tolerance: PEER_TOLERANCE, segmentOutcome: "confirmed", runStatus: "replayed", message: "" };
    return Response.json(outcome);
  };
  return { seen, fetchImpl };
}

beforeAll(async () => {
  await useNodeBackend("cpu");
});

describe("runReplayWorkunit", () => {
  it("starts from the run's checkpoint (fetched with the lease's token), trains to the segment's end and sends weights then optimiser state", async () => {
    // A checkpoint at step 2,500: 40 float64 steps in from the seed's weights, rounded to float32 as a client's would be.
    const early = replaySegment(protocol, data, seed, { step: 0, weights: twoMoonsFamily.initialWeights(protocol, seed), optimizerState: null }, 40);
    const start = { step: 2500, weights: Float32Array.from(early.weights), optimizerState: Float32Array.from(early.optimizerState) };
    const server = fakeServer(start, 2560);
    const api = createApiClient("", server.fetchImpl);
    const job = workunit(1, 2500, 2560);
    const run = await runReplayWorkunit({ api, workunit: { ...job, datasetDigest: await moonsDigest(data) }, environment: ENVIRONMENT });
    expect(server.seen.startAuthorization).toBe(`Bearer ${TOKEN}`);
    expect(server.seen.state).toHaveLength(layout.size);
    expect(server.seen.meta).toMatchObject({ token: TOKEN, environment: { backend: "cpu" }, timings: { steps: 60 } });
    expect(run.outcome.agrees).toBe(true);
    expect(run.outcome.deviation).toBeLessThan(1e-3);
  });

  it("starts segment 0 from the seed's initial weights and a fresh optimiser, downloading no checkpoint", async () => {
    const start = { step: 0, weights: twoMoonsFamily.initialWeights(protocol, seed), optimizerState: null };
    const server = fakeServer(start, 50);
    const run = await runReplayWorkunit({ api: createApiClient("", server.fetchImpl), workunit: { ...workunit(0, 0, 50), datasetDigest: await moonsDigest(data) }, environment: ENVIRONMENT });
    expect(server.seen.startAuthorization).toBeNull();
    expect(run.outcome.deviation).toBeLessThan(1e-3);
  });

  it("refuses data that does not match the workunit's digest, and a protocol version it does not know", async () => {
    const server = fakeServer({ step: 0, weights: twoMoonsFamily.initialWeights(protocol, seed), optimizerState: null }, 10);
    const api = createApiClient("", server.fetchImpl);
    await expect(runReplayWorkunit({ api, workunit: workunit(0, 0, 10), environment: ENVIRONMENT })).rejects.toThrow(/digest|SHA-256|match/i);
    await expect(runReplayWorkunit({ api, workunit: { ...workunit(0, 0, 10), protocolVersion: 99 }, environment: ENVIRONMENT })).rejects.toThrow(/cannot replay fig3-longer v99/);
    expect(server.seen.state).toBeNull();
  });
});
