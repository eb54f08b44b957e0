// The server's verification work the benchmarks time (bench sections verify and compare): a real fig1 submission
// checked by the Worker's own verifier, and one trajectory segment replayed, prepared once and run as often as timed.
import * as tf from "@tensorflow/tfjs";
import type { RunMeta } from "../../shared/api";
import { replaySegment } from "../../shared/metrics/replay";
import { verifySubmission } from "../../shared/metrics/verify-run";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import { trainMoons, type TrainResult } from "../../shared/nn/train";
import { trajectorySegments } from "../../shared/protocols/evidence";
import { moonsProtocol } from "../../shared/protocols/registry";
import type { MoonsProtocol } from "../../shared/protocols/types";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";

export const benchEnvironment = { backend: "wasm" as const, tfjsVersion: tf.version.tfjs, client: "cli" as const, userAgent: "bench" };

export interface Fig1Submission {
  readonly protocol: MoonsProtocol;
  readonly result: TrainResult;
  readonly meta: RunMeta;
  readonly bytes: Uint8Array;
  /** Every trajectory segment: what the server replays for any contributor. */
  readonly segments: number[];
}

/** Trains seed 0 of fig1-margin-pos on the registered backend (wasm in the benches) and shapes its submission. */
export async function fig1Submission(): Promise<Fig1Submission> {
  const protocol = moonsProtocol("fig1-margin-pos");
  const data = twoMoonsFamily.dataset(protocol, 0);
  const result = await trainMoons({ protocol, data, initialWeights: twoMoonsFamily.initialWeights(protocol, 0) });
  const meta: RunMeta = {
    token: "x".repeat(43),
    protocolId: protocol.id,
    protocolVersion: protocol.version,
    seed: 0,
    claimed: { ...twoMoonsFamily.evaluate(protocol, data, result.weights).metrics },
    firstLosses: result.firstLosses,
    lossHistory: result.lossHistory,
    environment: benchEnvironment,
    timings: { trainMs: result.elapsedMs, steps: result.steps },
  };
  const segments = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery!).map((_, i) => i);
  return { protocol, result, meta, bytes: encodeFloat32(result.weights), segments };
}

/** One verification of the submission with every segment replayed; throws unless the server would accept it. */
export function verifyFig1(submission: Fig1Submission): void {
  const { protocol, meta, bytes, result, segments } = submission;
  const verdict = verifySubmission({ protocol, seed: 0 }, meta, bytes, { trajectory: { checkpoints: result.checkpoints, segments } });
  if (verdict.status !== "accepted") throw new Error(`benchmark run rejected: ${verdict.message}`);
}

/** The replay of a protocol's first trajectory segment (evidence.checkpointEvery steps from seed 0's initial weights), data prepared. */
export function firstSegmentReplay(id: string): { readonly protocol: MoonsProtocol; readonly replay: () => void } {
  const protocol = moonsProtocol(id);
  const data = twoMoonsFamily.dataset(protocol, 0);
  return {
    protocol,
    replay: () => void replaySegment(protocol, data, 0, { step: 0, weights: twoMoonsFamily.initialWeights(protocol, 0), optimizerState: null }, protocol.evidence.checkpointEvery!),
  };
}

/** Process CPU milliseconds (user + system, process.cpuUsage) of one call. */
export function cpuMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
