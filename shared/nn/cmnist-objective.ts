// Why: the Colored-MNIST objectives (ERM, SD, IRMv1, V-REx, L2) with an exact chunked full-batch gradient, so 50,000 images fit any device, and every product of the step a plain one on wasm.
import * as tf from "@tensorflow/tfjs-core";
import type { StepObjective } from "../protocols/cmnist-step-objective";
import { forward, type BatchedNet } from "./batched-mlp";
import { findParam } from "./mlp";

/**
 * One training environment on the device, split into chunks: inputs [1, c, width], labels [1, c] (0 or 1), and on
 * wasm the inputs transposed ([1, width, c]), made once, so that fc1's weight gradient Xᵀ·dZ₁ is a plain product.
 */
export interface EnvChunks {
  readonly n: number;
  readonly inputs: readonly tf.Tensor3D[];
  readonly labels: readonly tf.Tensor2D[];
  /** Xᵀ per chunk on wasm (constant over the run); empty on the other backends, whose transposed products are fast. */
  readonly inputsT: readonly tf.Tensor3D[];
}

export interface CmnistBatch {
  readonly envs: readonly EnvChunks[];
  readonly width: number;
}

/**
 * tfjs-wasm 4.22 hands a product to XNNPACK only without transposes: with transposeA or transposeB it takes a scalar
 * loop about 10× slower (2.2 s against 0.22 s for 25,000 × 392 × 300 here), far more than materialising the transpose.
 */
const plainProductsOnly = (): boolean => tf.getBackend() === "wasm";

/** Backends whose tensors live in ordinary memory, where keeping every chunk's activations costs no device memory. */
const keepsForwardPasses = (): boolean => tf.getBackend() === "wasm" || tf.getBackend() === "cpu";

/** Moves environments (n × width inputs, n 0/1 labels each) to the device in chunks of at most `chunkSize` images. */
export function createCmnistBatch(envs: readonly { readonly inputs: Float32Array; readonly labels: Float32Array }[], width: number, chunkSize: number): CmnistBatch {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  const transposed = plainProductsOnly();
  return {
    width,
    envs: envs.map(({ inputs, labels }) => {
      const n = labels.length;
      if (inputs.length !== n * width) throw new RangeError(`an environment has ${inputs.length} inputs for ${n} labels of width ${width}`);
      const chunks = { n, inputs: [] as tf.Tensor3D[], labels: [] as tf.Tensor2D[], inputsT: [] as tf.Tensor3D[] };
      for (let start = 0; start < n; start += chunkSize) {
        const c = Math.min(chunkSize, n - start);
        const x = tf.tensor3d(inputs.subarray(start * width, (start + c) * width), [1, c, width]);
        chunks.inputs.push(x);
        if (transposed) chunks.inputsT.push(tf.transpose(x, [0, 2, 1]));
        chunks.labels.push(tf.tensor2d(labels.subarray(start, start + c), [1, c]));
      }
      return chunks;
    }),
  };
}

export function disposeCmnistBatch(batch: CmnistBatch): void {
  for (const env of batch.envs) tf.dispose([...env.inputs, ...env.inputsT, ...env.labels]);
}

/**
 * A chunk's forward pass kept from the chunked gradient's first pass for its second (keyed by the chunk's inputs
 * tensor): the logits [lanes, c] and the hidden activations the written-out backward pass saves.
 */
export type ForwardMemo = Map<tf.Tensor, { readonly logits: tf.Tensor2D; readonly hidden: readonly tf.Tensor3D[] }>;

/**
 * A chunk's logits [lanes, c] from its inputs (k: the chunk's index in env). Call inside tf.tidy or a gradient.
 * With `memo`, a chunk's forward pass found there is reused and one computed is kept there (kept tensors: the
 * caller disposes them); an implementation may ignore it.
 */
export type ChunkLogits = (net: BatchedNet, env: EnvChunks, k: number, memo?: ForwardMemo) => tf.Tensor2D;

/** Disposes every forward pass kept in `memo` and empties it. */
export function disposeForwardMemo(memo: ForwardMemo): void {
  for (const { logits, hidden } of memo.values()) tf.dispose([logits, ...hidden]);
  memo.clear();
}

/** The reference: batched-mlp's forward pass, differentiated by tfjs' autograd op by op. */
export const autogradLogits: ChunkLogits = (net, env, k) => forward(net, env.inputs[k]!, { train: true }).logits;

/**
 * The same logits of the plain ReLU MLP (no dropout, no BatchNorm; a 1-wide output) with its whole backward pass
 * written out, every product of it a plain one on wasm:
 *   dW_L = Σ_i h_i·dz_i (a broadcast product and a sum: a [1, c]·[c, h] product is slow on XNNPACK),
 *   dH_{l-1} = dZ_l·W_lᵀ with W_lᵀ materialised (h × h, cheap), dZ = dH ⊙ step(H),
 *   dW_l = H_{l-1}ᵀ·dZ_l with H_{l-1}ᵀ materialised, and dW_1 = Xᵀ·dZ_1 from the batch's constant Xᵀ,
 *   db_l = Σ_i dZ_l; no gradient for the inputs at all.
 * On the other backends the transposed products are left to matMul's flags. Equal to autogradLogits' gradient up to
 * the order of float additions.
 */
export const cmnistLogits: ChunkLogits = (net, env, k, memo) => {
  const sizes = net.spec.layerSizes;
  const depth = sizes.length - 1;
  if (net.spec.dropout !== undefined || net.spec.batchNorm || sizes[depth] !== 1) throw new RangeError("cmnistLogits covers the plain ReLU MLP with one output only");
  const index = (role: "weight" | "bias", layer: number): number => net.params.indexOf(findParam(net.params, role, layer)!);
  const trainable = net.variables.map((v, j) => ({ v, j })).filter(({ v }) => v.trainable);
  const position = (j: number): number => trainable.findIndex((t) => t.j === j);
  const layers = Array.from({ length: depth }, (_, l) => ({ weight: position(index("weight", l + 1)), bias: position(index("bias", l + 1)) }));
  const inputs = env.inputs[k]!;
  const inputsT = env.inputsT[k];
  const [lanes, n] = inputs.shape;
  const plain = plainProductsOnly();
  const transpose = (t: tf.Tensor3D): tf.Tensor3D => tf.transpose(t, [0, 2, 1]);
  const logits = tf.customGrad((...args: unknown[]) => {
    const save = args[trainable.length] as tf.GradSaveFunc;
    const vars = args.slice(0, trainable.length) as tf.Tensor3D[];
    const weight = (l: number): tf.Tensor3D => vars[layers[l]!.weight]!;
    const bias = (l: number): tf.Tensor3D => vars[layers[l]!.bias]!;
    // activations[l]: the input of layer l + 1 (after the ReLU); activations[0] is the chunk's inputs.
    const activations: tf.Tensor3D[] = [inputs];
    const kept = memo?.get(inputs);
    let value: tf.Tensor2D;
    if (kept) {
      activations.push(...kept.hidden);
      value = tf.clone(kept.logits);
    } else {
      let z = tf.add(tf.matMul(inputs, weight(0)), bias(0)) as tf.Tensor3D;
      for (let l = 1; l < depth; l++) {
        const h = tf.relu(z);
        activations.push(h);
        z = tf.add(tf.matMul(h, weight(l)), bias(l)) as tf.Tensor3D;
      }
      value = tf.reshape(z, [lanes, n]) as tf.Tensor2D;
      memo?.set(inputs, { logits: tf.keep(tf.clone(value)), hidden: activations.slice(1).map((h) => tf.keep(tf.clone(h))) });
    }
    save([...activations.slice(1), ...Array.from({ length: depth }, (_, l) => weight(l))]);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const hidden = saved.slice(0, depth - 1) as tf.Tensor3D[];
        const weights = saved.slice(depth - 1) as tf.Tensor3D[];
        const input = (l: number): tf.Tensor3D => (l === 0 ? inputs : hidden[l - 1]!);
        const grads: tf.Tensor[] = new Array<tf.Tensor>(trainable.length);
        let dz = tf.reshape(dy as tf.Tensor, [lanes, n, 1]) as tf.Tensor3D;
        for (let l = depth - 1; l >= 0; l--) {
          const x = input(l);
          const fanIn = sizes[l]!;
          grads[layers[l]!.bias] = tf.sum(dz, 1, true);
          if (l === depth - 1) grads[layers[l]!.weight] = tf.reshape(tf.sum(tf.mul(x, dz), 1), [lanes, fanIn, 1]);
          else if (!plain) grads[layers[l]!.weight] = tf.matMul(x, dz, true, false);
          else grads[layers[l]!.weight] = tf.matMul(l === 0 && inputsT ? inputsT : transpose(x), dz);
          if (l === 0) break;
          const w = weights[l]!;
          const dx =
            l === depth - 1
              ? tf.mul(dz, tf.reshape(w, [lanes, 1, fanIn]))
              : plain
                ? tf.matMul(dz, transpose(w))
                : tf.matMul(dz, w, false, true);
          dz = tf.mul(dx, tf.step(x)) as tf.Tensor3D;
        }
        return grads;
      },
    };
  });
  return logits(...trainable.map(({ v }) => v)) as tf.Tensor2D;
};

/**
 * Per-example terms [1, c, 3]: BCE-with-logits softplus(ŷ) − y·ŷ (stable for any ŷ), the IRMv1 scale gradient
 * (σ(ŷ) − y)·ŷ and ŷ². Why the second one: BCE(s·ŷ, y) = softplus(sŷ) − y·sŷ has d/ds = (σ(sŷ) − y)·ŷ, so at s = 1
 * the script's autograd.grad(mean_nll(logits·scale, y), scale, create_graph=True) is mean((σ(ŷ) − y)·ŷ): the same
 * function of the weights, hence the same penalty and the same gradient of its square.
 */
function exampleTerms(logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Tensor3D {
  const bce = tf.sub(tf.softplus(logits), tf.mul(labels, logits));
  const scaleGradient = tf.mul(tf.sub(tf.sigmoid(logits), labels), logits);
  return tf.stack([bce, scaleGradient, tf.square(logits)], 2) as tf.Tensor3D;
}

/** Correct predictions (ŷ > 0 ⇔ y = 1) of a chunk, as a [1] float. */
const correctCount = (logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Tensor1D =>
  tf.reshape(tf.sum(tf.cast(tf.equal(tf.cast(tf.greater(logits, 0), "float32"), labels), "float32")), [1]);

/** The loss without its L2 term, from the per-environment means ([R_e, G_e, M_e] each). Differentiable in them. */
function lossFromMeans(objective: StepObjective, means: readonly tf.Tensor1D[], counts: readonly number[]): tf.Scalar {
  const part = (e: number, k: number): tf.Scalar => tf.reshape(tf.slice(means[e]!, [k], [1]), []) as tf.Scalar;
  const envs = means.map((_, e) => e);
  if (objective.kind === "pooled") {
    const total = counts.reduce((a, b) => a + b, 0);
    return tf.addN(envs.map((e) => tf.mul(counts[e]! / total, tf.add(tf.mul(objective.bce, part(e, 0)), tf.mul(objective.sd, part(e, 2)))))) as tf.Scalar;
  }
  const risks = tf.mul(objective.risk, tf.addN(envs.map((e) => part(e, 0))));
  if (objective.kind === "irm") return tf.add(risks, tf.mul(objective.penalty, tf.addN(envs.map((e) => tf.square(part(e, 1)))))) as tf.Scalar;
  if (means.length !== 2) throw new RangeError(`V-REx as in the REx code needs exactly two environments, got ${means.length}`);
  return tf.add(risks, tf.mul(objective.penalty, tf.square(tf.sub(part(0, 0), part(1, 0))))) as tf.Scalar;
}

const sumOfSquares = (variables: readonly tf.Variable[]): tf.Scalar => tf.addN(variables.map((v) => tf.sum(tf.square(v)))) as tf.Scalar;

/** A loss, its gradient (one tensor per variable of the net, same order) and per-env statistics. The caller disposes them. */
export interface LossAndGradient {
  readonly loss: tf.Scalar;
  readonly grads: tf.Tensor[];
  /** [envs, 4]: mean BCE, mean IRMv1 scale gradient, mean ŷ², accuracy. */
  readonly envStats: tf.Tensor2D;
}

/** Plain autograd of the whole objective over all chunks at once: the reference the chunked gradient must match. */
export function directLossAndGradient(net: BatchedNet, batch: CmnistBatch, objective: StepObjective, logitsOf: ChunkLogits = cmnistLogits): LossAndGradient {
  const variables = net.variables.filter((v) => v.trainable);
  const counts = batch.envs.map((env) => env.n);
  const kept: { envStats?: tf.Tensor2D } = {};
  const { value, grads } = tf.variableGrads(() => {
    const perEnv = batch.envs.map((env) => {
      const chunks = env.inputs.map((_, k) => {
        const logits = logitsOf(net, env, k);
        return { terms: exampleTerms(logits, env.labels[k]!), correct: correctCount(logits, env.labels[k]!) };
      });
      const means = tf.div(tf.sum(tf.concat(chunks.map((c) => c.terms), 1), [0, 1]), env.n) as tf.Tensor1D;
      const accuracy = tf.div(tf.addN(chunks.map((c) => c.correct)), env.n) as tf.Tensor1D;
      return { means, accuracy };
    });
    kept.envStats = tf.keep(tf.stack(perEnv.map(({ means, accuracy }) => tf.concat([means, accuracy]))) as tf.Tensor2D);
    const l2 = objective.kind === "pooled" ? 0 : objective.l2;
    const loss = lossFromMeans(objective, perEnv.map((p) => p.means), counts);
    return l2 === 0 ? loss : (tf.add(loss, tf.mul(l2, sumOfSquares(variables))) as tf.Scalar);
  }, variables);
  return { loss: value, grads: variables.map((v) => grads[v.name]!), envStats: kept.envStats! };
}

/**
 * The same loss and gradient, chunk by chunk, holding one chunk's activations at a time.
 *
 * The loss is F(R, G, M) + l2·‖θ‖², with F nonlinear in the per-environment means for IRM (G_e²) and REx
 * ((R_A − R_B)²). By the chain rule ∇θ F = Σ_e Σ_{i∈e} (∂F/∂R_e·∇ℓ_i + ∂F/∂G_e·∇g_i + ∂F/∂M_e·∇ŷ_i²) / n_e:
 * once the means are known, the gradient is that of the linearised surrogate Σ_i w·terms_i with constant
 * per-environment weights w = ∂F/∂(R_e, G_e, M_e) / n_e, and a sum over examples splits into chunks exactly.
 * So: (1) a forward-only pass over all chunks accumulates the sums and hence the means (skipped for the pooled
 * objectives, where F is linear and w does not depend on them); (2) autograd gives the weights w from the
 * small scalar function F; (3) a second pass differentiates the surrogate chunk by chunk and adds the chunks'
 * gradients. The result equals the unchunked gradient up to the order of float additions. On wasm and cpu the
 * forward passes of (1) are kept for (3) (ForwardMemo), so the chunked gradient does one forward pass, as the
 * unchunked one does; GPU backends recompute them, since they chunk to bound memory.
 */
export function chunkedLossAndGradient(net: BatchedNet, batch: CmnistBatch, objective: StepObjective, logitsOf: ChunkLogits = cmnistLogits): LossAndGradient {
  const variables = net.variables.filter((v) => v.trainable);
  const counts = batch.envs.map((env) => env.n);
  const linear = objective.kind === "pooled";
  const sums: tf.Tensor1D[] = []; // per env: [Σ BCE, Σ g, Σ ŷ², Σ correct]
  const accumulate = (e: number, value: tf.Tensor1D): void => {
    const previous = sums[e];
    sums[e] = previous ? tf.keep(tf.add(previous, value) as tf.Tensor1D) : tf.keep(value);
    if (previous) tf.dispose([previous, value]);
  };
  const chunkSums = (logits: tf.Tensor2D, labels: tf.Tensor2D, terms: tf.Tensor3D): tf.Tensor1D =>
    tf.concat([tf.sum(terms, [0, 1]) as tf.Tensor1D, correctCount(logits, labels)]);

  const accumulated: (tf.Tensor | null)[] = variables.map(() => null);
  // Where tensors live in ordinary memory, the first pass's forward passes are kept for the second (holding every
  // chunk's activations, as the unchunked gradient does); GPU backends chunk to bound memory and recompute them.
  const memo: ForwardMemo | undefined = !linear && keepsForwardPasses() ? new Map() : undefined;
  try {
    // (1) Forward-only pass: the means the nonlinear terms need.
    if (!linear) {
      batch.envs.forEach((env, e) =>
        env.inputs.forEach((_, k) =>
          accumulate(
            e,
            tf.tidy(() => {
              const logits = logitsOf(net, env, k, memo);
              return chunkSums(logits, env.labels[k]!, exampleTerms(logits, env.labels[k]!));
            }),
          ),
        ),
      );
    }
    // (2) Per-environment weights of the linearised surrogate, ∂F/∂(means) / n_e (any means will do when F is linear).
    const weights = tf.tidy(() => {
      const means = batch.envs.map((env, e) => (linear ? tf.zeros([3]) : tf.div(tf.slice(sums[e]!, [0], [3]), env.n)) as tf.Tensor1D);
      const partials = tf.grads((...m: tf.Tensor[]) => lossFromMeans(objective, m as tf.Tensor1D[], counts))(means);
      return partials.map((p, e) => tf.div(p, counts[e]!) as tf.Tensor1D);
    });
    // (3) Differentiate the surrogate chunk by chunk; add the gradients up.
    batch.envs.forEach((env, e) =>
      env.inputs.forEach((_, k) => {
        const kept: { stats?: tf.Tensor1D } = {};
        const { value, grads } = tf.variableGrads(() => {
          const logits = logitsOf(net, env, k, memo);
          const terms = exampleTerms(logits, env.labels[k]!);
          if (linear) kept.stats = tf.keep(chunkSums(logits, env.labels[k]!, terms));
          return tf.sum(tf.mul(terms, weights[e]!)) as tf.Scalar;
        }, variables);
        value.dispose();
        variables.forEach((v, j) => {
          const previous = accumulated[j];
          accumulated[j] = previous ? tf.add(previous, grads[v.name]!) : grads[v.name]!;
          if (previous) tf.dispose([previous, grads[v.name]!]);
        });
        if (kept.stats) accumulate(e, kept.stats);
        // This chunk's kept forward pass has served its second use.
        const forward = memo?.get(env.inputs[k]!);
        if (forward) {
          tf.dispose([forward.logits, ...forward.hidden]);
          memo!.delete(env.inputs[k]!);
        }
      }),
    );
    tf.dispose(weights);
    // The loss value from the exact means, and the L2 term's gradient 2·l2·θ added once.
    const l2 = objective.kind === "pooled" ? 0 : objective.l2;
    const result = tf.tidy(() => {
      const means = batch.envs.map((env, e) => tf.div(tf.slice(sums[e]!, [0], [3]), env.n) as tf.Tensor1D);
      const base = lossFromMeans(objective, means, counts);
      const loss = l2 === 0 ? base : (tf.add(base, tf.mul(l2, sumOfSquares(variables))) as tf.Scalar);
      const envStats = tf.stack(batch.envs.map((env, e) => tf.div(sums[e]!, env.n))) as tf.Tensor2D;
      const grads = variables.map((v, j) => (l2 === 0 ? tf.clone(accumulated[j]!) : tf.add(accumulated[j]!, tf.mul(2 * l2, v))));
      return { loss, envStats, grads };
    });
    return result;
  } finally {
    tf.dispose([...sums, ...accumulated.filter((g): g is tf.Tensor => g !== null)]);
    if (memo) disposeForwardMemo(memo);
  }
}

/**
 * The exact full-batch loss and gradient: plain autograd when every environment is one chunk, chunked otherwise.
 * tfjs-core only: the caller registers the backends and gradients (scripts/lib/node-backend.ts in Node).
 */
export function cmnistLossAndGradient(net: BatchedNet, batch: CmnistBatch, objective: StepObjective, logitsOf: ChunkLogits = cmnistLogits): LossAndGradient {
  return batch.envs.every((env) => env.inputs.length === 1)
    ? directLossAndGradient(net, batch, objective, logitsOf)
    : chunkedLossAndGradient(net, batch, objective, logitsOf);
}
