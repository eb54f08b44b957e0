// PyTorch's SGD (momentum, weight decay added to the gradient) and Adam (bias-corrected) on lane-batched
// tfjs variables, with each lane's own hyper-parameters.
import * as tf from "@tensorflow/tfjs-core";
import type { OptimizerSpec } from "../protocols/types";

export interface LaneOptimizer {
  /** Applies one update from `grads` (one per trainable variable, same order); `step` counts from 0. */
  apply(step: number, grads: readonly tf.Tensor[]): void;
  dispose(): void;
}

/** [lanes, 1, 1], broadcast against any lane-batched tensor. */
const perLane = (values: readonly number[]): tf.Tensor3D => tf.tensor3d(Float32Array.from(values), [values.length, 1, 1]);

export function createLaneOptimizer(specs: readonly OptimizerSpec[], variables: readonly tf.Variable[]): LaneOptimizer {
  const kind = specs[0]!.kind;
  if (specs.some((s) => s.kind !== kind)) throw new Error("lanes trained together must use the same kind of optimiser");
  const zerosLike = (): tf.Variable[] =>
    variables.map((v) => {
      const zeros = tf.zerosLike(v);
      const state = tf.variable(zeros, false);
      zeros.dispose();
      return state;
    });
  const lr = perLane(specs.map((s) => s.lr));

  if (kind === "sgd") {
    const sgd = specs as readonly Extract<OptimizerSpec, { kind: "sgd" }>[];
    const momentum = perLane(sgd.map((s) => s.momentum));
    const weightDecay = perLane(sgd.map((s) => s.weightDecay));
    const hasDecay = sgd.some((s) => s.weightDecay !== 0);
    const velocities = zerosLike();
    return {
      apply: (_step, grads) =>
        tf.tidy(() =>
          variables.forEach((theta, k) => {
            const grad = hasDecay ? tf.add(grads[k]!, tf.mul(weightDecay, theta)) : grads[k]!;
            const velocity = velocities[k]!;
            velocity.assign(tf.add(tf.mul(momentum, velocity), grad));
            theta.assign(tf.sub(theta, tf.mul(lr, velocity)));
          }),
        ),
      dispose: () => tf.dispose([lr, momentum, weightDecay, ...velocities]),
    };
  }

  const adam = specs as readonly Extract<OptimizerSpec, { kind: "adam" }>[];
  const beta1 = perLane(adam.map((s) => s.beta1));
  const beta2 = perLane(adam.map((s) => s.beta2));
  const eps = perLane(adam.map((s) => s.eps));
  const firstMoments = zerosLike();
  const secondMoments = zerosLike();
  return {
    apply: (step, grads) =>
      tf.tidy(() => {
        const correction1 = perLane(adam.map((s) => 1 - s.beta1 ** (step + 1)));
        const correction2 = perLane(adam.map((s) => 1 - s.beta2 ** (step + 1)));
        variables.forEach((theta, k) => {
          const grad = grads[k]!;
          const m = firstMoments[k]!;
          const v = secondMoments[k]!;
          m.assign(tf.add(tf.mul(beta1, m), tf.mul(tf.sub(1, beta1), grad)));
          v.assign(tf.add(tf.mul(beta2, v), tf.mul(tf.sub(1, beta2), tf.square(grad))));
          const denominator = tf.add(tf.sqrt(tf.div(v, correction2)), eps);
          theta.assign(tf.sub(theta, tf.div(tf.mul(lr, tf.div(m, correction1)), denominator)));
        });
      }),
    dispose: () => tf.dispose([lr, beta1, beta2, eps, ...firstMoments, ...secondMoments]),
  };
}
