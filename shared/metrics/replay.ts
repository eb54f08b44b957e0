// The verifier's replay: the first training steps of a two-moons run recomputed in plain float64
// TypeScript from the seeded initial weights, to compare with the loss trajectory a client reports.
import type { MoonsData } from "../data/moons";
import type { MoonsProtocol } from "../protocols/types";
import { moonsLoss, moonsLossGradient, signedTargets } from "./loss";
import { forwardWithActivations, mlpBackward } from "./mlp-math";

/**
 * Loss at each of the first `steps` steps (measured before the step's update, as the authors' loop
 * prints it), with PyTorch's SGD: g += weightDecay·θ; v = momentum·v + g; θ -= lr·v.
 */
export function replayMoonsLosses(protocol: MoonsProtocol, data: MoonsData, initialWeights: Float32Array, steps: number): Float64Array {
  return replayMoons(protocol, data, initialWeights, steps).losses;
}

/** The replay's losses and the float64 weights it ends with. */
export function replayMoons(
  protocol: MoonsProtocol,
  data: MoonsData,
  initialWeights: Float32Array,
  steps: number,
): { losses: Float64Array; weights: Float64Array } {
  const { lr, momentum, weightDecay } = protocol.training.optimizer;
  const targets = signedTargets(data.y);
  const theta = Float64Array.from(initialWeights);
  const velocity = new Float64Array(theta.length);
  const losses = new Float64Array(steps);
  for (let step = 0; step < steps; step++) {
    const activations = forwardWithActivations(protocol.model, theta, data.x);
    const logits = activations.at(-1)!;
    losses[step] = moonsLoss(logits, targets, protocol.training.sdCoef);
    const grad = mlpBackward(protocol.model, theta, activations, moonsLossGradient(logits, targets, protocol.training.sdCoef));
    for (let k = 0; k < theta.length; k++) {
      velocity[k] = momentum * velocity[k]! + grad[k]! + weightDecay * theta[k]!;
      theta[k] = theta[k]! - lr * velocity[k]!;
    }
  }
  return { losses, weights: theta };
}
