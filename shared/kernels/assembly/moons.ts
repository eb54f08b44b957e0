// The fused two-moons training step in AssemblyScript (wasm SIMD): forward, objective, backward and optimiser
// update of the 2-H-1 ReLU networks (dropout from the counter hash, SGD with momentum and weight decay, or Adam)
// for many steps and many lanes in one call, instantiated twice from one source: float32 (training) and
// float64 (the verifier's replay). Built by scripts/build-kernels.mjs; hosted by shared/kernels/moons-kernel.ts.

// Each lane is described by LANE_FIELDS u32 byte offsets into this memory, written by the host.
const X: i32 = 0; // T[2n]: the inputs, row-major (x0, x1)
const TARGETS: i32 = 1; // T[n]: ±1
const THETA: i32 = 2; // T[4Hp + 4] (Hp: H padded to a multiple of 8): fc1 weight row 0 [Hp], row 1 [Hp], fc1 bias [Hp], fc2 weight [Hp], fc2 bias [4]
const GRAD: i32 = 3; // T[4Hp + 4], same layout
const STATE1: i32 = 4; // SGD's velocity or Adam's first moments, same layout
const STATE2: i32 = 5; // Adam's second moments, same layout
const HIDDEN: i32 = 6; // T[n·Hp], dropout only: fc1's masked pre-activations of the last forward pass
const LOGITS: i32 = 7; // T[n]: the network's outputs of the last forward pass
const CONFIG: i32 = 8; // f64[CONFIG_FIELDS]
const OUTPUT_GRADIENT: i32 = 9; // T[n]: d loss / d ŷ of the last backward pass
const STATISTICS: i32 = 10; // T[2Hp], BatchNorm only: the last forward pass's batch mean and 1/sqrt(var + eps) per unit
const LANE_FIELDS: i32 = 11;

// The configuration of a lane (f64 values).
const C_ADAM: i32 = 0; // 0 = SGD, 1 = Adam
const C_LR: i32 = 1;
const C_MOMENTUM: i32 = 2;
const C_WEIGHT_DECAY: i32 = 3;
const C_BETA1: i32 = 4;
const C_BETA2: i32 = 5;
const C_EPS: i32 = 6;
const C_SD: i32 = 7; // Spectral Decoupling's coefficient
const C_DROPOUT: i32 = 8; // 1 when the lane has dropout
const C_KEEP_THRESHOLD: i32 = 9; // a unit is kept when its hash is >= this (ceil(p·2^32))
const C_KEEP_SCALE: i32 = 10; // 1/(1-p), rounded to float32 as the host's mask is
const C_SEED: i32 = 11;
const C_BATCH_NORM: i32 = 12; // 1: BatchNorm after fc1; THETA then also holds gamma [Hp], beta [Hp], running mean [Hp], running var [Hp] after fc2's bias
const C_BATCH_NORM_EPS: i32 = 13;
const C_BATCH_NORM_MOMENTUM: i32 = 14; // > 0: training steps update the running statistics (THETA: mean [Hp], var [Hp] after beta)

const GOLDEN: u32 = 0x9e3779b9;

@inline function lanePointer(table: usize, lane: i32, field: i32): usize {
  return <usize>load<u32>(table + ((<usize>(lane * LANE_FIELDS + field)) << 2));
}

@inline function config(table: usize, lane: i32, field: i32): f64 {
  return load<f64>(lanePointer(table, lane, CONFIG) + ((<usize>field) << 3));
}

/** lowbias32 (shared/nn/dropout.ts hash32). */
function hash32(value: u32): u32 {
  let x = value;
  x ^= x >>> 16;
  x *= 0x7feb352d;
  x ^= x >>> 15;
  x *= 0x846ca68b;
  x ^= x >>> 16;
  return x;
}

/** hash32 of four consecutive counters from `first`. */
@inline function hash32x4(first: u32): v128 {
  let x = i32x4.add(i32x4.splat(first), i32x4(0, 1, 2, 3));
  x = v128.xor(x, i32x4.shr_u(x, 16));
  x = i32x4.mul(x, i32x4.splat(0x7feb352d));
  x = v128.xor(x, i32x4.shr_u(x, 15));
  x = i32x4.mul(x, i32x4.splat(<i32>0x846ca68b));
  x = v128.xor(x, i32x4.shr_u(x, 16));
  return x;
}

/** All-ones lanes where the units from `first` are kept (one vector of T's lanes). */
@inline function keepMask<T>(first: u32, threshold: u32): v128 {
  const keep = i32x4.ge_u(hash32x4(first), i32x4.splat(threshold));
  if (sizeof<T>() == 4) return keep;
  return i64x2.extend_low_i32x4_s(keep);
}

@inline function lanesSum<T>(v: v128): f64 {
  if (sizeof<T>() == 4) {
    return <f64>(v128.extract_lane<f32>(v, 0) + v128.extract_lane<f32>(v, 1) + v128.extract_lane<f32>(v, 2) + v128.extract_lane<f32>(v, 3));
  }
  return v128.extract_lane<f64>(v, 0) + v128.extract_lane<f64>(v, 1);
}

/** softplus(z) = log(1 + e^z) without overflow (shared/metrics/loss.ts). */
@inline function softplus(z: f64): f64 {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

@inline function sigmoid(z: f64): f64 {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * The forward pass of one lane, two points at a time (each weight vector loaded once for both): training mode
 * applies the step's dropout mask when `train`; fc1's masked pre-activations are kept (HIDDEN) only with dropout,
 * where the backward pass cannot recompute them cheaply. Writes the outputs (LOGITS) and returns
 * mean softplus(-t·ŷ) + sd·mean ŷ² (meaningless when the host gave no targets).
 */
function forwardLane<T>(table: usize, lane: i32, n: i32, H: i32, Hp: i32, step: i32, train: bool): f64 {
  const S = <usize>sizeof<T>();
  const W: i32 = 16 / <i32>sizeof<T>();
  const x = lanePointer(table, lane, X);
  const targets = lanePointer(table, lane, TARGETS);
  const theta = lanePointer(table, lane, THETA);
  const hidden = lanePointer(table, lane, HIDDEN);
  const logits = lanePointer(table, lane, LOGITS);
  const rowBytes = <usize>Hp * S;
  const w1a = theta;
  const w1b = theta + rowBytes;
  const b1 = theta + 2 * rowBytes;
  const w2 = theta + 3 * rowBytes;
  const b2 = <f64>load<T>(theta + 4 * rowBytes);
  const dropout = train && config(table, lane, C_DROPOUT) != 0;
  const threshold = <u32>config(table, lane, C_KEEP_THRESHOLD);
  const scale = v128.splat<T>(<T>config(table, lane, C_KEEP_SCALE));
  const stepKey = hash32(<u32>step + hash32(<u32>config(table, lane, C_SEED) + GOLDEN));
  const sdCoef = config(table, lane, C_SD);
  const zero = v128.splat<T>(<T>0);
  let crossEntropy: f64 = 0;
  let squares: f64 = 0;
  for (let p = 0; p < n; p += 2) {
    // The second point of the pair; an odd last point is computed twice and counted once.
    const q = p + 1 < n ? p + 1 : p;
    const xa0 = v128.load_splat<T>(x + <usize>(2 * p) * S);
    const xa1 = v128.load_splat<T>(x + <usize>(2 * p + 1) * S);
    const xb0 = v128.load_splat<T>(x + <usize>(2 * q) * S);
    const xb1 = v128.load_splat<T>(x + <usize>(2 * q + 1) * S);
    const rowA = hidden + <usize>p * rowBytes;
    const rowB = hidden + <usize>q * rowBytes;
    const counterA = <u32>p * <u32>H + stepKey;
    const counterB = <u32>q * <u32>H + stepKey;
    let accA = zero;
    let accB = zero;
    for (let j = 0; j < Hp; j += W) {
      const at = <usize>j * S;
      const bias = v128.load(b1 + at);
      const wa = v128.load(w1a + at);
      const wb = v128.load(w1b + at);
      let za = v128.add<T>(v128.add<T>(bias, v128.mul<T>(xa0, wa)), v128.mul<T>(xa1, wb));
      let zb = v128.add<T>(v128.add<T>(bias, v128.mul<T>(xb0, wa)), v128.mul<T>(xb1, wb));
      if (dropout) {
        za = v128.and(v128.mul<T>(za, scale), keepMask<T>(counterA + <u32>j, threshold));
        zb = v128.and(v128.mul<T>(zb, scale), keepMask<T>(counterB + <u32>j, threshold));
        v128.store(rowA + at, za);
        v128.store(rowB + at, zb);
      }
      const out = v128.load(w2 + at);
      // relu(z) as pmax(0, z) = 0 < z ? z : 0 (one instruction; NaN gives 0, as the backward pass's z > 0 does).
      accA = v128.add<T>(accA, v128.mul<T>(v128.pmax<T>(zero, za), out));
      accB = v128.add<T>(accB, v128.mul<T>(v128.pmax<T>(zero, zb), out));
    }
    const outA = <T>(b2 + lanesSum<T>(accA));
    store<T>(logits + <usize>p * S, outA);
    const yhatA = <f64>outA;
    crossEntropy += softplus(-(<f64>load<T>(targets + <usize>p * S)) * yhatA);
    squares += yhatA * yhatA;
    if (q != p) {
      const outB = <T>(b2 + lanesSum<T>(accB));
      store<T>(logits + <usize>q * S, outB);
      const yhatB = <f64>outB;
      crossEntropy += softplus(-(<f64>load<T>(targets + <usize>q * S)) * yhatB);
      squares += yhatB * yhatB;
    }
  }
  return crossEntropy / n + (sdCoef * squares) / n;
}

/** d loss / d ŷ_p = (-t·σ(-t·ŷ) + 2·sd·ŷ) / n for every point (shared/metrics/loss.ts moonsLossGradient) into OUTPUT_GRADIENT; returns their sum (fc2's bias gradient). */
function outputGradients<T>(table: usize, lane: i32, n: i32): f64 {
  const S = <usize>sizeof<T>();
  const targets = lanePointer(table, lane, TARGETS);
  const logits = lanePointer(table, lane, LOGITS);
  const outputGradient = lanePointer(table, lane, OUTPUT_GRADIENT);
  const sdCoef = config(table, lane, C_SD);
  let gb2: f64 = 0;
  for (let p = 0; p < n; p++) {
    const t = <f64>load<T>(targets + <usize>p * S);
    const yhat = <f64>load<T>(logits + <usize>p * S);
    const g = (-t * sigmoid(-t * yhat) + 2 * sdCoef * yhat) / n;
    store<T>(outputGradient + <usize>p * S, <T>g);
    gb2 += g;
  }
  return gb2;
}

/**
 * The gradient of the objective with respect to every parameter, from the last forward pass of the lane. Each
 * block of 2 vectors of hidden units is visited once, every point's contribution summed in registers: with
 * a_pj = g_p·[z_pj > 0], ∂/∂b1_j = w2_j·s·Σ_p a_pj, ∂/∂W1_ij = w2_j·s·Σ_p x_pi·a_pj (s: the dropout scale), and
 * ∂/∂w2_j = Σ_p a_pj·z_pj, which those sums give (z is affine in the point). Without dropout z is recomputed (the forward pass's
 * arithmetic, bitwise), so nothing n×H is stored or read.
 */
function backwardLane<T>(table: usize, lane: i32, n: i32, Hp: i32): void {
  const S = <usize>sizeof<T>();
  const W: i32 = 16 / <i32>sizeof<T>();
  const x = lanePointer(table, lane, X);
  const theta = lanePointer(table, lane, THETA);
  const grad = lanePointer(table, lane, GRAD);
  const hidden = lanePointer(table, lane, HIDDEN);
  const outputGradient = lanePointer(table, lane, OUTPUT_GRADIENT);
  const rowBytes = <usize>Hp * S;
  const w1a = theta;
  const w1b = theta + rowBytes;
  const b1 = theta + 2 * rowBytes;
  const w2 = theta + 3 * rowBytes;
  const gw1a = grad;
  const gw1b = grad + rowBytes;
  const gb1 = grad + 2 * rowBytes;
  const gw2 = grad + 3 * rowBytes;
  const dropout = config(table, lane, C_DROPOUT) != 0;
  const scale = v128.splat<T>(<T>config(table, lane, C_KEEP_SCALE));
  const zero = v128.splat<T>(<T>0);
  const gb2 = outputGradients<T>(table, lane, n);
  for (let j = 0; j < Hp; j += 2 * W) {
    const at0 = <usize>j * S;
    const at1 = at0 + 16;
    const bias0 = v128.load(b1 + at0);
    const bias1 = v128.load(b1 + at1);
    const wa0 = v128.load(w1a + at0);
    const wa1 = v128.load(w1a + at1);
    const wb0 = v128.load(w1b + at0);
    const wb1 = v128.load(w1b + at1);
    let sum0 = zero;
    let sum1 = zero;
    let sumX0 = zero;
    let sumX1 = zero;
    let sumY0 = zero;
    let sumY1 = zero;
    for (let p = 0; p < n; p++) {
      const x0 = v128.load_splat<T>(x + <usize>(2 * p) * S);
      const x1 = v128.load_splat<T>(x + <usize>(2 * p + 1) * S);
      const g = v128.load_splat<T>(outputGradient + <usize>p * S);
      let z0: v128;
      let z1: v128;
      if (dropout) {
        const row = hidden + <usize>p * rowBytes;
        z0 = v128.load(row + at0);
        z1 = v128.load(row + at1);
      } else {
        z0 = v128.add<T>(v128.add<T>(bias0, v128.mul<T>(x0, wa0)), v128.mul<T>(x1, wb0));
        z1 = v128.add<T>(v128.add<T>(bias1, v128.mul<T>(x0, wa1)), v128.mul<T>(x1, wb1));
      }
      const active0 = v128.gt<T>(z0, zero);
      const active1 = v128.gt<T>(z1, zero);
      const a0 = v128.and(g, active0);
      const a1 = v128.and(g, active1);
      sum0 = v128.add<T>(sum0, a0);
      sum1 = v128.add<T>(sum1, a1);
      sumX0 = v128.add<T>(sumX0, v128.mul<T>(a0, x0));
      sumX1 = v128.add<T>(sumX1, v128.mul<T>(a1, x0));
      sumY0 = v128.add<T>(sumY0, v128.mul<T>(a0, x1));
      sumY1 = v128.add<T>(sumY1, v128.mul<T>(a1, x1));
    }
    let f0 = v128.load(w2 + at0);
    let f1 = v128.load(w2 + at1);
    // Σ_p a_p·z_p = s·(b1·Σa + w1a·Σa·x0 + w1b·Σa·x1): z is affine in the point (and s·that where kept).
    let out0 = v128.add<T>(v128.add<T>(v128.mul<T>(bias0, sum0), v128.mul<T>(wa0, sumX0)), v128.mul<T>(wb0, sumY0));
    let out1 = v128.add<T>(v128.add<T>(v128.mul<T>(bias1, sum1), v128.mul<T>(wa1, sumX1)), v128.mul<T>(wb1, sumY1));
    if (dropout) {
      f0 = v128.mul<T>(f0, scale);
      f1 = v128.mul<T>(f1, scale);
      out0 = v128.mul<T>(out0, scale);
      out1 = v128.mul<T>(out1, scale);
    }
    v128.store(gw2 + at0, out0);
    v128.store(gw2 + at1, out1);
    v128.store(gb1 + at0, v128.mul<T>(sum0, f0));
    v128.store(gb1 + at1, v128.mul<T>(sum1, f1));
    v128.store(gw1a + at0, v128.mul<T>(sumX0, f0));
    v128.store(gw1a + at1, v128.mul<T>(sumX1, f1));
    v128.store(gw1b + at0, v128.mul<T>(sumY0, f0));
    v128.store(gw1b + at1, v128.mul<T>(sumY1, f1));
  }
  store<T>(grad + 4 * rowBytes, <T>gb2);
}

/**
 * The forward pass of a lane with BatchNorm between fc1 and the ReLU: in training mode PyTorch's batch mean and
 * biased variance, summed point by point in the TypeScript replay's order and kept for the backward pass (and, when
 * `updateRunning` and the lane tracks them, folded into the running statistics: m·batch + (1-m)·running, the
 * variance unbiased); in evaluation mode the running statistics. Returns the objective.
 */
function forwardBatchNormLane<T>(table: usize, lane: i32, n: i32, Hp: i32, train: bool, updateRunning: bool): f64 {
  const S = <usize>sizeof<T>();
  const W: i32 = 16 / <i32>sizeof<T>();
  const x = lanePointer(table, lane, X);
  const targets = lanePointer(table, lane, TARGETS);
  const theta = lanePointer(table, lane, THETA);
  const logits = lanePointer(table, lane, LOGITS);
  const statistics = lanePointer(table, lane, STATISTICS);
  const rowBytes = <usize>Hp * S;
  const w1a = theta;
  const w1b = theta + rowBytes;
  const b1 = theta + 2 * rowBytes;
  const w2 = theta + 3 * rowBytes;
  const b2 = <f64>load<T>(theta + 4 * rowBytes);
  const gamma = theta + 4 * rowBytes + 4 * S;
  const beta = gamma + rowBytes;
  const mean = statistics;
  const invStd = statistics + rowBytes;
  const eps = v128.splat<T>(<T>config(table, lane, C_BATCH_NORM_EPS));
  const count = v128.splat<T>(<T>n);
  const one = v128.splat<T>(<T>1);
  const sdCoef = config(table, lane, C_SD);
  const zero = v128.splat<T>(<T>0);
  const momentum = config(table, lane, C_BATCH_NORM_MOMENTUM);
  const runningMean = beta + rowBytes;
  const runningVar = runningMean + rowBytes;
  for (let j = 0; train && j < Hp; j += W) {
    const at = <usize>j * S;
    const bias = v128.load(b1 + at);
    const wa = v128.load(w1a + at);
    const wb = v128.load(w1b + at);
    let sum = zero;
    for (let p = 0; p < n; p++) {
      const x0 = v128.load_splat<T>(x + <usize>(2 * p) * S);
      const x1 = v128.load_splat<T>(x + <usize>(2 * p + 1) * S);
      sum = v128.add<T>(sum, v128.add<T>(v128.add<T>(bias, v128.mul<T>(x0, wa)), v128.mul<T>(x1, wb)));
    }
    const mu = v128.div<T>(sum, count);
    let squares = zero;
    for (let p = 0; p < n; p++) {
      const x0 = v128.load_splat<T>(x + <usize>(2 * p) * S);
      const x1 = v128.load_splat<T>(x + <usize>(2 * p + 1) * S);
      const d = v128.sub<T>(v128.add<T>(v128.add<T>(bias, v128.mul<T>(x0, wa)), v128.mul<T>(x1, wb)), mu);
      squares = v128.add<T>(squares, v128.mul<T>(d, d));
    }
    const variance = v128.div<T>(squares, count);
    v128.store(mean + at, mu);
    v128.store(invStd + at, v128.div<T>(one, v128.sqrt<T>(v128.add<T>(variance, eps))));
    if (updateRunning && momentum > 0) {
      const m = v128.splat<T>(<T>momentum);
      const keep = v128.splat<T>(<T>(1 - momentum));
      const unbiased = v128.splat<T>(<T>((momentum * n) / (n - 1)));
      v128.store(runningMean + at, v128.add<T>(v128.mul<T>(v128.load(runningMean + at), keep), v128.mul<T>(mu, m)));
      v128.store(runningVar + at, v128.add<T>(v128.mul<T>(v128.load(runningVar + at), keep), v128.mul<T>(variance, unbiased)));
    }
  }
  for (let j = 0; !train && j < Hp; j += W) {
    const at = <usize>j * S;
    v128.store(mean + at, v128.load(runningMean + at));
    v128.store(invStd + at, v128.div<T>(one, v128.sqrt<T>(v128.add<T>(v128.load(runningVar + at), eps))));
  }
  let crossEntropy: f64 = 0;
  let squaresOut: f64 = 0;
  for (let p = 0; p < n; p++) {
    const x0 = v128.load_splat<T>(x + <usize>(2 * p) * S);
    const x1 = v128.load_splat<T>(x + <usize>(2 * p + 1) * S);
    let acc = zero;
    for (let j = 0; j < Hp; j += W) {
      const at = <usize>j * S;
      const z = v128.add<T>(v128.add<T>(v128.load(b1 + at), v128.mul<T>(x0, v128.load(w1a + at))), v128.mul<T>(x1, v128.load(w1b + at)));
      const normalized = v128.mul<T>(v128.sub<T>(z, v128.load(mean + at)), v128.load(invStd + at));
      const y = v128.add<T>(v128.mul<T>(normalized, v128.load(gamma + at)), v128.load(beta + at));
      acc = v128.add<T>(acc, v128.mul<T>(v128.pmax<T>(zero, y), v128.load(w2 + at)));
    }
    const out = <T>(b2 + lanesSum<T>(acc));
    store<T>(logits + <usize>p * S, out);
    const yhat = <f64>out;
    crossEntropy += softplus(-(<f64>load<T>(targets + <usize>p * S)) * yhat);
    squaresOut += yhat * yhat;
  }
  return crossEntropy / n + (sdCoef * squaresOut) / n;
}

/**
 * The gradient of a BatchNorm lane's objective, unit by unit in two passes over the points. With y = ẑ·γ + β,
 * a_p = g_p·[y_p > 0] and s = γ·w2: ∂/∂w2 = γ·Σaẑ + β·Σa, ∂/∂γ = w2·Σaẑ, ∂/∂β = w2·Σa; through the batch
 * statistics, dz_p = (invStd/n)·(n·s·a_p − s·Σa − ẑ_p·s·Σaẑ), summed (and weighted by the inputs) into fc1.
 */
function backwardBatchNormLane<T>(table: usize, lane: i32, n: i32, Hp: i32): void {
  const S = <usize>sizeof<T>();
  const W: i32 = 16 / <i32>sizeof<T>();
  const x = lanePointer(table, lane, X);
  const theta = lanePointer(table, lane, THETA);
  const grad = lanePointer(table, lane, GRAD);
  const outputGradient = lanePointer(table, lane, OUTPUT_GRADIENT);
  const statistics = lanePointer(table, lane, STATISTICS);
  const rowBytes = <usize>Hp * S;
  const w1a = theta;
  const w1b = theta + rowBytes;
  const b1 = theta + 2 * rowBytes;
  const w2 = theta + 3 * rowBytes;
  const gamma = theta + 4 * rowBytes + 4 * S;
  const beta = gamma + rowBytes;
  const ggamma = grad + 4 * rowBytes + 4 * S;
  const gbeta = ggamma + rowBytes;
  const zero = v128.splat<T>(<T>0);
  const count = v128.splat<T>(<T>n);
  const gb2 = outputGradients<T>(table, lane, n);
  for (let j = 0; j < Hp; j += W) {
    const at = <usize>j * S;
    const bias = v128.load(b1 + at);
    const wa = v128.load(w1a + at);
    const wb = v128.load(w1b + at);
    const mu = v128.load(statistics + at);
    const inv = v128.load(statistics + rowBytes + at);
    const scale = v128.load(gamma + at);
    const shift = v128.load(beta + at);
    let sumA = zero;
    let sumAN = zero;
    for (let p = 0; p < n; p++) {
      const x0 = v128.load_splat<T>(x + <usize>(2 * p) * S);
      const x1 = v128.load_splat<T>(x + <usize>(2 * p + 1) * S);
      const g = v128.load_splat<T>(outputGradient + <usize>p * S);
      const z = v128.add<T>(v128.add<T>(bias, v128.mul<T>(x0, wa)), v128.mul<T>(x1, wb));
      const normalized = v128.mul<T>(v128.sub<T>(z, mu), inv);
      const y = v128.add<T>(v128.mul<T>(normalized, scale), shift);
      const a = v128.and(g, v128.gt<T>(y, zero));
      sumA = v128.add<T>(sumA, a);
      sumAN = v128.add<T>(sumAN, v128.mul<T>(a, normalized));
    }
    const out = v128.load(w2 + at);
    const s = v128.mul<T>(scale, out);
    v128.store(grad + 3 * rowBytes + at, v128.add<T>(v128.mul<T>(scale, sumAN), v128.mul<T>(shift, sumA)));
    v128.store(ggamma + at, v128.mul<T>(out, sumAN));
    v128.store(gbeta + at, v128.mul<T>(out, sumA));
    const ns = v128.mul<T>(count, s);
    const sumD = v128.mul<T>(s, sumA);
    const sumDX = v128.mul<T>(s, sumAN);
    const c = v128.div<T>(inv, count);
    let sumDz = zero;
    let sumX0 = zero;
    let sumX1 = zero;
    for (let p = 0; p < n; p++) {
      const x0 = v128.load_splat<T>(x + <usize>(2 * p) * S);
      const x1 = v128.load_splat<T>(x + <usize>(2 * p + 1) * S);
      const g = v128.load_splat<T>(outputGradient + <usize>p * S);
      const z = v128.add<T>(v128.add<T>(bias, v128.mul<T>(x0, wa)), v128.mul<T>(x1, wb));
      const normalized = v128.mul<T>(v128.sub<T>(z, mu), inv);
      const y = v128.add<T>(v128.mul<T>(normalized, scale), shift);
      const a = v128.and(g, v128.gt<T>(y, zero));
      const dz = v128.mul<T>(c, v128.sub<T>(v128.sub<T>(v128.mul<T>(ns, a), sumD), v128.mul<T>(normalized, sumDX)));
      sumDz = v128.add<T>(sumDz, dz);
      sumX0 = v128.add<T>(sumX0, v128.mul<T>(x0, dz));
      sumX1 = v128.add<T>(sumX1, v128.mul<T>(x1, dz));
    }
    v128.store(grad + 2 * rowBytes + at, sumDz);
    v128.store(grad + at, sumX0);
    v128.store(grad + rowBytes + at, sumX1);
  }
  store<T>(grad + 4 * rowBytes, <T>gb2);
}

/** torch.optim.SGD (momentum, weight decay added to the gradient) or torch.optim.Adam (bias-corrected) on every parameter of the lane. */
function updateLane<T>(table: usize, lane: i32, Hp: i32, step: i32): void {
  const S = <usize>sizeof<T>();
  const W: i32 = 16 / <i32>sizeof<T>();
  const size = config(table, lane, C_BATCH_NORM) != 0 ? 6 * Hp + 4 : 4 * Hp + 4;
  const theta = lanePointer(table, lane, THETA);
  const grad = lanePointer(table, lane, GRAD);
  const first = lanePointer(table, lane, STATE1);
  const lr = config(table, lane, C_LR);
  if (config(table, lane, C_ADAM) == 0) {
    const momentum = v128.splat<T>(<T>config(table, lane, C_MOMENTUM));
    const decay = v128.splat<T>(<T>config(table, lane, C_WEIGHT_DECAY));
    const rate = v128.splat<T>(<T>lr);
    for (let k = 0; k < size; k += W) {
      const at = <usize>k * S;
      const w = v128.load(theta + at);
      const velocity = v128.add<T>(v128.add<T>(v128.mul<T>(momentum, v128.load(first + at)), v128.load(grad + at)), v128.mul<T>(decay, w));
      v128.store(first + at, velocity);
      v128.store(theta + at, v128.sub<T>(w, v128.mul<T>(rate, velocity)));
    }
    return;
  }
  const second = lanePointer(table, lane, STATE2);
  const beta1 = config(table, lane, C_BETA1);
  const beta2 = config(table, lane, C_BETA2);
  const b1 = v128.splat<T>(<T>beta1);
  const b2 = v128.splat<T>(<T>beta2);
  const c1 = v128.splat<T>(<T>(1 - Math.pow(beta1, step + 1)));
  const c2 = v128.splat<T>(<T>(1 - Math.pow(beta2, step + 1)));
  const oneMinusB1 = v128.splat<T>(<T>(1 - beta1));
  const oneMinusB2 = v128.splat<T>(<T>(1 - beta2));
  const eps = v128.splat<T>(<T>config(table, lane, C_EPS));
  const rate = v128.splat<T>(<T>lr);
  for (let k = 0; k < size; k += W) {
    const at = <usize>k * S;
    const g = v128.load(grad + at);
    const m = v128.add<T>(v128.mul<T>(b1, v128.load(first + at)), v128.mul<T>(oneMinusB1, g));
    const v = v128.add<T>(v128.mul<T>(b2, v128.load(second + at)), v128.mul<T>(v128.mul<T>(oneMinusB2, g), g));
    v128.store(first + at, m);
    v128.store(second + at, v);
    const denominator = v128.add<T>(v128.sqrt<T>(v128.div<T>(v, c2)), eps);
    v128.store(theta + at, v128.sub<T>(v128.load(theta + at), v128.div<T>(v128.mul<T>(rate, v128.div<T>(m, c1)), denominator)));
  }
}

/** Steps firstStep .. firstStep+steps-1 of every lane; the loss before each step goes to losses[s·lanes + lane] (f64). */
function train<T>(table: usize, lanes: i32, n: i32, H: i32, Hp: i32, firstStep: i32, steps: i32, losses: usize): void {
  for (let lane = 0; lane < lanes; lane++) {
    for (let s = 0; s < steps; s++) {
      const step = firstStep + s;
      const batchNorm = config(table, lane, C_BATCH_NORM) != 0;
      const loss = batchNorm ? forwardBatchNormLane<T>(table, lane, n, Hp, true, true) : forwardLane<T>(table, lane, n, H, Hp, step, true);
      store<f64>(losses + ((<usize>(s * lanes + lane)) << 3), loss);
      if (batchNorm) backwardBatchNormLane<T>(table, lane, n, Hp);
      else backwardLane<T>(table, lane, n, Hp);
      updateLane<T>(table, lane, Hp, step);
    }
  }
}

/**
 * Every lane's outputs (into its LOGITS) and loss at `step` without an update: training mode (that step's dropout
 * mask; BatchNorm's batch statistics) or evaluation mode (no dropout; BatchNorm's running statistics).
 */
function forward<T>(table: usize, lanes: i32, n: i32, H: i32, Hp: i32, step: i32, train: bool, losses: usize): void {
  for (let lane = 0; lane < lanes; lane++) {
    const loss = config(table, lane, C_BATCH_NORM) != 0 ? forwardBatchNormLane<T>(table, lane, n, Hp, train, false) : forwardLane<T>(table, lane, n, H, Hp, step, train);
    store<f64>(losses + ((<usize>lane) << 3), loss);
  }
}

export function train32(table: usize, lanes: i32, n: i32, H: i32, Hp: i32, firstStep: i32, steps: i32, losses: usize): void {
  train<f32>(table, lanes, n, H, Hp, firstStep, steps, losses);
}

export function train64(table: usize, lanes: i32, n: i32, H: i32, Hp: i32, firstStep: i32, steps: i32, losses: usize): void {
  train<f64>(table, lanes, n, H, Hp, firstStep, steps, losses);
}

export function forward32(table: usize, lanes: i32, n: i32, H: i32, Hp: i32, step: i32, train: bool, losses: usize): void {
  forward<f32>(table, lanes, n, H, Hp, step, train, losses);
}

export function forward64(table: usize, lanes: i32, n: i32, H: i32, Hp: i32, step: i32, train: bool, losses: usize): void {
  forward<f64>(table, lanes, n, H, Hp, step, train, losses);
}

/** The first byte the host may use (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
