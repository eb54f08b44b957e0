// PyTorch's SGD (momentum, weight decay added to the gradient) and Adam (bias-corrected) on lane-batched
// tfjs variables, with each lane's own hyper-parameters; their state can be read out and restored (checkpoints).
import * as tf from "@tensorflow/tfjs-core";
import type { OptimizerSpec } from "../protocols/types";

export interface LaneOptimizer {
  /** Applies one update from `grads` (one per trainable variable, same order); `step` counts from 0. */
  apply(step: number, grads: readonly tf.Tensor[]): void;
  /**
   * The state tensors' values (SGD: one velocity per variable; Adam: every first moment, then every second
   * moment), which createLaneOptimizer takes back to continue exactly where this one is. The step count is
   * not part of it: the caller passes it to apply().
   */
  readState(): Promise<Float32Array[]>;
  dispose(): void;
}

/** How many state tensors an optimiser of `kind` keeps for `variables` variables. */
export const optimizerStateCount = (kind: OptimizerSpec["kind"], variables: number): number => (kind === "adam" ? 2 * variables : variables);

/** [lanes, 1, 1], broadcast against any lane-batched tensor. */
const perLane = (values: readonly number[]): tf.Tensor3D => tf.tensor3d(Float32Array.from(values), [values.length, 1, 1]);

/** `state`: what readState() returned (same kind, same variables); zeros when absent. */
export function createLaneOptimizer(specs: readonly OptimizerSpec[], variables: readonly tf.Variable[], state?: readonly Float32Array[]): LaneOptimizer {
  const kind = specs[0]!.kind;
  if (specs.some((s) => s.kind !== kind)) throw new Error("lanes trained together must use the same kind of optimiser");
  if (state && state.length !== optimizerStateCount(kind, variables.length)) {
    throw new RangeError(`${kind} state for ${variables.length} variables has ${optimizerStateCount(kind, variables.length)} tensors, got ${state.length}`);
  }
  let restored = 0;
  /** One state variable per trainable variable: zeros, or the next tensors of `state`. */
  const zerosLike = (): tf.Variable[] =>
    variables.map((v) => {
      const values = state?.[restored++];
      if (values && values.length !== v.size) throw new RangeError(`optimiser state tensor of ${values.length} values for a variable of ${v.size}`);
      const initial = values ? tf.tensor(values, v.shape, "float32") : tf.zerosLike(v);
      const slot = tf.variable(initial, false);
      initial.dispose();
      return slot;
    });
  const read = async (slots: readonly tf.Variable[]): Promise<Float32Array[]> => Promise.all(slots.map(async (slot) => Float32Array.from(await slot.data())));
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
      readState: () => read(velocities),
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
    readState: () => read([...firstMoments, ...secondMoments]),
    dispose: () => tf.dispose([lr, beta1, beta2, eps, ...firstMoments, ...secondMoments]),
  };
}
