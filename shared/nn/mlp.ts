// The fully connected ReLU network of the two-moons experiments: its shape and the flat weight layout
// shared by the trainer (tfjs), the verifier (plain TypeScript) and the wire format.

/** Layer widths from input to output, e.g. [2, 500, 1] for the paper's 2-500-1 network. */
export interface MlpSpec {
  readonly layerSizes: readonly number[];
}

export interface ParamTensor {
  readonly name: string;
  /** Weights are [fanIn, fanOut] (row-major, tfjs' dense layout); biases are [fanOut]. */
  readonly shape: readonly number[];
  readonly size: number;
  /** Offset of the first element in the flat weight vector. */
  readonly offset: number;
}

/** Parameters in wire order: W1, b1, W2, b2, ... */
export function mlpParams(spec: MlpSpec): ParamTensor[] {
  assertValidSpec(spec);
  const params: ParamTensor[] = [];
  let offset = 0;
  for (let layer = 1; layer < spec.layerSizes.length; layer++) {
    const fanIn = spec.layerSizes[layer - 1]!;
    const fanOut = spec.layerSizes[layer]!;
    params.push({ name: `W${layer}`, shape: [fanIn, fanOut], size: fanIn * fanOut, offset });
    offset += fanIn * fanOut;
    params.push({ name: `b${layer}`, shape: [fanOut], size: fanOut, offset });
    offset += fanOut;
  }
  return params;
}

export function mlpParamCount(spec: MlpSpec): number {
  return mlpParams(spec).reduce((total, p) => total + p.size, 0);
}

function assertValidSpec(spec: MlpSpec): void {
  const sizes = spec.layerSizes;
  if (sizes.length < 2) throw new RangeError("an MLP needs at least an input and an output layer");
  for (const size of sizes) {
    if (!Number.isInteger(size) || size < 1 || size > 4096) {
      throw new RangeError(`layer width must be an integer in 1..4096, got ${size}`);
    }
  }
}
