// The fused two-moons training step in WGSL, for WebGPU (shared/nn/webgpu-engine.ts): the same arithmetic as the
// wasm kernel (shared/kernels/assembly/moons.ts) in float32 for the 2-H-1 ReLU nets: forward, softplus/SD
// objective, backward, SGD/Adam update, dropout from the counter hash. Four dispatches a step, every lane at
// once (workgroup_id.y is the lane), many steps per submission.

/** Threads per workgroup of every entry point. */
export const WORKGROUP = 64;

/**
 * Buffers (storage, lane-major; see the layout comment in the shader): the data, the lanes' LaneConfig, Adam's bias
 * corrections per step and lane, the parameters (theta, grad and optimiser state, each [S][P] in mlpParams order:
 * W1 row 0 [H], W1 row 1 [H], b1 [H], W2 [H], b2) and the work buffer (outputs, output gradients, losses); the
 * uniform holds the step and its slot (one 256-byte uniform per step, bound with a dynamic offset).
 */
export const MOONS_WGSL = /* wgsl */ `
struct Dims { n: u32, H: u32, P: u32, lanes: u32 }
struct Step { step: u32, slot: u32 }
struct LaneConfig {
  adam: u32, dropout: u32, keepThreshold: u32, seed: u32,
  lr: f32, momentum: f32, weightDecay: f32, beta1: f32,
  beta2: f32, eps: f32, sdCoef: f32, keepScale: f32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<uniform> now: Step;
@group(0) @binding(2) var<storage, read> data: array<f32>;
@group(0) @binding(3) var<storage, read> lanes: array<LaneConfig>;
@group(0) @binding(4) var<storage, read> corrections: array<vec2<f32>>;
@group(0) @binding(5) var<storage, read_write> params: array<f32>;
@group(0) @binding(6) var<storage, read_write> work: array<f32>;

// data: x [S][n][2], then targets [S][n]. params: theta, grad, state1, state2, each [S][P]. work: logits [S][n],
// outputGradient [S][n], losses [slots][S]. (Five storage buffers: WebGPU guarantees eight per stage.)
fn X(i: u32) -> f32 { return data[i]; }
fn targetAt(i: u32) -> f32 { return data[2u * dims.lanes * dims.n + i]; }
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

/** One workgroup per (point, lane): the network's output there. */
fn forwardAt(p: u32, lane: u32, local: u32, train: bool) {
  var acc = 0.0;
  for (var j = local; j < dims.H; j += ${WORKGROUP}u) {
    let z = preActivation(lane, p, j, train);
    if (z > 0.0) { acc += z * params[lane * dims.P + 3u * dims.H + j]; }
  }
  partial[local] = acc;
  partialSquares[local] = 0.0;
  partialGradient[local] = 0.0;
  reduce(local);
  if (local == 0u) { work[lane * dims.n + p] = params[lane * dims.P + 4u * dims.H] + partial[0]; }
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
    params[GRAD(lane * dims.P + 4u * dims.H)] = partialGradient[0];
  }
}

/** One thread per (hidden unit, lane): its weights' gradients, every point's contribution summed in registers. */
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
    let z = preActivation(lane, p, j, true);
    if (z > 0.0) {
      let a = work[OUTPUT_GRADIENT(lane * n + p)];
      let xi = (lane * n + p) * 2u;
      sumA += a;
      sumX0 += a * X(xi);
      sumX1 += a * X(xi + 1u);
      sumZ += a * z;
    }
  }
  let w = lane * dims.P;
  let config = lanes[lane];
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
  if (k >= dims.P) { return; }
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
