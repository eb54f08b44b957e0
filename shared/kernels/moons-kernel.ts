// The host of the fused two-moons kernel (shared/kernels/assembly/moons.ts, compiled to wasm): each session is a
// fresh instance whose memory holds the lanes (inputs, weights, optimiser state in the kernel's padded layout);
// it runs float32 training or float64 replay steps and reads losses, outputs, weights and state back in mlpParams
// order. Each environment installs the compiled module once (Node: node-install.ts; the Worker: a static
// import; the browser: the training worker), since Workers cannot compile wasm at run time.
import { BATCH_NORM, type MlpSpec } from "../nn/mlp";
import type { MoonsProtocol } from "../protocols/types";

/** What the wasm module exports (see the AssemblyScript source for the layout it expects). */
interface MoonsKernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  relaxedSimd(): number;
  train32(table: number, lanes: number, n: number, H: number, Hp: number, firstStep: number, steps: number, losses: number): void;
  train64(table: number, lanes: number, n: number, H: number, Hp: number, firstStep: number, steps: number, losses: number): void;
  forward32(table: number, lanes: number, n: number, H: number, Hp: number, step: number, train: boolean, losses: number): void;
  forward64(table: number, lanes: number, n: number, H: number, Hp: number, step: number, train: boolean, losses: number): void;
}

// Must match the AssemblyScript source's LANE_FIELDS and CONFIG fields.
const FIELDS = { x: 0, targets: 1, theta: 2, grad: 3, state1: 4, state2: 5, masks: 6, logits: 7, config: 8, outputGradient: 9, statistics: 10 } as const;
const LANE_FIELDS = 11;
const CONFIG_FIELDS = 16;
/** Steps one call of step() may run: the size of its loss buffer is steps × lanes. */
export const MAX_STEPS_PER_CALL = 4096;

let compiled: WebAssembly.Module | null = null;
/**
 * Instances no session holds, kept for the next one (creating an instance and growing its memory costs more
 * than a short replay). A session owns its instance until disposed; one never disposed is simply collected.
 */
const idle: MoonsKernelExports[] = [];

/** Makes the kernel available to every session from now on (idempotent). */
export function installMoonsKernel(module: WebAssembly.Module): void {
  if (compiled !== module) idle.length = 0;
  compiled = module;
}

export const moonsKernelInstalled = (): boolean => compiled !== null;

/** Whether the installed kernel is the relaxed-SIMD build (moons-relaxed.wasm: fused multiply-adds in float64). */
export function moonsKernelRelaxed(): boolean {
  if (!compiled) return false;
  const kernel = idle.pop() ?? (new WebAssembly.Instance(compiled, {}).exports as unknown as MoonsKernelExports);
  idle.push(kernel);
  return kernel.relaxedSimd() !== 0;
}

/** A 2-H-1 network without BatchNorm (dropout allowed): what the kernel computes. */
export function fusedSupportsNetwork(spec: MlpSpec): boolean {
  const sizes = spec.layerSizes;
  const p = spec.dropout;
  return sizes.length === 3 && sizes[0] === 2 && sizes[2] === 1 && !spec.batchNorm && (p === undefined || (p >= 0 && p <= 0.999));
}

/** What the fused kernels train and replay: the 2-H-1 nets, with dropout or with BatchNorm (not both). */
export function fusedSupports(protocol: MoonsProtocol): boolean {
  const { model } = protocol;
  if (!model.batchNorm) return fusedSupportsNetwork(model);
  return model.layerSizes.length === 3 && model.layerSizes[0] === 2 && model.layerSizes[2] === 1 && model.dropout === undefined;
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
  /** Every lane's training loss before `step` (that step's dropout mask), without an update. */
  trainingLoss(step: number): Float64Array;
  /** The lane's outputs of the last forward pass (a copy). */
  logits(lane: number): Float32Array | Float64Array;
  /** The lane's weights, mlpParams order (a copy). */
  weights(lane: number): Float32Array | Float64Array;
  /** The lane's optimiser state, compact (a copy). */
  optimizerState(lane: number): Float32Array | Float64Array;
  /** Hands the instance back for the next session; the session is unusable afterwards. */
  dispose(): void;
}

/** Runs `work` on a fresh session and disposes of it, whatever happens. */
export function withFusedSession<R>(precision: Precision, lanes: readonly FusedLane[], work: (session: FusedSession) => R): R {
  const session = createFusedSession(precision, lanes);
  try {
    return work(session);
  } finally {
    session.dispose();
  }
}

/** A session of `lanes` runs with the same network, optimiser kind and data size, in float32 or float64. */
export interface SessionOptions {
  /** BatchNorm: training steps update the running statistics, as PyTorch's training mode does (the trainer); the verifier's replay leaves them. */
  readonly trackRunningStatistics?: boolean;
}

export function createFusedSession(precision: Precision, lanes: readonly FusedLane[], options: SessionOptions = {}): FusedSession {
  if (lanes.length === 0) throw new RangeError("a fused session needs at least one lane");
  const first = lanes[0]!;
  for (const lane of lanes) {
    if (!fusedSupports(lane.protocol)) throw new RangeError(`the fused kernel does not train ${lane.protocol.id}'s network`);
    if (Boolean(lane.protocol.model.batchNorm) !== Boolean(first.protocol.model.batchNorm)) throw new RangeError("lanes of one fused session need the same network");
    if (lane.protocol.model.layerSizes[1] !== first.protocol.model.layerSizes[1] || lane.targets.length !== first.targets.length) {
      throw new RangeError("lanes of one fused session need the same width and data size");
    }
    if (lane.protocol.training.optimizer.kind !== first.protocol.training.optimizer.kind) throw new RangeError("lanes of one fused session need the same optimiser kind");
  }
  const adam = first.protocol.training.optimizer.kind === "adam";
  const batchNorm = first.protocol.model.batchNorm === true;
  const memory = layOut(
    precision,
    first.protocol.model.layerSizes[1]!,
    first.targets.length,
    lanes.map((lane) => ({ ...lane, config: laneConfig(lane, options.trackRunningStatistics === true) })),
    adam,
    batchNorm,
  );
  const { kernel, table, losses, lossView, views, S, n, H, Hp, flatSize, Typed, fromKernel, weightsOf } = memory;
  let disposed = false;
  const live = (): void => {
    if (disposed) throw new Error("this fused session was disposed");
  };
  const slots = adam ? 2 : 1;
  const train = precision === 32 ? kernel.train32 : kernel.train64;
  const forward = precision === 32 ? kernel.forward32 : kernel.forward64;
  return {
    lanes: S,
    step(firstStep, steps) {
      live();
      if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS_PER_CALL) throw new RangeError(`steps per call must be 1..${MAX_STEPS_PER_CALL}, got ${steps}`);
      train(table, S, n, H, Hp, firstStep, steps, losses);
      return lossView.slice(0, steps * S);
    },
    evaluate() {
      live();
      forward(table, S, n, H, Hp, 0, false, losses);
      return lossView.slice(0, S);
    },
    trainingLoss(step) {
      live();
      forward(table, S, n, H, Hp, step, true, losses);
      return lossView.slice(0, S);
    },
    logits: (lane) => views[lane]!.logits.slice(),
    weights: (lane) => weightsOf(lane),
    optimizerState(lane) {
      const state = new Typed(slots * flatSize);
      views[lane]!.state.forEach((slot, s) => fromKernel(slot, s * flatSize, state));
      return state;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      idle.push(kernel);
    },
  };
}

/**
 * The outputs of a 2-H-1 network (fusedSupportsNetwork; evaluation mode) at n points given n×2 row-major, in
 * float64: the metrics' forward pass over the figure grid and the training points.
 */
export function fusedOutputs(spec: MlpSpec, weights: ArrayLike<number>, inputs: Float64Array): Float64Array {
  if (!fusedSupportsNetwork(spec)) throw new RangeError(`the fused kernel does not evaluate a ${spec.layerSizes.join("-")} network`);
  const n = inputs.length / 2;
  const { kernel, table, losses, views, H, Hp } = layOut(64, spec.layerSizes[1]!, n, [{ x: inputs, targets: new Float64Array(n), weights, optimizerState: null, config: new Float64Array(CONFIG_FIELDS) }], false, false);
  try {
    kernel.forward64(table, 1, n, H, Hp, 0, false, losses);
    return Float64Array.from(views[0]!.logits);
  } finally {
    idle.push(kernel);
  }
}

/** What layOut writes into a fresh instance for one lane. */
interface LaneContents {
  readonly x: ArrayLike<number>;
  readonly targets: ArrayLike<number>;
  readonly weights: ArrayLike<number>;
  readonly optimizerState: ArrayLike<number> | null;
  readonly config: Float64Array;
}

/**
 * A fresh kernel instance holding the lanes in its memory (trainable values and optimiser state converted to the
 * kernel's padded layout; BatchNorm's running statistics stay with the host, unchanged), and views on it.
 */
function layOut(precision: Precision, H: number, n: number, lanes: readonly LaneContents[], adam: boolean, batchNorm: boolean) {
  const S = lanes.length;
  // The backward pass visits hidden units 2 vectors (8 float32, 4 float64) at a time.
  const Hp = Math.ceil(H / 8) * 8;
  // Trainable values (and their gradient and optimiser state); theta also holds BatchNorm's running statistics.
  const size = batchNorm ? 6 * Hp + 4 : 4 * Hp + 4;
  const thetaSize = batchNorm ? 8 * Hp + 4 : size;
  // Trainable values in mlpParams order: W1 (2H), b1, [gamma, beta,] W2, b2; then BatchNorm's running statistics (2H).
  const flatSize = batchNorm ? 6 * H + 1 : 4 * H + 1;
  const weightCount = batchNorm ? 8 * H + 1 : flatSize;
  const slots = adam ? 2 : 1;
  const bytes = precision / 8;
  const pointsEven = n + (n % 2);
  const Typed = precision === 32 ? Float32Array : Float64Array;
  const toKernel = kernelIndices(H, Hp, batchNorm, 16 / bytes);
  if (!compiled) throw new Error("the fused two-moons kernel is not installed in this environment");
  const kernel = idle.pop() ?? (new WebAssembly.Instance(compiled, {}).exports as unknown as MoonsKernelExports);
  let cursor = kernel.heapBase();
  const reserve = (byteLength: number): number => {
    const at = cursor;
    cursor += Math.ceil(byteLength / 16) * 16;
    return at;
  };
  const table = reserve(S * LANE_FIELDS * 4);
  const losses = reserve(MAX_STEPS_PER_CALL * S * 8);
  const pointers = lanes.map((lane) => ({
    x: reserve(2 * n * bytes),
    targets: reserve(n * bytes),
    theta: reserve(thetaSize * bytes),
    grad: reserve(size * bytes),
    state1: reserve(size * bytes),
    state2: reserve(adam ? size * bytes : 16),
    // A byte per point and vector (16 bytes) of hidden units, the points taken in pairs (n rounded up to even).
    masks: reserve((pointsEven * Hp * bytes) / 16),
    logits: reserve(n * bytes),
    config: reserve(CONFIG_FIELDS * 8),
    // Per point: the loss's gradient g, g·x0, g·x1 and padding; with n odd, a last point of zeros.
    outputGradient: reserve(4 * pointsEven * bytes),
    // BatchNorm: the batch mean and 1/std per unit, then the data's five moments (f64).
    statistics: reserve(batchNorm ? 2 * Hp * bytes + 5 * 8 : 16),
  }));
  const pages = Math.ceil(cursor / 65536) - kernel.memory.buffer.byteLength / 65536;
  if (pages > 0) kernel.memory.grow(pages);
  const buffer = kernel.memory.buffer;
  // A reused instance still holds its last session: start from zeros (a fresh optimiser state, zero padding).
  new Uint8Array(buffer, kernel.heapBase(), cursor - kernel.heapBase()).fill(0);
  const tableView = new Uint32Array(buffer, table, S * LANE_FIELDS);
  const views = pointers.map((p, k) => {
    (Object.keys(FIELDS) as (keyof typeof FIELDS)[]).forEach((field) => (tableView[k * LANE_FIELDS + FIELDS[field]] = p[field]));
    return {
      theta: new Typed(buffer, p.theta, thetaSize),
      state: [new Typed(buffer, p.state1, size), ...(adam ? [new Typed(buffer, p.state2, size)] : [])],
      logits: new Typed(buffer, p.logits, n),
    };
  });
  lanes.forEach((lane, k) => {
    const view = views[k]!;
    const p = pointers[k]!;
    new Typed(buffer, p.x, 2 * n).set(lane.x);
    new Typed(buffer, p.targets, n).set(lane.targets);
    if (lane.weights.length !== weightCount) throw new RangeError(`a 2-${H}-1 network${batchNorm ? " with BatchNorm" : ""} has ${weightCount} weights, got ${lane.weights.length}`);
    for (let f = 0; f < weightCount; f++) view.theta[toKernel[f]!] = lane.weights[f]!;
    if (lane.optimizerState) {
      if (lane.optimizerState.length !== slots * flatSize) throw new RangeError(`the optimiser state has ${lane.optimizerState.length} values, this network's has ${slots * flatSize}`);
      view.state.forEach((slot, s) => {
        for (let f = 0; f < flatSize; f++) slot[toKernel[f]!] = lane.optimizerState![s * flatSize + f]!;
      });
    }
    new Float64Array(buffer, p.config, CONFIG_FIELDS).set(lane.config);
  });
  const fromKernel = (values: Float32Array | Float64Array, offset = 0, into = new Typed(flatSize)): Float32Array | Float64Array => {
    for (let f = 0; f < flatSize; f++) into[offset + f] = values[toKernel[f]!]!;
    return into;
  };
  /** A lane's every weight (BatchNorm's running statistics included), mlpParams order. */
  const weightsOf = (lane: number): Float32Array | Float64Array => {
    const all = new Typed(weightCount);
    for (let f = 0; f < weightCount; f++) all[f] = views[lane]!.theta[toKernel[f]!]!;
    return all;
  };
  return { kernel, table, losses, lossView: new Float64Array(buffer, losses, MAX_STEPS_PER_CALL * S), views, S, n, H, Hp, flatSize, Typed, fromKernel, weightsOf };
}

const indexCache = new Map<string, Int32Array>();

/**
 * Kernel index of each flat (mlpParams) index. Without BatchNorm (the kernel's THETA comment), a block of 4W per
 * vector of W units (W: values per 16-byte vector): W1 row 0, W1 row 1, b1, W2; then b2 at 4Hp. With BatchNorm,
 * rows of Hp: W1 row 0, W1 row 1, b1, W2, b2 (4), then gamma, beta and the running statistics.
 */
function kernelIndices(H: number, Hp: number, batchNorm: boolean, W: number): Int32Array {
  const key = `${H}/${Hp}/${batchNorm}/${W}`;
  let indices = indexCache.get(key);
  if (!indices) {
    // Flat blocks of H: W1 row 0, W1 row 1, b1, [gamma, beta,] W2; then b2; then [running mean, running var].
    const roles = batchNorm ? 6 : 4;
    const b2 = roles * H;
    const unit = (role: number, j: number): number => {
      if (!batchNorm) return Math.floor(j / W) * 4 * W + role * W + (j % W);
      return [0, Hp, 2 * Hp, 4 * Hp + 4, 5 * Hp + 4, 3 * Hp][role]! + j;
    };
    const running = batchNorm ? [6 * Hp + 4, 7 * Hp + 4] : [];
    indices = Int32Array.from({ length: b2 + 1 + running.length * H }, (_, f) =>
      f < b2 ? unit(Math.floor(f / H), f % H) : f === b2 ? 4 * Hp : running[Math.floor((f - b2 - 1) / H)]! + ((f - b2 - 1) % H),
    );
    indexCache.set(key, indices);
  }
  return indices;
}

/** The CONFIG fields of a lane (AssemblyScript source: C_ADAM … C_SEED). */
function laneConfig(lane: FusedLane, trackRunningStatistics: boolean): Float64Array {
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
  if (lane.protocol.model.batchNorm) {
    config[12] = 1;
    config[13] = BATCH_NORM.eps;
    if (trackRunningStatistics) config[14] = BATCH_NORM.momentum;
  }
  return config;
}
