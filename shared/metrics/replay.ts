// The verifier's replay: the first training steps of a two-moons run recomputed in plain float64
// TypeScript from the seeded initial weights (PyTorch's SGD or Adam; dropout masks from the seed; BatchNorm
// in training mode), to compare with the loss trajectory a client reports.
import type { MoonsData } from "../data/moons";
import { dropoutMask } from "../nn/dropout";
import { mlpParams } from "../nn/mlp";
import type { MoonsProtocol, OptimizerSpec } from "../protocols/types";
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
  const { model } = protocol;
  const targets = signedTargets(data.y);
  const theta = Float64Array.from(initialWeights);
  const trainable = trainableMask(protocol);
  const update = optimiserStep(protocol.training.optimizer, theta.length);
  const width = model.layerSizes[1]!;
  const losses = new Float64Array(steps);
  for (let step = 0; step < steps; step++) {
    const mask = model.dropout === undefined ? null : dropoutMask(seed, step, data.n * width, model.dropout);
    const trace = forwardTrain(model, theta, data.x, mask);
    losses[step] = moonsLoss(trace.outputs, targets, protocol.training.sdCoef);
    const grad = backwardTrain(model, theta, trace, moonsLossGradient(trace.outputs, targets, protocol.training.sdCoef), mask);
    update(theta, grad, trainable, step);
  }
  return { losses, weights: theta };
}

function trainableMask(protocol: MoonsProtocol): Uint8Array {
  const params = mlpParams(protocol.model);
  const mask = new Uint8Array(params.reduce((n, p) => n + p.size, 0));
  for (const p of params) if (p.trainable) mask.fill(1, p.offset, p.offset + p.size);
  return mask;
}

type Update = (theta: Float64Array, grad: Float64Array, trainable: Uint8Array, step: number) => void;

/** torch.optim.SGD (momentum, weight decay added to the gradient) or torch.optim.Adam (bias-corrected). */
function optimiserStep(spec: OptimizerSpec, size: number): Update {
  if (spec.kind === "sgd") {
    const velocity = new Float64Array(size);
    return (theta, grad, trainable) => {
      for (let k = 0; k < theta.length; k++) {
        if (!trainable[k]) continue;
        velocity[k] = spec.momentum * velocity[k]! + grad[k]! + spec.weightDecay * theta[k]!;
        theta[k] = theta[k]! - spec.lr * velocity[k]!;
      }
    };
  }
  const first = new Float64Array(size);
  const second = new Float64Array(size);
  return (theta, grad, trainable, step) => {
    const correction1 = 1 - spec.beta1 ** (step + 1);
    const correction2 = 1 - spec.beta2 ** (step + 1);
    for (let k = 0; k < theta.length; k++) {
      if (!trainable[k]) continue;
      first[k] = spec.beta1 * first[k]! + (1 - spec.beta1) * grad[k]!;
      second[k] = spec.beta2 * second[k]! + (1 - spec.beta2) * grad[k]! * grad[k]!;
      theta[k] = theta[k]! - (spec.lr * (first[k]! / correction1)) / (Math.sqrt(second[k]! / correction2) + spec.eps);
    }
  };
}
