// Why: the Colored-MNIST side of `npm run replay-tolerance -- --cmnist <ids>`: trains a run (its trajectory
// checkpoints recorded) on one Node backend, replays each of its segments on every chosen backend from the
// run's own start of it, as a peer's replay workunit does, and prints how far each end lands from the run's
// (the deviation PEER_TOLERANCE is compared with), next to a forged answer that did not train.
import { checkpointLayout, endDeviation, segmentEnds } from "../../shared/metrics/trajectory";
import { PEER_TOLERANCE } from "../../shared/metrics/peer-replay";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { trainCmnist, trainCmnistSegment } from "../../shared/nn/cmnist-train";
import type { CmnistProtocol } from "../../shared/protocols/colored-mnist";
import { isCmnist } from "../../shared/protocols/families";
import { findProtocol } from "../../shared/protocols/registry";
import { cmnistRestartData, loadCheckedMnistPack } from "./cmnist-data";
import { useNodeBackend, type NodeBackend } from "./node-backend";

export interface CmnistPeerMeasurement {
  readonly protocolId: string;
  readonly seed: number;
  readonly segment: number;
  readonly from: number;
  readonly to: number;
  readonly trainedOn: string;
  readonly replayedOn: string;
  /** max(weights, optimiser state) as endDeviation measures them. */
  readonly deviation: number;
}

export async function measureCmnistPeers(ids: readonly string[], seeds: readonly number[], trainBackend: NodeBackend, backends: readonly NodeBackend[]): Promise<CmnistPeerMeasurement[]> {
  const { pack } = await loadCheckedMnistPack();
  const measurements: CmnistPeerMeasurement[] = [];
  for (const id of ids) {
    const found = findProtocol(id);
    if (!found || !isCmnist(found)) throw new Error(`${id} is not a Colored-MNIST protocol`);
    const protocol: CmnistProtocol = found;
    for (const seed of seeds) {
      const envs = cmnistRestartData(pack, seed, protocol.data.examplesPerEnv).train;
      const initialWeights = cmnistInitialWeights(cmnistMlpSpec(protocol.model), seed);
      await useNodeBackend(trainBackend);
      const started = performance.now();
      const run = await trainCmnist({ protocol, envs, initialWeights });
      console.log(`${id} seed ${seed}: ${run.steps} steps on ${run.backend} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const ends = (k: number) => segmentEnds(protocol, { initialWeights, checkpoints: run.checkpoints!, finalWeights: run.weights }, k);
      const record = (k: number, replayedOn: string, peer: { weights: ArrayLike<number>; optimizerState: ArrayLike<number> }, ms: number): void => {
        const { from, to, start, end } = ends(k);
        const measured = endDeviation(protocol, start, peer, end, to);
        const deviation = Math.max(measured.weights, measured.optimizerState ?? 0);
        measurements.push({ protocolId: id, seed, segment: k, from, to, trainedOn: run.backend, replayedOn, deviation });
        console.log(`  ${`${run.backend} → ${replayedOn}`.padEnd(30)} segment ${k} [${from}, ${to}): ${deviation.toExponential(4)} ${deviation <= PEER_TOLERANCE ? "≤" : ">"} ${PEER_TOLERANCE} · ${(ms / 1000).toFixed(1)} s`);
      };
      for (const backend of backends) {
        await useNodeBackend(backend);
        for (let k = 0; k <= checkpointLayout(protocol)!.steps.length; k++) {
          const { start, to } = ends(k);
          const from = performance.now();
          record(k, backend, await trainCmnistSegment({ protocol, envs, start, to }), performance.now() - from);
        }
      }
      for (let k = 0; k <= checkpointLayout(protocol)!.steps.length; k++) {
        const { start } = ends(k);
        record(k, "forged: start unchanged", { weights: start.weights, optimizerState: start.optimizerState ?? new Float32Array(2 * initialWeights.length) }, 0);
      }
    }
  }
  return measurements;
}
