// The host of the fused two-moons kernel (shared/kernels/assembly/moons.ts, compiled to wasm): each session is a
// fresh instance whose memory holds the lanes (inputs, weights, optimiser state in the kernel's padded layout);
// it runs float32 training or float64 replay steps and reads losses, outputs, weights and state back in mlpParams
// order. Each environment installs the compiled module once (Node: node-install.ts; the Worker: a static
// import; the browser: the training worker), since Workers cannot compile wasm at run time.
import type { MoonsProtocol } from "../protocols/types";

/** What the wasm module exports (see the AssemblyScript source for the layout it expects). */
interface MoonsKernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  train32(table: number, lanes: number, n: number, H: number, Hp: number, firstStep: number, steps: number, losses: number): void;
  train64(table: number, lanes: number, n: number, H: number, Hp: number, firstStep: number, steps: number, losses: number): void;
  evaluate32(table: number, lanes: number, n: number, H: number, Hp: number, losses: number): void;
  evaluate64(table: number, lanes: number, n: number, H: number, Hp: number, losses: number): void;
}

// Must match the AssemblyScript source's LANE_FIELDS and CONFIG fields.
const FIELDS = { x: 0, targets: 1, theta: 2, grad: 3, state1: 4, state2: 5, hidden: 6, logits: 7, config: 8 } as const;
const LANE_FIELDS = 9;
const CONFIG_FIELDS = 16;
/** Steps one call of step() may run: the size of its loss buffer is steps × lanes. */
export const MAX_STEPS_PER_CALL = 4096;

let compiled: WebAssembly.Module | null = null;

/** Makes the kernel available to every session from now on (idempotent). */
export function installMoonsKernel(module: WebAssembly.Module): void {
  compiled = module;
}

export const moonsKernelInstalled = (): boolean => compiled !== null;

/** A 2-H-1 network without BatchNorm (dropout allowed): what the kernel computes. */
export function fusedSupports(protocol: MoonsProtocol): boolean {
  const sizes = protocol.model.layerSizes;
  const p = protocol.model.dropout;
  return sizes.length === 3 && sizes[0] === 2 && sizes[2] === 1 && !protocol.model.batchNorm && (p === undefined || (p >= 0 && p < 1));
}

export type Precision = 32 | 64;

/** One run in a session: its protocol and seed (dropout), data, and where it stands. */
export interface FusedLane {
  readonly protocol: MoonsProtocol;
  readonly seed: number;
  /** n×2 row-major inputs. */
  readonly x: ArrayLike<number>;
  /** ±1 targets. */
  readonly targets: ArrayLike<number>;
  /** Every parameter, mlpParams order. */
  readonly weights: ArrayLike<number>;
  /** Compact optimiser state (SGD: velocity; Adam: first then second moments); null = zeros. */
  readonly optimizerState: ArrayLike<number> | null;
}

export interface FusedSession {
  readonly lanes: number;
  /** Runs steps firstStep .. firstStep+steps-1 of every lane; the loss before each: losses[s·lanes + lane]. */
  step(firstStep: number, steps: number): Float64Array;
  /** Every lane's loss in evaluation mode (no dropout); the outputs are then readable with logits(). */
  evaluate(): Float64Array;
  /** The lane's outputs of the last forward pass (a copy). */
  logits(lane: number): Float32Array | Float64Array;
  /** The lane's weights, mlpParams order (a copy). */
  weights(lane: number): Float32Array | Float64Array;
  /** The lane's optimiser state, compact (a copy). */
  optimizerState(lane: number): Float32Array | Float64Array;
}

/** A session of `lanes` runs with the same network, optimiser kind and data size, in float32 or float64. */
export function createFusedSession(precision: Precision, lanes: readonly FusedLane[]): FusedSession {
  if (!compiled) throw new Error("the fused two-moons kernel is not installed in this environment");
  if (lanes.length === 0) throw new RangeError("a fused session needs at least one lane");
  const first = lanes[0]!;
  for (const lane of lanes) {
    if (!fusedSupports(lane.protocol)) throw new RangeError(`the fused kernel does not train ${lane.protocol.id}'s network`);
    if (lane.protocol.model.layerSizes[1] !== first.protocol.model.layerSizes[1] || lane.targets.length !== first.targets.length) {
      throw new RangeError("lanes of one fused session need the same width and data size");
    }
    if (lane.protocol.training.optimizer.kind !== first.protocol.training.optimizer.kind) throw new RangeError("lanes of one fused session need the same optimiser kind");
  }
  const S = lanes.length;
  const n = first.targets.length;
  const H = first.protocol.model.layerSizes[1]!;
  const Hp = Math.ceil(H / 4) * 4;
  const size = 4 * Hp + 4;
  const flatSize = 4 * H + 1;
  const adam = first.protocol.training.optimizer.kind === "adam";
  const slots = adam ? 2 : 1;
  const bytes = precision / 8;
  const Typed = precision === 32 ? Float32Array : Float64Array;
  /** Kernel index of each flat (mlpParams) index: W1 row 0, W1 row 1, b1 and W2 each padded to Hp; then b2. */
  const toKernel = Int32Array.from({ length: flatSize }, (_, f) => (f === 4 * H ? 4 * Hp : Math.floor(f / H) * Hp + (f % H)));

  const instance = new WebAssembly.Instance(compiled, {});
  const kernel = instance.exports as unknown as MoonsKernelExports;
  let cursor = kernel.heapBase();
  const reserve = (byteLength: number): number => {
    const at = cursor;
    cursor += Math.ceil(byteLength / 16) * 16;
    return at;
  };
  const table = reserve(S * LANE_FIELDS * 4);
  const losses = reserve(MAX_STEPS_PER_CALL * S * 8);
  const pointers = lanes.map(() => ({
    x: reserve(2 * n * bytes),
    targets: reserve(n * bytes),
    theta: reserve(size * bytes),
    grad: reserve(size * bytes),
    state1: reserve(size * bytes),
    state2: reserve(adam ? size * bytes : 16),
    hidden: reserve(n * Hp * bytes),
    logits: reserve(n * bytes),
    config: reserve(CONFIG_FIELDS * 8),
  }));
  const pages = Math.ceil(cursor / 65536) - kernel.memory.buffer.byteLength / 65536;
  if (pages > 0) kernel.memory.grow(pages);
  const buffer = kernel.memory.buffer;
  const tableView = new Uint32Array(buffer, table, S * LANE_FIELDS);
  const lossView = new Float64Array(buffer, losses, MAX_STEPS_PER_CALL * S);
  const views = pointers.map((p, k) => {
    (Object.keys(FIELDS) as (keyof typeof FIELDS)[]).forEach((field) => (tableView[k * LANE_FIELDS + FIELDS[field]] = p[field]));
    return {
      theta: new Typed(buffer, p.theta, size),
      state: [new Typed(buffer, p.state1, size), ...(adam ? [new Typed(buffer, p.state2, size)] : [])],
      logits: new Typed(buffer, p.logits, n),
    };
  });
  lanes.forEach((lane, k) => {
    const view = views[k]!;
    new Typed(buffer, pointers[k]!.x, 2 * n).set(Array.from(lane.x));
    new Typed(buffer, pointers[k]!.targets, n).set(Array.from(lane.targets));
    if (lane.weights.length !== flatSize) throw new RangeError(`a 2-${H}-1 network has ${flatSize} weights, got ${lane.weights.length}`);
    for (let f = 0; f < flatSize; f++) view.theta[toKernel[f]!] = lane.weights[f]!;
    if (lane.optimizerState) {
      if (lane.optimizerState.length !== slots * flatSize) throw new RangeError(`the optimiser state has ${lane.optimizerState.length} values, this network's has ${slots * flatSize}`);
      view.state.forEach((slot, s) => {
        for (let f = 0; f < flatSize; f++) slot[toKernel[f]!] = lane.optimizerState![s * flatSize + f]!;
      });
    }
    new Float64Array(buffer, pointers[k]!.config, CONFIG_FIELDS).set(laneConfig(lane));
  });
  const fromKernel = (values: Float32Array | Float64Array, offset = 0, into = new Typed(flatSize)): Float32Array | Float64Array => {
    for (let f = 0; f < flatSize; f++) into[offset + f] = values[toKernel[f]!]!;
    return into;
  };
  const train = precision === 32 ? kernel.train32 : kernel.train64;
  const evaluate = precision === 32 ? kernel.evaluate32 : kernel.evaluate64;
  return {
    lanes: S,
    step(firstStep, steps) {
      if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS_PER_CALL) throw new RangeError(`steps per call must be 1..${MAX_STEPS_PER_CALL}, got ${steps}`);
      train(table, S, n, H, Hp, firstStep, steps, losses);
      return lossView.slice(0, steps * S);
    },
    evaluate() {
      evaluate(table, S, n, H, Hp, losses);
      return lossView.slice(0, S);
    },
    logits: (lane) => views[lane]!.logits.slice(),
    weights: (lane) => fromKernel(views[lane]!.theta),
    optimizerState(lane) {
      const state = new Typed(slots * flatSize);
      views[lane]!.state.forEach((slot, s) => fromKernel(slot, s * flatSize, state));
      return state;
    },
  };
}

/** The CONFIG fields of a lane (AssemblyScript source: C_ADAM … C_SEED). */
function laneConfig(lane: FusedLane): Float64Array {
  const config = new Float64Array(CONFIG_FIELDS);
  const { optimizer, sdCoef } = lane.protocol.training;
  config[1] = optimizer.lr;
  if (optimizer.kind === "adam") {
    config[0] = 1;
    config[4] = optimizer.beta1;
    config[5] = optimizer.beta2;
    config[6] = optimizer.eps;
  } else {
    config[2] = optimizer.momentum;
    config[3] = optimizer.weightDecay;
  }
  config[7] = sdCoef;
  const p = lane.protocol.model.dropout;
  if (p !== undefined) {
    config[8] = 1;
    // hash >= p·2^32 (shared/nn/dropout.ts) is hash >= ceil(p·2^32) for integer hashes.
    config[9] = Math.ceil(p * 2 ** 32);
    config[10] = Math.fround(1 / (1 - p));
  } else config[10] = 1;
  config[11] = lane.seed >>> 0;
  return config;
}
