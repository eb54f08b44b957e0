// The fully connected layer of the lane-batched network (x·W + b for every lane at once) with its own
// gradient: tfjs-wasm runs a batched matMul through XNNPACK only for a batch of one and otherwise through a
// scalar loop that is pathologically slow for the thin products of the two-moons net (a 2-wide input, a
// 1-wide output), so those are written as broadcasts and reductions instead. Same values on every backend.
import * as tf from "@tensorflow/tfjs-core";

/** Fan-in up to which x·W is computed as a sum of broadcast products (the 2-D input layer). */
const BROADCAST_FAN_IN = 2;

export interface DenseOptions {
  /** Whether the gradient with respect to the layer's input is needed (false for the network's input). */
  readonly inputGradient: boolean;
}

/** x [lanes, n, k] · W [lanes, k, m] written as k broadcast products (column of x times row of W). */
function broadcastProduct(x: tf.Tensor3D, w: tf.Tensor3D): tf.Tensor3D {
  const [lanes, n, fanIn] = x.shape;
  const fanOut = w.shape[2];
  // Input-major first, so that each input column is one contiguous slice: slicing the last axis directly
  // (tf.split or tf.slice) takes tfjs-wasm's slow strided path.
  const columns = tf.transpose(x, [2, 0, 1]);
  let sum: tf.Tensor3D | null = null;
  for (let k = 0; k < fanIn; k++) {
    const column = tf.reshape(tf.slice(columns, [k, 0, 0], [1, lanes, n]), [lanes, n, 1]);
    const term = tf.mul(column, tf.slice(w, [0, k, 0], [lanes, 1, fanOut])) as tf.Tensor3D;
    sum = sum ? (tf.add(sum, term) as tf.Tensor3D) : term;
  }
  return sum!;
}

function product(x: tf.Tensor3D, w: tf.Tensor3D): tf.Tensor3D {
  const [lanes, , fanIn] = x.shape;
  // On wasm a batch of one goes through XNNPACK and larger batches of a thin product are cheaper as
  // broadcasts; the other backends' batched matMul is the faster of the two (cpu: 2.4× in the batch bench).
  const broadcast = lanes > 1 && fanIn <= BROADCAST_FAN_IN && tf.getBackend() === "wasm";
  return broadcast ? broadcastProduct(x, w) : tf.matMul(x, w);
}

/**
 * a·b with optional transposes. tfjs-wasm hands a product to XNNPACK only for one lane without transposes,
 * so for one lane on wasm the transposes are materialised first (a copy, far cheaper than the scalar loop).
 */
function transposedProduct(a: tf.Tensor3D, b: tf.Tensor3D, transposeA: boolean, transposeB: boolean): tf.Tensor3D {
  if (a.shape[0] !== 1 || tf.getBackend() !== "wasm") return tf.matMul(a, b, transposeA, transposeB);
  const flip = (t: tf.Tensor3D, yes: boolean): tf.Tensor3D => (yes ? tf.transpose(t, [0, 2, 1]) : t);
  return tf.matMul(flip(a, transposeA), flip(b, transposeB));
}

/** dW = xᵀ·dz and db = Σ_n dz for every lane. */
function weightAndBiasGradients(x: tf.Tensor3D, dz: tf.Tensor3D): { dWeight: tf.Tensor; dBias: tf.Tensor } {
  const [lanes, n, fanIn] = x.shape;
  const fanOut = dz.shape[2];
  // A 1-wide output: dW = dzᵀ·x as a [1, n]·[n, k] product per lane.
  if (fanOut === 1) return { dWeight: tf.reshape(tf.matMul(tf.reshape(dz, [lanes, 1, n]) as tf.Tensor3D, x), [lanes, fanIn, 1]), dBias: tf.sum(dz, 1, true) };
  return { dWeight: transposedProduct(x, dz, true, false), dBias: tf.sum(dz, 1, true) };
}

/** x [lanes, n, k], w [lanes, k, m], b [lanes, 1, m] → [lanes, n, m]. Call inside tf.tidy or a gradient. */
export function laneDense(x: tf.Tensor3D, w: tf.Tensor3D, b: tf.Tensor3D, options: DenseOptions): tf.Tensor3D {
  const dense = tf.customGrad((...args: unknown[]) => {
    const [input, weight, bias, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
    save([input, weight]);
    return {
      value: tf.add(product(input, weight), bias) as tf.Tensor3D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const dz = dy as tf.Tensor3D;
        const [savedInput, savedWeight] = saved as [tf.Tensor3D, tf.Tensor3D];
        const [lanes, , fanIn] = savedInput.shape;
        const fanOut = savedWeight.shape[2];
        const { dWeight, dBias } = weightAndBiasGradients(savedInput, dz);
        // A 1-wide output: dx is an outer product.
        let dInput: tf.Tensor;
        if (!options.inputGradient) dInput = tf.zerosLike(savedInput);
        else if (fanOut === 1) dInput = tf.mul(dz, tf.reshape(savedWeight, [lanes, 1, fanIn]));
        else dInput = transposedProduct(dz, savedWeight, false, true);
        return [dInput, dWeight, dBias];
      },
    };
  });
  return dense(x, w, b) as tf.Tensor3D;
}
