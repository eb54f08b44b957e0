// A network's decision function evaluated by tfjs (evaluation mode) instead of the plain-TypeScript
// float64 pass: float32, but fast on a GPU. Used where only the numbers matter, e.g. the 5-layer net's
// figure grid in the reproduction runner; never for claims the server checks bit for bit.
import * as tf from "@tensorflow/tfjs-core";
import type { DecisionFunction } from "../metrics/boundary";
import { createBatchedNet, forward } from "./batched-mlp";
import type { MlpSpec } from "./mlp";

const CHUNK = 4096;

export function tfDecisionFunction(spec: MlpSpec, weights: Float32Array): { readonly f: DecisionFunction; dispose(): void } {
  const net = createBatchedNet(spec, [weights]);
  const f: DecisionFunction = (points) => {
    const count = points.length / 2;
    const out = new Float64Array(count);
    for (let start = 0; start < count; start += CHUNK) {
      const size = Math.min(CHUNK, count - start);
      const logits = tf.tidy(() => forward(net, tf.tensor3d(Float32Array.from(points.subarray(2 * start, 2 * (start + size))), [1, size, 2]), { train: false }).logits);
      out.set(logits.dataSync(), start);
      logits.dispose();
    }
    return out;
  };
  return { f, dispose: () => tf.dispose([...net.variables]) };
}
