// The tfjs step engine: every lane's step as tfjs ops on the registered backend (webgpu, webgl, wasm or cpu),
// differentiated by tfjs, values left on the device until the loop reads a batch of them. It covers every
// network (BatchNorm, the 5-layer net) and is the reference the fused kernel is tested against.
import * as tf from "@tensorflow/tfjs-core";
import { createBatchedNet, forward, lossPerLane, readLaneWeights, updateRunningStatistics } from "./batched-mlp";
import { dropoutMask } from "./dropout";
import { createLaneOptimizer } from "./optimizers";
import { concatenate, type PendingStep, type StepEngine } from "./step-engine";
import type { Lane } from "./train";

interface TfjsStep extends PendingStep {
  readonly losses: tf.Tensor1D;
  readonly logits: tf.Tensor2D | null;
}

export function tfjsEngine(lanes: readonly Lane[]): StepEngine {
  const spec = lanes[0]!.protocol.model;
  const S = lanes.length;
  const n = lanes[0]!.data.n;
  const width = spec.layerSizes[1]!;
  const net = createBatchedNet(spec, lanes.map((lane) => lane.initialWeights));
  const trainable = net.variables.filter((v) => v.trainable);
  const optimizer = createLaneOptimizer(
    lanes.map((lane) => lane.protocol.training.optimizer),
    trainable,
    lanes[0]!.start ? laneBatchedState(lanes, trainable) : undefined,
  );
  const inputs = tf.tensor3d(Float32Array.from(lanes.flatMap((lane) => Array.from(lane.data.x))), [S, n, spec.layerSizes[0]!]);
  const targets = tf.tensor2d(Float32Array.from(lanes.flatMap((lane) => Array.from(lane.data.y, (label) => 2 * label - 1))), [S, n]);
  const sdCoef = tf.tensor1d(Float32Array.from(lanes.map((lane) => lane.protocol.training.sdCoef)));
  const masksFor = (step: number): tf.Tensor3D | undefined => {
    if (spec.dropout === undefined) return undefined;
    const values = new Float32Array(S * n * width);
    lanes.forEach((lane, k) => values.set(dropoutMask(lane.seed, step, n * width, spec.dropout!), k * n * width));
    return tf.tensor3d(values, [S, n, width]);
  };
  const release = (pending: PendingStep): void => {
    const { losses, logits } = pending as TfjsStep;
    tf.dispose([losses, logits ?? []]);
  };

  return {
    backend: tf.getBackend(),
    kind: "tfjs",
    /** One optimisation step; the per-lane losses and (if asked) the logits are kept. */
    step(t, keepLogits): TfjsStep {
      const mask = masksFor(t);
      try {
        let losses: tf.Tensor1D | null = null;
        let logits: tf.Tensor2D | null = null;
        let moments: ReturnType<typeof forward>["batchMoments"];
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => {
            const result = forward(net, inputs, { train: true, ...(mask ? { dropoutMask: mask } : {}) });
            if (result.batchMoments) moments = { mean: tf.keep(result.batchMoments.mean), variance: tf.keep(result.batchMoments.variance) };
            losses = tf.keep(lossPerLane(result.logits, targets, sdCoef));
            if (keepLogits) logits = tf.keep(result.logits);
            return tf.sum(losses) as tf.Scalar;
          }, trainable);
          optimizer.apply(
            t,
            trainable.map((v) => grads[v.name]!),
          );
          tf.dispose([value, ...Object.values(grads)]);
        });
        if (moments) {
          updateRunningStatistics(net, moments, n);
          tf.dispose([moments.mean, moments.variance]);
        }
        return { step: t, losses: losses!, logits };
      } finally {
        mask?.dispose();
      }
    },
    async read(steps) {
      const batch = steps as TfjsStep[];
      const stacked = tf.stack(batch.map((p) => p.losses));
      const values = (await stacked.data()) as Float32Array;
      stacked.dispose();
      const read = [];
      for (const [k, entry] of batch.entries()) {
        const logits = entry.logits ? Float32Array.from(await entry.logits.data()) : null;
        read.push({ losses: values.subarray(k * S, (k + 1) * S), logits });
        release(entry);
      }
      return read;
    },
    release,
    readWeights: () => readLaneWeights(net),
    async readStates() {
      const state = await optimizer.readState();
      return lanes.map((_, lane) => concatenate(laneSlices(state, lane, S)));
    },
    async evaluate() {
      const final = tf.tidy(() => {
        const { logits } = forward(net, inputs, { train: false });
        return { losses: lossPerLane(logits, targets, sdCoef), logits };
      });
      try {
        return { losses: (await final.losses.data()) as Float32Array, logits: Float32Array.from(await final.logits.data()) };
      } finally {
        tf.dispose([final.losses, final.logits]);
      }
    },
    dispose() {
      optimizer.dispose();
      tf.dispose([...net.variables, inputs, targets, sdCoef]);
    },
  };
}

/** The lanes' compact optimiser states (slot by slot, trainable tensor by tensor) regrouped as one lane-batched tensor per state variable. */
function laneBatchedState(lanes: readonly Lane[], trainable: readonly tf.Variable[]): Float32Array[] {
  const sizes = trainable.map((v) => v.size / lanes.length);
  const perSlot = sizes.reduce((a, b) => a + b, 0);
  const slots = lanes[0]!.start!.optimizerState.length / perSlot;
  const tensors: Float32Array[] = [];
  for (let slot = 0; slot < slots; slot++) {
    let offset = slot * perSlot;
    for (const size of sizes) {
      const values = new Float32Array(size * lanes.length);
      lanes.forEach((lane, k) => {
        const state = lane.start?.optimizerState;
        if (!state || state.length !== slots * perSlot) throw new RangeError(`a lane's optimiser state must hold ${slots * perSlot} values`);
        values.set(state.subarray(offset, offset + size), k * size);
      });
      tensors.push(values);
      offset += size;
    }
  }
  return tensors;
}

/** A lane's part of each lane-batched tensor's values. */
const laneSlices = (tensors: readonly Float32Array[], lane: number, lanes: number): Float32Array[] =>
  tensors.map((values) => values.subarray((lane * values.length) / lanes, ((lane + 1) * values.length) / lanes));

