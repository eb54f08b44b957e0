// The verifier's replay: the first training steps of a two-moons run recomputed in plain float64
// TypeScript from the seeded initial weights (PyTorch's SGD or Adam; dropout masks from the seed; BatchNorm
// in training mode), to compare with the loss trajectory a client reports.
import type { MoonsData } from "../data/moons";
import { dropoutMask } from "../nn/dropout";
import { BATCH_NORM, findParam, mlpParams, type MlpSpec } from "../nn/mlp";
import { cmnistMlpSpec } from "../nn/cmnist-model";
import type { CmnistProtocol } from "../protocols/colored-mnist";
import type { MoonsProtocol, OptimizerSpec } from "../protocols/types";
import { fusedSupports, MAX_STEPS_PER_CALL, moonsKernelInstalled, withFusedSession } from "../kernels/moons-kernel";
import { moonsLoss, moonsLossGradient, signedTargets } from "./loss";
import { backwardTrain, forwardTrain } from "./mlp-math";

/** Loss at each of the first `steps` steps (measured before the step's update, as the authors' loop prints it). */
export function replayMoonsLosses(protocol: MoonsProtocol, data: MoonsData, seed: number, initialWeights: Float32Array, steps: number): Float64Array {
  return replayMoons(protocol, data, seed, initialWeights, steps).losses;
}

/** The replay's losses and the float64 weights it ends with (running statistics are not tracked). */
export function replayMoons(
  protocol: MoonsProtocol,
  data: MoonsData,
  seed: number,
  initialWeights: Float32Array,
  steps: number,
): { losses: Float64Array; weights: Float64Array } {
  return replaySegment(protocol, data, seed, { step: 0, weights: initialWeights, optimizerState: null }, steps);
}

/** Where a training run stands before step `step`: its weights and its optimiser's state. */
export interface TrainingState {
  readonly step: number;
  /** Every parameter, mlpParams order. */
  readonly weights: Float32Array | Float64Array;
  /** See optimizerStateSize: SGD's velocity, or Adam's first then second moments, of the trainable values; null = zeros (a fresh optimiser). */
  readonly optimizerState: Float32Array | Float64Array | null;
}

/** How many values an optimiser's state holds for a network with `trainable` trainable values. */
export const optimizerStateSize = (spec: OptimizerSpec, trainable: number): number => (spec.kind === "adam" ? 2 * trainable : trainable);

/**
 * Steps `start.step` .. `start.step + steps - 1` replayed from `start` (dropout masks and Adam's bias
 * correction follow the global step): the loss before each step, then the weights and optimiser state after.
 */
export function replaySegment(
  protocol: MoonsProtocol,
  data: MoonsData,
  seed: number,
  start: TrainingState,
  steps: number,
): { losses: Float64Array; weights: Float64Array; optimizerState: Float64Array } {
  if (moonsKernelInstalled() && fusedSupports(protocol)) return fusedReplay(protocol, data, seed, start, steps);
  return referenceReplaySegment(protocol, data, seed, start, steps);
}

/** replaySegment in plain TypeScript: every network, and the reference the fused kernel is tested against. */
export function referenceReplaySegment(
  protocol: MoonsProtocol,
  data: MoonsData,
  seed: number,
  start: TrainingState,
  steps: number,
): { losses: Float64Array; weights: Float64Array; optimizerState: Float64Array } {
  const { model } = protocol;
  const targets = signedTargets(data.y);
  const theta = Float64Array.from(start.weights);
  const trainable = trainableIndices(protocol);
  const optimizer = optimiserStep(protocol.training.optimizer, theta.length, trainable, start.optimizerState);
  const width = model.layerSizes[1]!;
  const losses = new Float64Array(steps);
  const fast = isPlainTwoLayer(protocol)
    ? twoLayerGradient(model.layerSizes as [number, number, 1], data.x, targets, protocol.training.sdCoef)
    : isBatchNormTwoLayer(protocol)
      ? twoLayerBatchNormGradient(model, data.x, targets, protocol.training.sdCoef)
      : null;
  for (let k = 0; k < steps; k++) {
    const step = start.step + k;
    const mask = model.dropout === undefined ? null : dropoutMask(seed, step, data.n * width, model.dropout);
    let grad: Float64Array;
    if (fast) {
      const result = fast(theta, mask);
      losses[k] = result.loss;
      grad = result.grad;
    } else {
      const trace = forwardTrain(model, theta, data.x, mask);
      losses[k] = moonsLoss(trace.outputs, targets, protocol.training.sdCoef);
      grad = backwardTrain(model, theta, trace, moonsLossGradient(trace.outputs, targets, protocol.training.sdCoef), mask);
    }
    optimizer.update(theta, grad, step);
  }
  return { losses, weights: theta, optimizerState: optimizer.state() };
}

/** replaySegment on the fused float64 wasm kernel (shared/kernels): the same arithmetic, several times faster. */
function fusedReplay(protocol: MoonsProtocol, data: MoonsData, seed: number, start: TrainingState, steps: number) {
  return withFusedSession(64, [{ protocol, seed, x: data.x, targets: signedTargets(data.y), weights: start.weights, optimizerState: start.optimizerState }], (session) => {
    const losses = new Float64Array(steps);
    for (let done = 0; done < steps; done += MAX_STEPS_PER_CALL) {
      const count = Math.min(MAX_STEPS_PER_CALL, steps - done);
      losses.set(session.step(start.step + done, count), done);
    }
    return { losses, weights: session.weights(0) as Float64Array, optimizerState: session.optimizerState(0) as Float64Array };
  });
}

/**
 * The training loss of `weights` before step `step` (that step's dropout mask, BatchNorm on batch statistics):
 * the value the client's loss history records at that step.
 */
export function trainingLoss(protocol: MoonsProtocol, data: MoonsData, seed: number, weights: Float32Array | Float64Array, step: number): number {
  if (moonsKernelInstalled() && fusedSupports(protocol)) {
    return withFusedSession(64, [{ protocol, seed, x: data.x, targets: signedTargets(data.y), weights, optimizerState: null }], (session) => session.trainingLoss(step)[0]!);
  }
  const { model } = protocol;
  const mask = model.dropout === undefined ? null : dropoutMask(seed, step, data.n * model.layerSizes[1]!, model.dropout);
  return moonsLoss(forwardTrain(model, weights, data.x, mask).outputs, signedTargets(data.y), protocol.training.sdCoef);
}

/** A d-H-1 network without BatchNorm (dropout allowed): the fast path below applies. */
const isPlainTwoLayer = (protocol: MoonsProtocol): boolean => protocol.model.layerSizes.length === 3 && protocol.model.layerSizes[2] === 1 && !protocol.model.batchNorm;

/** A d-H-1 network with BatchNorm after fc1 and no dropout: the BatchNorm fast path applies. */
const isBatchNormTwoLayer = (protocol: MoonsProtocol): boolean =>
  protocol.model.layerSizes.length === 3 && protocol.model.layerSizes[2] === 1 && protocol.model.batchNorm === true && protocol.model.dropout === undefined;

/**
 * The training loss and its gradient for a d-H-1 ReLU network with BatchNorm (batch statistics, PyTorch's
 * training mode) between fc1 and the ReLU: the arithmetic of forwardTrain + backwardTrain in three passes over
 * reused n×H buffers, several times faster (a 250-step segment from ~5 s to ~1 s). Running statistics get no
 * gradient (and the replay does not update them: only trainable values are compared). replay.test.ts checks it
 * against the general passes, and the PyTorch fixture covers fig3-batchnorm through it.
 */
export function twoLayerBatchNormGradient(spec: MlpSpec, x: Float64Array, targets: Float64Array, sdCoef: number) {
  const [d, H] = spec.layerSizes as [number, number, 1];
  const params = mlpParams(spec);
  const at = (role: Parameters<typeof findParam>[1], layer: number): number => findParam(params, role, layer)!.offset;
  const [w1, b1, gamma, beta, w2, b2] = [at("weight", 1), at("bias", 1), at("bnScale", 1), at("bnShift", 1), at("weight", 2), at("bias", 2)];
  const n = targets.length;
  const size = params.reduce((total, p) => Math.max(total, p.offset + p.size), 0);
  const grad = new Float64Array(size);
  const outputs = new Float64Array(n);
  const normalized = new Float64Array(n * H);
  const dNormalized = new Float64Array(n * H);
  const mean = new Float64Array(H);
  const invStd = new Float64Array(H);
  const sumD = new Float64Array(H);
  const sumDX = new Float64Array(H);
  // The mask parameter keeps the signature of twoLayerGradient; these protocols have no dropout.
  return (theta: Float64Array, _mask: Float32Array | null = null): { loss: number; grad: Float64Array } => {
    grad.fill(0);
    mean.fill(0);
    invStd.fill(0);
    // fc1 outputs, then their batch mean and biased variance per unit.
    for (let p = 0; p < n; p++) {
      for (let j = 0; j < H; j++) {
        let z = theta[b1 + j]!;
        for (let i = 0; i < d; i++) z += x[p * d + i]! * theta[w1 + i * H + j]!;
        normalized[p * H + j] = z;
        mean[j] = mean[j]! + z;
      }
    }
    for (let j = 0; j < H; j++) mean[j] = mean[j]! / n;
    for (let k = 0; k < n * H; k++) invStd[k % H] = invStd[k % H]! + (normalized[k]! - mean[k % H]!) ** 2;
    for (let j = 0; j < H; j++) invStd[j] = 1 / Math.sqrt(invStd[j]! / n + BATCH_NORM.eps);
    for (let p = 0; p < n; p++) {
      let out = theta[b2]!;
      for (let j = 0; j < H; j++) {
        const k = p * H + j;
        normalized[k] = (normalized[k]! - mean[j]!) * invStd[j]!;
        const y = normalized[k]! * theta[gamma + j]! + theta[beta + j]!;
        if (y > 0) out += y * theta[w2 + j]!;
      }
      outputs[p] = out;
    }
    const loss = moonsLoss(outputs, targets, sdCoef);
    const outputGradient = moonsLossGradient(outputs, targets, sdCoef);
    // Back through fc2 and the ReLU to the normalised values, summing what BatchNorm's backward needs.
    sumD.fill(0);
    sumDX.fill(0);
    for (let p = 0; p < n; p++) {
      const g = outputGradient[p]!;
      grad[b2] = grad[b2]! + g;
      for (let j = 0; j < H; j++) {
        const k = p * H + j;
        const y = normalized[k]! * theta[gamma + j]! + theta[beta + j]!;
        if (!(y > 0)) {
          dNormalized[k] = 0;
          continue;
        }
        grad[w2 + j] = grad[w2 + j]! + g * y;
        const dy = g * theta[w2 + j]!;
        grad[gamma + j] = grad[gamma + j]! + dy * normalized[k]!;
        grad[beta + j] = grad[beta + j]! + dy;
        const dx = dy * theta[gamma + j]!;
        dNormalized[k] = dx;
        sumD[j] = sumD[j]! + dx;
        sumDX[j] = sumDX[j]! + dx * normalized[k]!;
      }
    }
    // Through the batch statistics to fc1's outputs, then into fc1's weights.
    for (let p = 0; p < n; p++) {
      for (let j = 0; j < H; j++) {
        const k = p * H + j;
        const dz = (invStd[j]! / n) * (n * dNormalized[k]! - sumD[j]! - normalized[k]! * sumDX[j]!);
        grad[b1 + j] = grad[b1 + j]! + dz;
        for (let i = 0; i < d; i++) grad[w1 + i * H + j] = grad[w1 + i * H + j]! + x[p * d + i]! * dz;
      }
    }
    return { loss, grad };
  };
}

/**
 * The training loss and its gradient for a d-H-1 ReLU network (dropout mask on fc1's output): one forward pass
 * that keeps fc1's masked pre-activations (n×H, reused buffers) and one backward pass over them, with the
 * two-moons input (d = 2) unrolled — the same arithmetic in the same order as forwardTrain + backwardTrain (so
 * bitwise the same result), several times faster, which is what makes replaying every segment of a run
 * affordable on the Worker. replay.test.ts checks it against the general passes.
 */
export function twoLayerGradient([d, H]: [number, number, 1], x: Float64Array, targets: Float64Array, sdCoef: number) {
  const n = targets.length;
  const w1 = 0;
  const b1 = d * H;
  const w2 = b1 + H;
  const b2 = w2 + H;
  const grad = new Float64Array(b2 + 1);
  const outputs = new Float64Array(n);
  // fc1's masked pre-activations of every point, kept from the forward pass for the backward one (n×H).
  const hidden = new Float64Array(n * H);
  return (theta: Float64Array, mask: Float32Array | null): { loss: number; grad: Float64Array } => {
    grad.fill(0);
    for (let p = 0; p < n; p++) {
      let out = theta[b2]!;
      const row = p * H;
      if (d === 2) {
        // The two-moons input, unrolled: the same additions in the same order as the general loop below.
        const x0 = x[2 * p]!;
        const x1 = x[2 * p + 1]!;
        for (let j = 0; j < H; j++) {
          let z = theta[b1 + j]!;
          z += x0 * theta[w1 + j]!;
          z += x1 * theta[w1 + H + j]!;
          if (mask) z *= mask[row + j]!;
          hidden[row + j] = z;
          if (z > 0) out += z * theta[w2 + j]!;
        }
      } else {
        for (let j = 0; j < H; j++) {
          let z = theta[b1 + j]!;
          for (let i = 0; i < d; i++) z += x[p * d + i]! * theta[w1 + i * H + j]!;
          if (mask) z *= mask[row + j]!;
          hidden[row + j] = z;
          if (z > 0) out += z * theta[w2 + j]!;
        }
      }
      outputs[p] = out;
    }
    const loss = moonsLoss(outputs, targets, sdCoef);
    const outputGradient = moonsLossGradient(outputs, targets, sdCoef);
    for (let p = 0; p < n; p++) {
      const g = outputGradient[p]!;
      grad[b2] = grad[b2]! + g;
      const row = p * H;
      const x0 = x[p * d]!;
      const x1 = d === 2 ? x[p * d + 1]! : 0;
      for (let j = 0; j < H; j++) {
        const z = hidden[row + j]!;
        if (!(z > 0)) continue;
        grad[w2 + j] = grad[w2 + j]! + g * z;
        const dz = g * theta[w2 + j]! * (mask ? mask[row + j]! : 1);
        grad[b1 + j] = grad[b1 + j]! + dz;
        if (d === 2) {
          grad[w1 + j] = grad[w1 + j]! + x0 * dz;
          grad[w1 + H + j] = grad[w1 + H + j]! + x1 * dz;
        } else {
          for (let i = 0; i < d; i++) grad[w1 + i * H + j] = grad[w1 + i * H + j]! + x[p * d + i]! * dz;
        }
      }
    }
    return { loss, grad };
  };
}

/** A protocol whose runs carry trajectory checkpoints: a two-moons net or the Colored-MNIST MLP. */
export type TrajectoryProtocol = MoonsProtocol | CmnistProtocol;

/** The network a trajectory protocol trains. */
export const trajectoryNetwork = (protocol: TrajectoryProtocol): MlpSpec => (protocol.family === "two-moons" ? protocol.model : cmnistMlpSpec(protocol.model));

/** Positions of the trainable values in the flat weights (running statistics are not trained). */
export function trainableIndices(protocol: TrajectoryProtocol): Int32Array {
  const indices: number[] = [];
  for (const p of mlpParams(trajectoryNetwork(protocol))) if (p.trainable) for (let k = 0; k < p.size; k++) indices.push(p.offset + k);
  return Int32Array.from(indices);
}

interface ReplayOptimizer {
  update(theta: Float64Array, grad: Float64Array, step: number): void;
  /** The state in its compact form (trainable values only; Adam: first moments, then second moments). */
  state(): Float64Array;
}

/** torch.optim.SGD (momentum, weight decay added to the gradient) or torch.optim.Adam (bias-corrected). */
export function optimiserStep(spec: OptimizerSpec, size: number, trainable: Int32Array, initial: Float32Array | Float64Array | null): ReplayOptimizer {
  const slots = spec.kind === "adam" ? 2 : 1;
  if (initial && initial.length !== slots * trainable.length) {
    throw new RangeError(`${spec.kind} state for ${trainable.length} trainable values has ${slots * trainable.length} values, got ${initial.length}`);
  }
  /** One full-length state vector per slot, filled from the compact initial state. */
  const full = Array.from({ length: slots }, (_, slot) => {
    const values = new Float64Array(size);
    if (initial) trainable.forEach((index, k) => (values[index] = initial[slot * trainable.length + k]!));
    return values;
  });
  const state = (): Float64Array => {
    const compact = new Float64Array(slots * trainable.length);
    full.forEach((values, slot) => trainable.forEach((index, k) => (compact[slot * trainable.length + k] = values[index]!)));
    return compact;
  };
  if (spec.kind === "sgd") {
    const velocity = full[0]!;
    return {
      update: (theta, grad) => {
        for (let t = 0; t < trainable.length; t++) {
          const k = trainable[t]!;
          velocity[k] = spec.momentum * velocity[k]! + grad[k]! + spec.weightDecay * theta[k]!;
          theta[k] = theta[k]! - spec.lr * velocity[k]!;
        }
      },
      state,
    };
  }
  const [first, second] = full as [Float64Array, Float64Array];
  return {
    update: (theta, grad, step) => {
      const correction1 = 1 - spec.beta1 ** (step + 1);
      const correction2 = 1 - spec.beta2 ** (step + 1);
      for (let t = 0; t < trainable.length; t++) {
        const k = trainable[t]!;
        first[k] = spec.beta1 * first[k]! + (1 - spec.beta1) * grad[k]!;
        second[k] = spec.beta2 * second[k]! + (1 - spec.beta2) * grad[k]! * grad[k]!;
        theta[k] = theta[k]! - (spec.lr * (first[k]! / correction1)) / (Math.sqrt(second[k]! / correction2) + spec.eps);
      }
    },
    state,
  };
}
