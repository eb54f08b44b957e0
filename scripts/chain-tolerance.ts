// `npx tsx scripts/chain-tolerance.ts`: the honest measurements behind the whole-chain check's bounds. For
// honest runs trained on tfjs in Node (wasm, cpu), every segment is replayed in float64 from the run's own
// float32 checkpoint, as the Worker does; it prints the largest gap between the replay's loss and the run's
// loss history at the history steps inside segments (HISTORY_TOLERANCE, shared/metrics/trajectory.ts) and
// the largest segment deviation, and counts boundary crossings of the 100×100 figure grid for the final
// weights and every checkpoint (MAX_BOUNDARY_CROSSINGS, shared/metrics/two-moons.ts).
// Usage: npx tsx scripts/chain-tolerance.ts [--protocols fig1-margin-pos,fig1-margin-neg] [--seeds 0-9]
//        [--backends wasm,cpu] [--steps N (a prefix of each run: its first N steps, same checkpoints)]
import { parseArgs } from "node:util";
import { shortenedProtocol, trainHonestRun } from "../shared/client/replay-trials";
import { gridAxis, gridCrossingCount, gridPoints, GRID_SIZE } from "../shared/metrics/boundary";
import { withinTolerance } from "../shared/metrics/compare";
import { mlpForward } from "../shared/metrics/mlp-math";
import { replaySegment } from "../shared/metrics/replay";
import { checkpointLayout, checkpointState, endDeviation, HISTORY_TOLERANCE, segmentEnds } from "../shared/metrics/trajectory";
import { historySteps, trajectorySegments } from "../shared/protocols/evidence";
import { moonsProtocol } from "../shared/protocols/registry";
import { parseSeeds } from "./lib/cli";
import { useNodeBackend, type NodeBackend } from "./lib/node-backend";

const { values: options } = parseArgs({
  options: {
    protocols: { type: "string", default: "fig1-margin-pos,fig1-margin-neg" },
    seeds: { type: "string", default: "0-2" },
    backends: { type: "string", default: "wasm,cpu" },
    steps: { type: "string" },
  },
});
const grid = gridPoints(gridAxis());
for (const backend of options.backends.split(",") as NodeBackend[]) {
  await useNodeBackend(backend);
  for (const id of options.protocols.split(",")) {
    const full = moonsProtocol(id);
    const protocol = options.steps ? shortenedProtocol(full, Math.min(Number(options.steps), full.training.steps)) : full;
    for (const seed of parseSeeds(options.seeds)) {
      const run = await trainHonestRun(protocol, seed);
      const { checkpoints, lossHistory, weights } = run.result;
      const stepsOfHistory = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
      const segments = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery!);
      let gap = 0;
      let relativeGap = 0;
      let outside = 0;
      let compared = 0;
      let deviation = 0;
      segments.forEach(([from, to], k) => {
        const { start, end } = segmentEnds(protocol, { initialWeights: run.initialWeights, checkpoints: checkpoints!, finalWeights: weights }, k);
        const replayed = replaySegment(protocol, run.data, seed, start, to - from);
        const measured = endDeviation(protocol, start, replayed, end, to);
        deviation = Math.max(deviation, measured.weights, measured.optimizerState ?? 0);
        stepsOfHistory.forEach((step, at) => {
          if (step <= from || step >= to) return;
          const difference = Math.abs(lossHistory[at]! - replayed.losses[step - from]!);
          gap = Math.max(gap, difference);
          relativeGap = Math.max(relativeGap, difference / Math.abs(replayed.losses[step - from]!));
          compared++;
          if (!withinTolerance(lossHistory[at]!, replayed.losses[step - from]!, HISTORY_TOLERANCE)) outside++;
        });
      });
      const layout = checkpointLayout(protocol)!;
      const crossingsOf = (w: Float32Array): number => gridCrossingCount(mlpForward(protocol.model, w, grid), GRID_SIZE);
      const checkpointCrossings = layout.steps.map((_, k) => crossingsOf(checkpointState(layout, checkpoints!, k).weights));
      console.log(
        `${backend} ${protocol.id}${options.steps ? ` (first ${protocol.training.steps} steps)` : ""} seed ${seed}: history gap max ${gap.toExponential(2)} abs, ${relativeGap.toExponential(2)} rel over ${compared} steps, ${outside} outside HISTORY_TOLERANCE; segment deviation max ${deviation.toExponential(2)}; grid crossings final ${crossingsOf(weights)}, checkpoints max ${Math.max(...checkpointCrossings)}`,
      );
    }
  }
}
