import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { useNodeBackend } from "../../scripts/lib/node-backend";
import { laneDense } from "./lane-dense";

/** Value and gradients of sum(c ⊙ dense(x, w, b)) for a fixed random c, by laneDense and by tf.matMul's own gradient. */
function compare(shape: { lanes: number; n: number; fanIn: number; fanOut: number }): number[] {
  let worst: number[] = [];
  tf.tidy(() => {
    worst = relativeErrors(shape);
  });
  return worst;
}

function relativeErrors(shape: { lanes: number; n: number; fanIn: number; fanOut: number }): number[] {
  const { lanes, n, fanIn, fanOut } = shape;
  const x = tf.randomNormal([lanes, n, fanIn], 0, 1, "float32", 1) as tf.Tensor3D;
  const w = tf.randomNormal([lanes, fanIn, fanOut], 0, 1, "float32", 2) as tf.Tensor3D;
  const b = tf.randomNormal([lanes, 1, fanOut], 0, 1, "float32", 3) as tf.Tensor3D;
  const c = tf.randomNormal([lanes, n, fanOut], 0, 1, "float32", 4);
  const ours = tf.valueAndGrads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
    tf.sum(tf.mul(c, laneDense(xi as tf.Tensor3D, wi as tf.Tensor3D, bi as tf.Tensor3D, { inputGradient: true }))),
  )([x, w, b]);
  const plain = tf.valueAndGrads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
    tf.sum(tf.mul(c, tf.add(tf.matMul(xi as tf.Tensor3D, wi as tf.Tensor3D), bi))),
  )([x, w, b]);
  return [ours.value, ...ours.grads].map((t, k) =>
    tf.max(tf.abs(tf.sub(t, [plain.value, ...plain.grads][k]!))).dataSync()[0]! / Math.max(1, tf.max(tf.abs(t)).dataSync()[0]!),
  );
}

describe.each(["wasm", "cpu"] as const)("laneDense on %s", (backend) => {
  beforeAll(() => useNodeBackend(backend));
  it.each([
    { lanes: 3, n: 7, fanIn: 2, fanOut: 5 },
    { lanes: 1, n: 7, fanIn: 2, fanOut: 5 },
    { lanes: 4, n: 6, fanIn: 5, fanOut: 1 },
    { lanes: 2, n: 6, fanIn: 4, fanOut: 3 },
  ])("equals x·W + b and its gradients by tf.matMul (%o)", (shape) => {
    const before = tf.memory().numTensors;
    for (const error of compare(shape)) expect(error).toBeLessThan(1e-6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("reports a zero input gradient when told the input is data", () => {
    const x = tf.ones([2, 3, 2]) as tf.Tensor3D;
    const w = tf.ones([2, 2, 4]) as tf.Tensor3D;
    const b = tf.zeros([2, 1, 4]) as tf.Tensor3D;
    const dx = tf.grad((xi: tf.Tensor) => tf.sum(laneDense(xi as tf.Tensor3D, w, b, { inputGradient: false })))(x);
    expect(Array.from(dx.dataSync())).toEqual(new Array(12).fill(0));
    tf.dispose([x, w, b, dx]);
  });
});
