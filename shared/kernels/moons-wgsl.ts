// The fused two-moons training step in WGSL, for WebGPU (shared/nn/webgpu-engine.ts): the same arithmetic as the
// wasm kernel (shared/kernels/assembly/moons.ts) in float32 for the 2-H-1 ReLU nets: forward, softplus/SD
// objective, backward, SGD/Adam update, dropout from the counter hash or BatchNorm after fc1. Four dispatches a
// step (five with BatchNorm), every lane at once (workgroup_id.y is the lane), many steps per submission.

/** Threads per workgroup of every entry point. */
export const WORKGROUP = 64;

/** Steps recorded into one submission: each has its own uniform slot and its own row of losses in the work buffer. */
export const MAX_STEPS_PER_SUBMIT = 128;

/**
 * Buffers (storage, lane-major; see the layout comment in the shader): the data, the lanes' LaneConfig, Adam's bias
 * corrections per step and lane, the parameters (theta, grad and optimiser state, each [S][P] in mlpParams order:
 * W1 row 0 [H], W1 row 1 [H], b1 [H], [gamma [H], beta [H],] W2 [H], b2[, running mean [H], running var [H]]) and
 * the work buffer (outputs, output gradients, losses, BatchNorm's batch statistics); the uniform holds the step and
 * its slot (one 256-byte uniform per step, bound with a dynamic offset).
 */
export const MOONS_WGSL = /* wgsl */ `
struct Dims { n: u32, H: u32, P: u32, lanes: u32, batchNorm: u32, trainable: u32, pad0: u32, pad1: u32 }
struct Step { step: u32, slot: u32 }
struct LaneConfig {
  adam: u32, dropout: u32, keepThreshold: u32, seed: u32,
  lr: f32, momentum: f32, weightDecay: f32, beta1: f32,
  beta2: f32, eps: f32, sdCoef: f32, keepScale: f32,
  bnEps: f32, bnMomentum: f32, pad0: f32, pad1: f32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<uniform> now: Step;
@group(0) @binding(2) var<storage, read> data: array<f32>;
@group(0) @binding(3) var<storage, read> lanes: array<LaneConfig>;
@group(0) @binding(4) var<storage, read> corrections: array<vec2<f32>>;
@group(0) @binding(5) var<storage, read_write> params: array<f32>;
@group(0) @binding(6) var<storage, read_write> work: array<f32>;

// data: x [S][n][2], then targets [S][n], then the inputs' moments [S][5] (BatchNorm: m0, m1, Cxx, Cxy, Cyy).
// params: theta, grad, state1, state2, each [S][P]. work: logits [S][n], outputGradient [S][n], losses
// [MAX_STEPS_PER_SUBMIT][S], BatchNorm's batch mean and 1/std [S][2][H]. (Five storage buffers: WebGPU
// guarantees eight per stage.)
fn X(i: u32) -> f32 { return data[i]; }
fn targetAt(i: u32) -> f32 { return data[2u * dims.lanes * dims.n + i]; }
fn momentAt(lane: u32, k: u32) -> f32 { return data[3u * dims.lanes * dims.n + 5u * lane + k]; }
fn STATS(i: u32) -> u32 { return 2u * dims.lanes * dims.n + ${MAX_STEPS_PER_SUBMIT}u * dims.lanes + i; }
// Offsets within a lane's parameters: fc2's weight and bias follow gamma and beta with BatchNorm.
fn W2() -> u32 { if (dims.batchNorm != 0u) { return 5u * dims.H; } return 3u * dims.H; }
fn B2() -> u32 { return W2() + dims.H; }
fn GAMMA() -> u32 { return 3u * dims.H; }
fn BETA() -> u32 { return 4u * dims.H; }
fn RUNNING_MEAN() -> u32 { return 6u * dims.H + 1u; }
fn RUNNING_VAR() -> u32 { return 7u * dims.H + 1u; }
fn GRAD(i: u32) -> u32 { return dims.lanes * dims.P + i; }
fn STATE1(i: u32) -> u32 { return 2u * dims.lanes * dims.P + i; }
fn STATE2(i: u32) -> u32 { return 3u * dims.lanes * dims.P + i; }
fn OUTPUT_GRADIENT(i: u32) -> u32 { return dims.lanes * dims.n + i; }
fn LOSS(i: u32) -> u32 { return 2u * dims.lanes * dims.n + i; }

fn hash32(value: u32) -> u32 {
  var v = value;
  v ^= v >> 16u;
  v *= 0x7feb352du;
  v ^= v >> 15u;
  v *= 0x846ca68bu;
  v ^= v >> 16u;
  return v;
}

/** fc1's masked pre-activation of unit j at point p of a lane (training mode when train). */
fn preActivation(lane: u32, p: u32, j: u32, train: bool) -> f32 {
  let w = lane * dims.P;
  let H = dims.H;
  let xi = (lane * dims.n + p) * 2u;
  var z = params[w + 2u * H + j] + X(xi) * params[w + j];
  z = z + X(xi + 1u) * params[w + H + j];
  let config = lanes[lane];
  if (train && config.dropout != 0u) {
    let stepKey = hash32(now.step + hash32(config.seed + 0x9e3779b9u));
    if (hash32(p * H + j + stepKey) >= config.keepThreshold) { z = z * config.keepScale; } else { z = 0.0; }
  }
  return z;
}

var<workgroup> partial: array<f32, ${WORKGROUP}>;
var<workgroup> partialSquares: array<f32, ${WORKGROUP}>;
var<workgroup> partialGradient: array<f32, ${WORKGROUP}>;

/** Sums partial[0..WORKGROUP) into partial[0] (every thread calls it). */
fn reduce(local: u32) {
  var width = ${WORKGROUP}u / 2u;
  loop {
    if (width == 0u) { break; }
    workgroupBarrier();
    if (local < width) {
      partial[local] += partial[local + width];
      partialSquares[local] += partialSquares[local + width];
      partialGradient[local] += partialGradient[local + width];
    }
    width = width / 2u;
  }
  workgroupBarrier();
}

/**
 * What the ReLU after fc1 sees for unit j at point p: the (masked) pre-activation, or with BatchNorm
 * (z − mean)·invStd·gamma + beta from the statistics kernel's mean and 1/std.
 */
fn hiddenInput(lane: u32, p: u32, j: u32, train: bool) -> f32 {
  let z = preActivation(lane, p, j, train);
  if (dims.batchNorm == 0u) { return z; }
  let w = lane * dims.P;
  let at = lane * 2u * dims.H + j;
  return (z - work[STATS(at)]) * work[STATS(at + dims.H)] * params[w + GAMMA() + j] + params[w + BETA() + j];
}

/** One workgroup per (point, lane): the network's output there. */
fn forwardAt(p: u32, lane: u32, local: u32, train: bool) {
  var acc = 0.0;
  for (var j = local; j < dims.H; j += ${WORKGROUP}u) {
    let y = hiddenInput(lane, p, j, train);
    if (y > 0.0) { acc += y * params[lane * dims.P + W2() + j]; }
  }
  partial[local] = acc;
  partialSquares[local] = 0.0;
  partialGradient[local] = 0.0;
  reduce(local);
  if (local == 0u) { work[lane * dims.n + p] = params[lane * dims.P + B2()] + partial[0]; }
}

/**
 * One thread per (hidden unit, lane), BatchNorm only, before the forward pass: the unit's batch mean and 1/std.
 * z = b1 + w1a·x0 + w1b·x1 is affine in the point, so they come from the inputs' moments: mean b1 + w1a·m0 + w1b·m1,
 * variance w1a²·Cxx + 2·w1a·w1b·Cxy + w1b²·Cyy (biased, as PyTorch normalises with); training also folds them into
 * the running statistics (momentum·batch + (1 − momentum)·running, the variance unbiased). Evaluation mode takes
 * the running statistics instead.
 */
fn statisticsAt(j: u32, lane: u32, train: bool) {
  let H = dims.H;
  if (j >= H) { return; }
  let w = lane * dims.P;
  let config = lanes[lane];
  var mean = params[w + RUNNING_MEAN() + j];
  var variance = params[w + RUNNING_VAR() + j];
  if (train) {
    let wa = params[w + j];
    let wb = params[w + H + j];
    mean = params[w + 2u * H + j] + wa * momentAt(lane, 0u) + wb * momentAt(lane, 1u);
    variance = wa * wa * momentAt(lane, 2u) + 2.0 * wa * wb * momentAt(lane, 3u) + wb * wb * momentAt(lane, 4u);
    let m = config.bnMomentum;
    if (m > 0.0) {
      let n = f32(dims.n);
      params[w + RUNNING_MEAN() + j] = params[w + RUNNING_MEAN() + j] * (1.0 - m) + mean * m;
      params[w + RUNNING_VAR() + j] = params[w + RUNNING_VAR() + j] * (1.0 - m) + variance * (m * n / (n - 1.0));
    }
  }
  let at = lane * 2u * H + j;
  work[STATS(at)] = mean;
  work[STATS(at + H)] = 1.0 / sqrt(variance + config.bnEps);
}

@compute @workgroup_size(${WORKGROUP})
fn statisticsTrain(@builtin(global_invocation_id) gid: vec3<u32>) {
  statisticsAt(gid.x, gid.y, true);
}

@compute @workgroup_size(${WORKGROUP})
fn statisticsEval(@builtin(global_invocation_id) gid: vec3<u32>) {
  statisticsAt(gid.x, gid.y, false);
}

@compute @workgroup_size(${WORKGROUP})
fn forwardTrain(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) id: vec3<u32>) {
  forwardAt(group.x, group.y, id.x, true);
}

@compute @workgroup_size(${WORKGROUP})
fn forwardEval(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) id: vec3<u32>) {
  forwardAt(group.x, group.y, id.x, false);
}

fn softplus(z: f32) -> f32 {
  if (z > 0.0) { return z + log(1.0 + exp(-z)); }
  return log(1.0 + exp(z));
}

fn sigmoid(z: f32) -> f32 {
  if (z >= 0.0) { return 1.0 / (1.0 + exp(-z)); }
  let e = exp(z);
  return e / (1.0 + e);
}

/** One workgroup per lane: the objective (into work[LOSS(slot)][lane]), d loss / d ŷ per point, and fc2's bias gradient. */
@compute @workgroup_size(${WORKGROUP})
fn objective(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) id: vec3<u32>) {
  let lane = group.y;
  let local = id.x;
  let n = dims.n;
  let sd = lanes[lane].sdCoef;
  var crossEntropy = 0.0;
  var squares = 0.0;
  var gradientSum = 0.0;
  for (var p = local; p < n; p += ${WORKGROUP}u) {
    let t = targetAt(lane * n + p);
    let yhat = work[lane * n + p];
    crossEntropy += softplus(-t * yhat);
    squares += yhat * yhat;
    let g = (-t * sigmoid(-t * yhat) + 2.0 * sd * yhat) / f32(n);
    work[OUTPUT_GRADIENT(lane * n + p)] = g;
    gradientSum += g;
  }
  partial[local] = crossEntropy;
  partialSquares[local] = squares;
  partialGradient[local] = gradientSum;
  reduce(local);
  if (local == 0u) {
    work[LOSS(now.slot * dims.lanes + lane)] = partial[0] / f32(n) + sd * partialSquares[0] / f32(n);
    params[GRAD(lane * dims.P + B2())] = partialGradient[0];
  }
}

/**
 * One thread per (hidden unit, lane): its weights' gradients, every point's contribution summed in registers.
 * With BatchNorm the three sums Σa, Σa·x0, Σa·x1 (a_p = g_p where y_p > 0) give every gradient too, as the wasm
 * kernel's storeBatchNormGradients derives: with s = gamma·w2, Σaẑ = invStd·(b1·Σa + w1a·Σax0 + w1b·Σax1 − mean·Σa),
 * ∂w2 = gamma·Σaẑ + beta·Σa, ∂gamma = w2·Σaẑ, ∂beta = w2·Σa,
 * ∂w1a = invStd·s·(Σax0 − m0·Σa − Σaẑ·invStd·(w1a·Cxx + w1b·Cxy)) (w1b alike), and ∂b1 = 0 exactly.
 */
@compute @workgroup_size(${WORKGROUP})
fn backward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let lane = gid.y;
  let H = dims.H;
  if (j >= H) { return; }
  let n = dims.n;
  var sumA = 0.0;
  var sumX0 = 0.0;
  var sumX1 = 0.0;
  var sumZ = 0.0;
  for (var p = 0u; p < n; p++) {
    let y = hiddenInput(lane, p, j, true);
    if (y > 0.0) {
      let a = work[OUTPUT_GRADIENT(lane * n + p)];
      let xi = (lane * n + p) * 2u;
      sumA += a;
      sumX0 += a * X(xi);
      sumX1 += a * X(xi + 1u);
      sumZ += a * y;
    }
  }
  let w = lane * dims.P;
  let config = lanes[lane];
  if (dims.batchNorm != 0u) {
    let wa = params[w + j];
    let wb = params[w + H + j];
    let out = params[w + W2() + j];
    let scale = params[w + GAMMA() + j];
    let shift = params[w + BETA() + j];
    let at = lane * 2u * H + j;
    let mean = work[STATS(at)];
    let inv = work[STATS(at + H)];
    let sumAN = inv * (params[w + 2u * H + j] * sumA + wa * sumX0 + wb * sumX1 - mean * sumA);
    params[GRAD(w + W2() + j)] = scale * sumAN + shift * sumA;
    params[GRAD(w + GAMMA() + j)] = out * sumAN;
    params[GRAD(w + BETA() + j)] = out * sumA;
    let f = inv * scale * out;
    let back = sumAN * inv;
    params[GRAD(w + j)] = f * (sumX0 - momentAt(lane, 0u) * sumA - back * (wa * momentAt(lane, 2u) + wb * momentAt(lane, 3u)));
    params[GRAD(w + H + j)] = f * (sumX1 - momentAt(lane, 1u) * sumA - back * (wa * momentAt(lane, 3u) + wb * momentAt(lane, 4u)));
    params[GRAD(w + 2u * H + j)] = 0.0;
    return;
  }
  var factor = params[w + 3u * H + j];
  if (config.dropout != 0u) { factor = factor * config.keepScale; }
  params[GRAD(w + j)] = factor * sumX0;
  params[GRAD(w + H + j)] = factor * sumX1;
  params[GRAD(w + 2u * H + j)] = factor * sumA;
  params[GRAD(w + 3u * H + j)] = sumZ;
}

/** One thread per (parameter, lane): torch.optim.SGD (momentum, weight decay) or torch.optim.Adam. */
@compute @workgroup_size(${WORKGROUP})
fn update(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.x;
  let lane = gid.y;
  // BatchNorm's running statistics, after the trainable values, are not the optimiser's.
  if (k >= dims.trainable) { return; }
  let i = lane * dims.P + k;
  let config = lanes[lane];
  let g = params[GRAD(i)];
  if (config.adam == 0u) {
    let velocity = config.momentum * params[STATE1(i)] + g + config.weightDecay * params[i];
    params[STATE1(i)] = velocity;
    params[i] = params[i] - config.lr * velocity;
    return;
  }
  let m = config.beta1 * params[STATE1(i)] + (1.0 - config.beta1) * g;
  let v = config.beta2 * params[STATE2(i)] + (1.0 - config.beta2) * g * g;
  params[STATE1(i)] = m;
  params[STATE2(i)] = v;
  let c = corrections[now.slot * dims.lanes + lane];
  params[i] = params[i] - (config.lr * (m / c.x)) / (sqrt(v / c.y) + config.eps);
}
`;
