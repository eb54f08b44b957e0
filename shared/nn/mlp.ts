// The ReLU networks of the two-moons experiments: their shape (with the Fig. 3 variants: dropout or
// BatchNorm after fc1, deeper nets) and the flat weight layout shared by the trainer (tfjs), the verifier
// (plain TypeScript) and the wire format.

/** Layer widths from input to output, e.g. [2, 500, 1] for the paper's 2-500-1 network. */
export interface MlpSpec {
  readonly layerSizes: readonly number[];
  /** nn.Dropout(p) on fc1's output before the ReLU, with this drop probability (two-layer nets only). */
  readonly dropout?: number;
  /** nn.BatchNorm1d after fc1 (two-layer nets only): PyTorch's momentum 0.1 and eps 1e-5, affine. */
  readonly batchNorm?: boolean;
}

/** PyTorch's BatchNorm1d defaults. */
export const BATCH_NORM = { momentum: 0.1, eps: 1e-5 } as const;

export type ParamRole = "weight" | "bias" | "bnScale" | "bnShift" | "bnMean" | "bnVar";

export interface ParamTensor {
  readonly name: string;
  readonly role: ParamRole;
  /** Layer the tensor belongs to (1 = fc1). */
  readonly layer: number;
  /** Weights are [fanIn, fanOut] (row-major, tfjs' dense layout); everything else is a vector. */
  readonly shape: readonly number[];
  readonly size: number;
  /** Offset of the first element in the flat weight vector. */
  readonly offset: number;
  /** Running statistics are state, not parameters: the optimiser never touches them. */
  readonly trainable: boolean;
}

/**
 * Tensors in wire order: W1, b1, [bn1 scale, bn1 shift], W2, b2, ..., then [bn1 running mean, running var]
 * (buffers last, so a network without BatchNorm has exactly the plain layout).
 */
export function mlpParams(spec: MlpSpec): ParamTensor[] {
  assertValidSpec(spec);
  const params: ParamTensor[] = [];
  let offset = 0;
  const add = (name: string, role: ParamRole, layer: number, shape: number[], trainable = true): void => {
    const size = shape.reduce((a, b) => a * b, 1);
    params.push({ name, role, layer, shape, size, offset, trainable });
    offset += size;
  };
  const sizes = spec.layerSizes;
  for (let layer = 1; layer < sizes.length; layer++) {
    add(`W${layer}`, "weight", layer, [sizes[layer - 1]!, sizes[layer]!]);
    add(`b${layer}`, "bias", layer, [sizes[layer]!]);
    if (layer === 1 && spec.batchNorm) {
      add("bn1.scale", "bnScale", 1, [sizes[1]!]);
      add("bn1.shift", "bnShift", 1, [sizes[1]!]);
    }
  }
  if (spec.batchNorm) {
    add("bn1.runningMean", "bnMean", 1, [sizes[1]!], false);
    add("bn1.runningVar", "bnVar", 1, [sizes[1]!], false);
  }
  return params;
}

export function mlpParamCount(spec: MlpSpec): number {
  return mlpParams(spec).reduce((total, p) => total + p.size, 0);
}

/** The tensor of a given role in a given layer, if the network has one. */
export function findParam(params: readonly ParamTensor[], role: ParamRole, layer: number): ParamTensor | undefined {
  return params.find((p) => p.role === role && p.layer === layer);
}

function assertValidSpec(spec: MlpSpec): void {
  const sizes = spec.layerSizes;
  if (sizes.length < 2) throw new RangeError("an MLP needs at least an input and an output layer");
  for (const size of sizes) {
    if (!Number.isInteger(size) || size < 1 || size > 4096) {
      throw new RangeError(`layer width must be an integer in 1..4096, got ${size}`);
    }
  }
  if ((spec.dropout !== undefined || spec.batchNorm) && sizes.length !== 3) {
    throw new RangeError("dropout and BatchNorm are defined for two-layer networks only (after fc1, as in the paper)");
  }
  if (spec.dropout !== undefined && spec.batchNorm) throw new RangeError("use dropout or BatchNorm, not both");
  if (spec.dropout !== undefined && !(spec.dropout >= 0 && spec.dropout < 1)) throw new RangeError(`dropout must be in [0, 1), got ${spec.dropout}`);
}
