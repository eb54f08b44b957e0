// The fused two-moons training step in AssemblyScript (wasm SIMD): forward, objective, backward and optimiser
// update of the 2-H-1 ReLU networks (dropout from the counter hash, SGD with momentum and weight decay, or Adam)
// for many steps and many lanes in one call, instantiated twice from one source: float32 (training) and
// float64 (the verifier's replay). Built by scripts/build-kernels.mjs (twice: moons.wasm with SIMD, and
// moons-relaxed.wasm with relaxed SIMD's fused multiply-add in the float64 instance, see madd); hosted by
// shared/kernels/moons-kernel.ts.

// Each lane is described by LANE_FIELDS u32 byte offsets into this memory, written by the host.
const X: i32 = 0; // T[2n]: the inputs, row-major (x0, x1)
const TARGETS: i32 = 1; // T[n]: ±1
// THETA: T[4Hp + 4] (Hp: H padded to a multiple of 8). Without BatchNorm, one block of 64 bytes per vector of W
// hidden units (W: T's values per vector): fc1 weight row 0 [W], row 1 [W], fc1 bias [W], fc2 weight [W]; then fc2
// bias [4]. With BatchNorm, rows: fc1 weight row 0 [Hp], row 1 [Hp], fc1 bias [Hp], fc2 weight [Hp], fc2 bias [4].
const THETA: i32 = 2;
const GRAD: i32 = 3; // T[4Hp + 4], same layout
const STATE1: i32 = 4; // SGD's velocity or Adam's first moments, same layout
const STATE2: i32 = 5; // Adam's second moments, same layout
const MASKS: i32 = 6; // u8[(Hp/W)·n'] (n' = n rounded up to even): which units the last forward pass found active (see MASK_TABLE_32)
const LOGITS: i32 = 7; // T[n]: the network's outputs of the last forward pass
const CONFIG: i32 = 8; // f64[CONFIG_FIELDS]
const OUTPUT_GRADIENT: i32 = 9; // T[4n']: per point g = d loss / d ŷ of the last forward pass, g·x0, g·x1, 0 (a last point of zeros when n is odd)
const STATISTICS: i32 = 10; // T[2Hp] then f64[5], BatchNorm only: the last forward pass's batch mean and 1/sqrt(var + eps) per unit, then the data's moments (storeMoments)
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

/**
 * The forward pass records which units of each point are active (z > 0, after dropout), a byte per point and
 * vector of W units (4 float32 or 2 float64): the vector's i32x4/i64x2 bitmask. Points go in pairs (A = 2k,
 * B = 2k + 1), a row of 2·Hp/W bytes per pair, A's and B's bytes of each vector side by side (one u16 store):
 * point p's byte for vector v is MASKS[(p >> 1)·2·Hp/W + 2v + (p & 1)]. The backward pass turns a byte back into the
 * vector's all-ones/all-zeros lanes with these tables (16 bytes an entry), so it never recomputes z and needs no
 * n×H buffer of values, dropout or not.
 */
const MASK_TABLE_32 = memory.data(16 * 16, 16);
const MASK_TABLE_64 = memory.data(4 * 16, 16);
for (let bits = 0; bits < 16; bits++) {
  for (let lane = 0; lane < 4; lane++) store<i32>(MASK_TABLE_32 + (<usize>bits << 4) + (<usize>lane << 2), (bits >> lane) & 1 ? -1 : 0);
}
for (let bits = 0; bits < 4; bits++) {
  for (let lane = 0; lane < 2; lane++) store<i64>(MASK_TABLE_64 + (<usize>bits << 4) + (<usize>lane << 3), (bits >> lane) & 1 ? -1 : 0);
}

/** The byte recording which of a vector's units are active (see MASK_TABLE_32). */
@inline function maskBits<T>(active: v128): u32 {
  return <u32>(sizeof<T>() == 4 ? i32x4.bitmask(active) : i64x2.bitmask(active));
}

/** The vector of all-ones (active) and all-zeros lanes a byte of maskBits stands for. */
@inline function activeLanes<T>(bits: u32): v128 {
  if (sizeof<T>() == 4) return v128.load(<usize>bits << 4, MASK_TABLE_32);
  return v128.load(<usize>bits << 4, MASK_TABLE_64);
}

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

/** e^(-|u|): what softplus(u) and σ(u) both need (one exponential for the two). */
@inline function expNegAbs(u: f64): f64 {
  return Math.exp(-Math.abs(u));
}

/** softplus(u) = log(1 + e^u) without overflow (shared/metrics/loss.ts), from e = e^(-|u|). */
@inline function softplusFrom(u: f64, e: f64): f64 {
  return u > 0 ? u + Math.log1p(e) : Math.log1p(e);
}

/** σ(u) from e = e^(-|u|): 1/(1 + e^-u) for u >= 0, e^u/(1 + e^u) below. */
@inline function sigmoidFrom(u: f64, e: f64): f64 {
  return u >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/**
 * From the outputs of the last forward pass (LOGITS): mean softplus(-t·ŷ) + sd·mean ŷ² (meaningless when the host
 * gave no targets), and, when `gradients`, d loss / d ŷ_p = g_p = (-t·σ(-t·ŷ) + 2·sd·ŷ) / n for every point
 * (shared/metrics/loss.ts moonsLossGradient) into OUTPUT_GRADIENT with g·x0 and g·x1 beside it, and their sum,
 * fc2's bias gradient, into GRAD.
 */
function lossAndGradients<T>(table: usize, lane: i32, n: i32, Hp: i32, gradients: bool): f64 {
  const S = <usize>sizeof<T>();
  const x = lanePointer(table, lane, X);
  const targets = lanePointer(table, lane, TARGETS);
  const logits = lanePointer(table, lane, LOGITS);
  const outputGradient = lanePointer(table, lane, OUTPUT_GRADIENT);
  const sdCoef = config(table, lane, C_SD);
  let crossEntropy: f64 = 0;
  let squares: f64 = 0;
  let gb2: f64 = 0;
  for (let p = 0; p < n; p++) {
    const t = <f64>load<T>(targets + <usize>p * S);
    const yhat = <f64>load<T>(logits + <usize>p * S);
    const u = -t * yhat;
    const e = expNegAbs(u);
    crossEntropy += softplusFrom(u, e);
    squares += yhat * yhat;
    if (gradients) {
      const exact = (-t * sigmoidFrom(u, e) + 2 * sdCoef * yhat) / n;
      const g = <T>exact;
      const at = outputGradient + <usize>(4 * p) * S;
      store<T>(at, g);
      store<T>(at + S, g * load<T>(x + <usize>(2 * p) * S));
      store<T>(at + 2 * S, g * load<T>(x + <usize>(2 * p + 1) * S));
      gb2 += exact;
    }
  }
  if (gradients) store<T>(lanePointer(table, lane, GRAD) + 4 * <usize>Hp * S, <T>gb2);
  return crossEntropy / n + (sdCoef * squares) / n;
}

/**
 * a·b + c. In the float64 instance of the relaxed-SIMD build (moons-relaxed.wasm: the Worker's and Node's replays)
 * this is f64x2.relaxed_madd, one fused multiply-add where the CPU has FMA (x86-64 with FMA3, every ARM64), a
 * multiply and an add elsewhere: the replay's last bits then depend on the CPU. That is acceptable only because a
 * float64 replay is always compared with a client's float32 run within tolerances, never bitwise (on one machine
 * the choice is fixed: replays there repeat bitwise). `fuse` false (a constant wherever it is given) keeps them
 * apart: the evaluation-mode forward pass, whose outputs give the metrics a client claims and the Worker
 * recomputes, so both builds compute them bitwise alike. The float32 instance, and the whole baseline build
 * (moons.wasm: browsers), multiply and add separately.
 */
@inline function madd<T>(a: v128, b: v128, c: v128, fuse: bool = true): v128 {
  if (ASC_FEATURE_RELAXED_SIMD && sizeof<T>() == 8 && fuse) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(c, v128.mul<T>(a, b));
}

/** fc1's pre-activations of a point for one vector of hidden units: b1 + x0·w1a + x1·w1b. */
@inline function preActivation<T>(bias: v128, wa: v128, wb: v128, x0: v128, x1: v128, fuse: bool = true): v128 {
  return madd<T>(x1, wb, madd<T>(x0, wa, bias, fuse), fuse);
}

/**
 * The forward pass of one lane into its LOGITS and MASKS; training mode applies the step's dropout mask when
 * `train`. Returns lossAndGradients (gradients when `gradients`).
 */
function forwardLane<T>(table: usize, lane: i32, n: i32, H: i32, Hp: i32, step: i32, train: bool, gradients: bool): f64 {
  if (!train) forwardEvaluation<T>(table, lane, n, H, Hp);
  else if (config(table, lane, C_DROPOUT) != 0) forwardDropout<T>(table, lane, n, H, Hp, step);
  else forwardPlain<T>(table, lane, n, H, Hp);
  return lossAndGradients<T>(table, lane, n, Hp, gradients);
}

/**
 * The outputs into LOGITS, two points per sweep over the hidden units (each weight vector loaded once for both,
 * from its THETA block by constant offsets), recording the pair's MASKS as it goes; with `dropout`, the step's
 * dropout mask: units dropped, the kept ones scaled by 1/(1-p) before the ReLU; `fuse`: see madd. Inlined with
 * constant `dropout` and `fuse` into the three functions below, so each is compiled without the others' work (and
 * register pressure).
 */
@inline function forwardPass<T>(table: usize, lane: i32, n: i32, H: i32, Hp: i32, step: i32, dropout: bool, fuse: bool): void {
  const S = <usize>sizeof<T>();
  const W: i32 = 16 / <i32>sizeof<T>();
  const x = lanePointer(table, lane, X);
  const theta = lanePointer(table, lane, THETA);
  const logits = lanePointer(table, lane, LOGITS);
  const masks = lanePointer(table, lane, MASKS);
  const rowBytes = <usize>Hp * S;
  const blocksEnd = theta + 4 * rowBytes;
  const b2 = <f64>load<T>(blocksEnd);
  const rowMasks = rowBytes >> 4;
  const threshold = <u32>config(table, lane, C_KEEP_THRESHOLD);
  const scale = v128.splat<T>(<T>config(table, lane, C_KEEP_SCALE));
  const stepKey = hash32(<u32>step + hash32(<u32>config(table, lane, C_SEED) + GOLDEN));
  const zero = v128.splat<T>(<T>0);
  for (let p = 0; p < n; p += 2) {
    // The second point of the pair; an odd last point is computed twice and stored once.
    const q = p + 1 < n ? p + 1 : p;
    const xa0 = v128.load_splat<T>(x + <usize>(2 * p) * S);
    const xa1 = v128.load_splat<T>(x + <usize>(2 * p + 1) * S);
    const xb0 = v128.load_splat<T>(x + <usize>(2 * q) * S);
    const xb1 = v128.load_splat<T>(x + <usize>(2 * q + 1) * S);
    let counterA = <u32>p * <u32>H + stepKey;
    let counterB = <u32>q * <u32>H + stepKey;
    let accA = zero;
    let accB = zero;
    // The pair's row of MASKS: both points' bytes of each vector side by side.
    let mask = masks + <usize>p * rowMasks;
    for (let block = theta; block < blocksEnd; block += 64) {
      const wa = v128.load(block);
      const wb = v128.load(block, 16);
      const bias = v128.load(block, 32);
      let za = preActivation<T>(bias, wa, wb, xa0, xa1, fuse);
      let zb = preActivation<T>(bias, wa, wb, xb0, xb1, fuse);
      if (dropout) {
        za = v128.and(v128.mul<T>(za, scale), keepMask<T>(counterA, threshold));
        zb = v128.and(v128.mul<T>(zb, scale), keepMask<T>(counterB, threshold));
        counterA += <u32>W;
        counterB += <u32>W;
      }
      const activeA = v128.gt<T>(za, zero);
      const activeB = v128.gt<T>(zb, zero);
      store<u16>(mask, maskBits<T>(activeA) | (maskBits<T>(activeB) << 8));
      const out = v128.load(block, 48);
      // relu(z) = z & (z > 0): NaN and -0 give +0, as pmax(0, z) would.
      accA = madd<T>(v128.and(za, activeA), out, accA, fuse);
      accB = madd<T>(v128.and(zb, activeB), out, accB, fuse);
      mask += 2;
    }
    store<T>(logits + <usize>q * S, <T>(b2 + lanesSum<T>(accB)));
    store<T>(logits + <usize>p * S, <T>(b2 + lanesSum<T>(accA)));
  }
}

/** Training mode without dropout. */
function forwardPlain<T>(table: usize, lane: i32, n: i32, H: i32, Hp: i32): void {
  forwardPass<T>(table, lane, n, H, Hp, 0, false, true);
}

/** Training mode with the step's dropout mask. */
function forwardDropout<T>(table: usize, lane: i32, n: i32, H: i32, Hp: i32, step: i32): void {
  forwardPass<T>(table, lane, n, H, Hp, step, true, true);
}

/** Evaluation mode (no dropout), unfused in every build: the metrics' outputs (fusedOutputs). */
function forwardEvaluation<T>(table: usize, lane: i32, n: i32, H: i32, Hp: i32): void {
  forwardPass<T>(table, lane, n, H, Hp, 0, false, false);
}

/**
 * The gradient of the objective with respect to fc1's and fc2's weights (fc2's bias: lossAndGradients), from the
 * last training forward pass of the lane: its MASKS and OUTPUT_GRADIENT. With a_pj = g_p·[unit j active for
 * point p], s the dropout scale (1 without), ∂/∂b1_j = w2_j·s·Σ_p a_pj, ∂/∂W1_ij = w2_j·s·Σ_p x_pi·a_pj, and
 * ∂/∂w2_j = Σ_p a_pj·z_pj·s, which those sums give (z is affine in the point). Each block of two vectors of units
 * is visited once, its six sums over the points kept in registers; a_pj·x_pi is the stored g_p·x_pi masked, so the
 * sums need only ands and adds. With BatchNorm (`batchNorm`, a constant where inlined) the same three sums per unit
 * give every gradient too (storeBatchNormGradients).
 */
@inline function backwardPass<T>(table: usize, lane: i32, n: i32, Hp: i32, batchNorm: bool): void {
  const S = <usize>sizeof<T>();
  const theta = lanePointer(table, lane, THETA);
  const grad = lanePointer(table, lane, GRAD);
  const masks = lanePointer(table, lane, MASKS);
  const outputGradient = lanePointer(table, lane, OUTPUT_GRADIENT);
  const statistics = lanePointer(table, lane, STATISTICS);
  const rowBytes = <usize>Hp * S;
  const scale = v128.splat<T>(<T>(config(table, lane, C_DROPOUT) != 0 ? config(table, lane, C_KEEP_SCALE) : 1));
  const zero = v128.splat<T>(<T>0);
  const gradientsEnd = outputGradient + <usize>(4 * (n + (n & 1))) * S;
  const rowMasks = rowBytes >> 4;
  for (let at: usize = 0; at < rowBytes; at += 32) {
    // The two vectors' blocks of THETA and GRAD.
    const block = <usize>4 * at;
    let sum0 = zero;
    let sumX0 = zero;
    let sumY0 = zero;
    let sum1 = zero;
    let sumX1 = zero;
    let sumY1 = zero;
    // A point's bytes for the two vectors are 2 apart in its pair's row of MASKS (point A's at 2v and 2v + 2, point
    // B's 1 on): the pointer moves 1 on, then on to the next pair.
    let mask = masks + (at >> 3);
    let step: usize = 1;
    for (let point = outputGradient; point < gradientsEnd; point += 4 * S) {
      const active0 = activeLanes<T>(<u32>load<u8>(mask));
      const active1 = activeLanes<T>(<u32>load<u8>(mask, 2));
      const g = v128.load_splat<T>(point);
      const gx0 = v128.load_splat<T>(point, sizeof<T>());
      const gx1 = v128.load_splat<T>(point, 2 * sizeof<T>());
      sum0 = v128.add<T>(sum0, v128.and(g, active0));
      sumX0 = v128.add<T>(sumX0, v128.and(gx0, active0));
      sumY0 = v128.add<T>(sumY0, v128.and(gx1, active0));
      sum1 = v128.add<T>(sum1, v128.and(g, active1));
      sumX1 = v128.add<T>(sumX1, v128.and(gx0, active1));
      sumY1 = v128.add<T>(sumY1, v128.and(gx1, active1));
      mask += step;
      step = 2 * rowMasks - step;
    }
    if (batchNorm) {
      storeBatchNormGradients<T>(theta + at, grad + at, statistics + at, statistics + 2 * rowBytes, rowBytes, sum0, sumX0, sumY0);
      storeBatchNormGradients<T>(theta + at + 16, grad + at + 16, statistics + at + 16, statistics + 2 * rowBytes, rowBytes, sum1, sumX1, sumY1);
    } else {
      storeWeightGradients<T>(theta + block, grad + block, scale, sum0, sumX0, sumY0);
      storeWeightGradients<T>(theta + block + 64, grad + block + 64, scale, sum1, sumX1, sumY1);
    }
  }
}

/** backwardPass of a lane without BatchNorm. */
function backwardLane<T>(table: usize, lane: i32, n: i32, Hp: i32): void {
  backwardPass<T>(table, lane, n, Hp, false);
}

/** backwardPass of a BatchNorm lane. */
function backwardBatchNormLane<T>(table: usize, lane: i32, n: i32, Hp: i32): void {
  backwardPass<T>(table, lane, n, Hp, true);
}

/** A vector's block of fc1's and fc2's weight gradients from the sums over the points (s: the dropout scale, or 1). */
@inline function storeWeightGradients<T>(weights: usize, gradients: usize, s: v128, sum: v128, sumX: v128, sumY: v128): void {
  const wa = v128.load(weights);
  const wb = v128.load(weights, 16);
  const bias = v128.load(weights, 32);
  const f = v128.mul<T>(v128.load(weights, 48), s);
  // Σ_p a_p·z_p = s·(b1·Σa + w1a·Σa·x0 + w1b·Σa·x1): z is affine in the point (and s·that where kept).
  const out = v128.mul<T>(v128.add<T>(v128.add<T>(v128.mul<T>(bias, sum), v128.mul<T>(wa, sumX)), v128.mul<T>(wb, sumY)), s);
  v128.store(gradients, v128.mul<T>(sumX, f));
  v128.store(gradients, v128.mul<T>(sumY, f), 16);
  v128.store(gradients, v128.mul<T>(sum, f), 32);
  v128.store(gradients, out, 48);
}

/**
 * The data's moments, which BatchNorm's batch statistics and gradient need (z is affine in the point, so they give
 * its mean and variance per unit exactly): f64 [m0, m1, Cxx, Cxy, Cyy] at `into`, the means and the biased
 * (1/n) covariances of the inputs, each summed point by point in float64.
 */
function storeMoments<T>(x: usize, n: i32, into: usize): void {
  const S = <usize>sizeof<T>();
  let sum0: f64 = 0;
  let sum1: f64 = 0;
  for (let p = 0; p < n; p++) {
    sum0 += <f64>load<T>(x + <usize>(2 * p) * S);
    sum1 += <f64>load<T>(x + <usize>(2 * p + 1) * S);
  }
  const m0 = sum0 / n;
  const m1 = sum1 / n;
  let c00: f64 = 0;
  let c01: f64 = 0;
  let c11: f64 = 0;
  for (let p = 0; p < n; p++) {
    const d0 = <f64>load<T>(x + <usize>(2 * p) * S) - m0;
    const d1 = <f64>load<T>(x + <usize>(2 * p + 1) * S) - m1;
    c00 += d0 * d0;
    c01 += d0 * d1;
    c11 += d1 * d1;
  }
  store<f64>(into, m0);
  store<f64>(into, m1, 8);
  store<f64>(into, c00 / n, 16);
  store<f64>(into, c01 / n, 24);
  store<f64>(into, c11 / n, 32);
}

/**
 * A BatchNorm lane's outputs into LOGITS and its MASKS from the batch statistics in STATISTICS, two points per sweep
 * over the units as forwardPass; `fuse` (a constant where inlined): see madd.
 */
@inline function batchNormOutputs<T>(table: usize, lane: i32, n: i32, Hp: i32, fuse: bool): void {
  const S = <usize>sizeof<T>();
  const x = lanePointer(table, lane, X);
  const theta = lanePointer(table, lane, THETA);
  const logits = lanePointer(table, lane, LOGITS);
  const masks = lanePointer(table, lane, MASKS);
  const statistics = lanePointer(table, lane, STATISTICS);
  const rowBytes = <usize>Hp * S;
  const rowMasks = rowBytes >> 4;
  const w1a = theta;
  const w1b = theta + rowBytes;
  const b1 = theta + 2 * rowBytes;
  const w2 = theta + 3 * rowBytes;
  const b2 = <f64>load<T>(theta + 4 * rowBytes);
  const gamma = theta + 4 * rowBytes + 4 * S;
  const beta = gamma + rowBytes;
  const mean = statistics;
  const invStd = statistics + rowBytes;
  const zero = v128.splat<T>(<T>0);
  for (let p = 0; p < n; p += 2) {
    // The second point of the pair; an odd last point is computed twice and stored once.
    const q = p + 1 < n ? p + 1 : p;
    const xa0 = v128.load_splat<T>(x + <usize>(2 * p) * S);
    const xa1 = v128.load_splat<T>(x + <usize>(2 * p + 1) * S);
    const xb0 = v128.load_splat<T>(x + <usize>(2 * q) * S);
    const xb1 = v128.load_splat<T>(x + <usize>(2 * q + 1) * S);
    let accA = zero;
    let accB = zero;
    let mask = masks + <usize>p * rowMasks;
    for (let at: usize = 0; at < rowBytes; at += 16) {
      const bias = v128.load(b1 + at);
      const wa = v128.load(w1a + at);
      const wb = v128.load(w1b + at);
      const mu = v128.load(mean + at);
      const inv = v128.load(invStd + at);
      const scale = v128.load(gamma + at);
      const shift = v128.load(beta + at);
      const out = v128.load(w2 + at);
      const ya = madd<T>(v128.mul<T>(v128.sub<T>(preActivation<T>(bias, wa, wb, xa0, xa1, fuse), mu), inv), scale, shift, fuse);
      const yb = madd<T>(v128.mul<T>(v128.sub<T>(preActivation<T>(bias, wa, wb, xb0, xb1, fuse), mu), inv), scale, shift, fuse);
      const activeA = v128.gt<T>(ya, zero);
      const activeB = v128.gt<T>(yb, zero);
      store<u16>(mask, maskBits<T>(activeA) | (maskBits<T>(activeB) << 8));
      accA = madd<T>(v128.and(ya, activeA), out, accA, fuse);
      accB = madd<T>(v128.and(yb, activeB), out, accB, fuse);
      mask += 2;
    }
    store<T>(logits + <usize>q * S, <T>(b2 + lanesSum<T>(accB)));
    store<T>(logits + <usize>p * S, <T>(b2 + lanesSum<T>(accA)));
  }
}

/**
 * The forward pass of a lane with BatchNorm between fc1 and the ReLU, into its LOGITS and MASKS (y > 0 per point
 * and unit, as forwardPass records z > 0). In training mode, PyTorch's batch mean and biased variance of
 * z = b1 + w1a·x0 + w1b·x1 per unit, which, z being affine in the point, are b1 + w1a·m0 + w1b·m1 and
 * w1a²·Cxx + 2·w1a·w1b·Cxy + w1b²·Cyy from the data's moments (storeMoments, once per call: prepareBatchNorm): the same numbers as sums over the
 * points, up to rounding, in no pass over them. They are kept for the backward pass (and, when `updateRunning` and
 * the lane tracks them, folded into the running statistics: m·batch + (1-m)·running, the variance unbiased); in
 * evaluation mode the running statistics, and no fused multiply-add (madd: the metrics' outputs).
 * Returns lossAndGradients.
 */
function forwardBatchNormLane<T>(table: usize, lane: i32, n: i32, Hp: i32, train: bool, updateRunning: bool, gradients: bool): f64 {
  const S = <usize>sizeof<T>();
  const W: i32 = 16 / <i32>sizeof<T>();
  const theta = lanePointer(table, lane, THETA);
  const statistics = lanePointer(table, lane, STATISTICS);
  const rowBytes = <usize>Hp * S;
  const w1a = theta;
  const w1b = theta + rowBytes;
  const b1 = theta + 2 * rowBytes;
  const beta = theta + 5 * rowBytes + 4 * S;
  const mean = statistics;
  const invStd = statistics + rowBytes;
  const moments = statistics + 2 * rowBytes;
  const eps = v128.splat<T>(<T>config(table, lane, C_BATCH_NORM_EPS));
  const one = v128.splat<T>(<T>1);
  const two = v128.splat<T>(<T>2);
  const momentum = config(table, lane, C_BATCH_NORM_MOMENTUM);
  const runningMean = beta + rowBytes;
  const runningVar = runningMean + rowBytes;
  if (train) {
    const m0 = v128.splat<T>(<T>load<f64>(moments));
    const m1 = v128.splat<T>(<T>load<f64>(moments, 8));
    const cxx = v128.splat<T>(<T>load<f64>(moments, 16));
    const cxy = v128.splat<T>(<T>load<f64>(moments, 24));
    const cyy = v128.splat<T>(<T>load<f64>(moments, 32));
    for (let j = 0; j < Hp; j += W) {
      const at = <usize>j * S;
      const wa = v128.load(w1a + at);
      const wb = v128.load(w1b + at);
      const mu = preActivation<T>(v128.load(b1 + at), wa, wb, m0, m1);
      const variance = v128.add<T>(v128.mul<T>(v128.mul<T>(wa, wa), cxx), v128.add<T>(v128.mul<T>(v128.mul<T>(two, v128.mul<T>(wa, wb)), cxy), v128.mul<T>(v128.mul<T>(wb, wb), cyy)));
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
  } else {
    for (let j = 0; j < Hp; j += W) {
      const at = <usize>j * S;
      v128.store(mean + at, v128.load(runningMean + at));
      v128.store(invStd + at, v128.div<T>(one, v128.sqrt<T>(v128.add<T>(v128.load(runningVar + at), eps))));
    }
  }
  if (train) batchNormOutputs<T>(table, lane, n, Hp, true);
  else batchNormOutputs<T>(table, lane, n, Hp, false);
  return lossAndGradients<T>(table, lane, n, Hp, gradients);
}

/**
 * A vector of units' gradients with BatchNorm (fc2's bias: lossAndGradients) from the three sums over the points
 * Σa, Σa·x0, Σa·x1 (a_p = g_p·[y_p > 0]), the batch statistics (mean, invStd at `stats`, rows `rowBytes` apart)
 * and the data's moments. With y = ẑ·γ + β, s = γ·w2 and z affine in the point:
 *   Σaẑ = invStd·(b1·Σa + w1a·Σax0 + w1b·Σax1 − mean·Σa);
 *   ∂/∂w2 = γ·Σaẑ + β·Σa, ∂/∂γ = w2·Σaẑ, ∂/∂β = w2·Σa;
 *   through the batch statistics, dz_p = (invStd/n)·(n·s·a_p − s·Σa − ẑ_p·s·Σaẑ), so
 *   ∂/∂w1a = Σ x0·dz = invStd·s·(Σax0 − m0·Σa − Σaẑ·invStd·(w1a·Cxx + w1b·Cxy)) (w1b: x1, Cxy, Cyy), and
 *   ∂/∂b1 = Σ dz = 0 exactly (Σẑ = 0): a batch-normalised unit does not depend on its bias.
 */
@inline function storeBatchNormGradients<T>(theta: usize, grad: usize, stats: usize, moments: usize, rowBytes: usize, sumA: v128, sumAX: v128, sumAY: v128): void {
  const S = <usize>sizeof<T>();
  const wa = v128.load(theta);
  const wb = v128.load(theta + rowBytes);
  const bias = v128.load(theta + 2 * rowBytes);
  const out = v128.load(theta + 3 * rowBytes);
  const scale = v128.load(theta + 4 * rowBytes + 4 * S);
  const shift = v128.load(theta + 5 * rowBytes + 4 * S);
  const mu = v128.load(stats);
  const inv = v128.load(stats + rowBytes);
  const m0 = v128.splat<T>(<T>load<f64>(moments));
  const m1 = v128.splat<T>(<T>load<f64>(moments, 8));
  const cxx = v128.splat<T>(<T>load<f64>(moments, 16));
  const cxy = v128.splat<T>(<T>load<f64>(moments, 24));
  const cyy = v128.splat<T>(<T>load<f64>(moments, 32));
  const sumAZ = v128.add<T>(v128.add<T>(v128.mul<T>(bias, sumA), v128.mul<T>(wa, sumAX)), v128.mul<T>(wb, sumAY));
  const sumAN = v128.mul<T>(inv, v128.sub<T>(sumAZ, v128.mul<T>(mu, sumA)));
  v128.store(grad + 3 * rowBytes, v128.add<T>(v128.mul<T>(scale, sumAN), v128.mul<T>(shift, sumA)));
  v128.store(grad + 4 * rowBytes + 4 * S, v128.mul<T>(out, sumAN));
  v128.store(grad + 5 * rowBytes + 4 * S, v128.mul<T>(out, sumA));
  const f = v128.mul<T>(inv, v128.mul<T>(scale, out));
  const back = v128.mul<T>(sumAN, inv);
  const along0 = v128.add<T>(v128.mul<T>(wa, cxx), v128.mul<T>(wb, cxy));
  const along1 = v128.add<T>(v128.mul<T>(wa, cxy), v128.mul<T>(wb, cyy));
  v128.store(grad, v128.mul<T>(f, v128.sub<T>(v128.sub<T>(sumAX, v128.mul<T>(m0, sumA)), v128.mul<T>(back, along0))));
  v128.store(grad + rowBytes, v128.mul<T>(f, v128.sub<T>(v128.sub<T>(sumAY, v128.mul<T>(m1, sumA)), v128.mul<T>(back, along1))));
  v128.store(grad + 2 * rowBytes, v128.splat<T>(<T>0));
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
/** A BatchNorm lane's data moments (storeMoments), once per call: the data does not change between its steps. */
@inline function prepareBatchNorm<T>(table: usize, lane: i32, n: i32, Hp: i32): void {
  if (config(table, lane, C_BATCH_NORM) == 0) return;
  storeMoments<T>(lanePointer(table, lane, X), n, lanePointer(table, lane, STATISTICS) + 2 * <usize>Hp * sizeof<T>());
}

function train<T>(table: usize, lanes: i32, n: i32, H: i32, Hp: i32, firstStep: i32, steps: i32, losses: usize): void {
  for (let lane = 0; lane < lanes; lane++) {
    prepareBatchNorm<T>(table, lane, n, Hp);
    for (let s = 0; s < steps; s++) {
      const step = firstStep + s;
      const batchNorm = config(table, lane, C_BATCH_NORM) != 0;
      const loss = batchNorm ? forwardBatchNormLane<T>(table, lane, n, Hp, true, true, true) : forwardLane<T>(table, lane, n, H, Hp, step, true, true);
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
    prepareBatchNorm<T>(table, lane, n, Hp);
    const loss = config(table, lane, C_BATCH_NORM) != 0 ? forwardBatchNormLane<T>(table, lane, n, Hp, train, false, false) : forwardLane<T>(table, lane, n, H, Hp, step, train, false);
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

/** Whether this is the relaxed-SIMD build (moons-relaxed.wasm), whose float64 instance fuses multiply-adds (madd). */
export function relaxedSimd(): bool {
  return ASC_FEATURE_RELAXED_SIMD;
}

/** The first byte the host may use (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
