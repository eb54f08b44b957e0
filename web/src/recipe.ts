// A protocol's recipe in words, one phrase per ingredient (data, network, optimiser, regulariser, toy
// solver), plus its arithmetic cost per step: shared by the protocol details, the Lab's estimate and the
// figure pages so every page describes a run the same way.
import type { MlpSpec } from "../../shared/nn/mlp";
import { cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import type { CmnistProtocol } from "../../shared/protocols/colored-mnist";
import type { MoonsProtocol, OptimizerSpec, Protocol, ToyProtocol } from "../../shared/protocols/types";
import { formatCount } from "./format";

/** Numbers as the paper writes them: 0.01, 2e-4, 1e-8, 0.003. */
export function formatCoefficient(value: number): string {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e4) return String(Number(value.toPrecision(6)));
  return value
    .toExponential()
    .replace(/\.?0+e/, "e")
    .replace("e+", "e");
}

export function describeOptimizer(optimizer: OptimizerSpec): string {
  if (optimizer.kind === "adam") {
    return `Adam, learning rate ${formatCoefficient(optimizer.lr)}, β = (${optimizer.beta1}, ${optimizer.beta2}), ε = ${formatCoefficient(optimizer.eps)}`;
  }
  const decay = optimizer.weightDecay === 0 ? "no weight decay" : `weight decay ${formatCoefficient(optimizer.weightDecay)}`;
  return `SGD, learning rate ${formatCoefficient(optimizer.lr)}, momentum ${optimizer.momentum}, ${decay}`;
}

export function describeNetwork(model: MlpSpec): string {
  const layers = `${model.layerSizes.join("–")} ReLU MLP`;
  if (model.batchNorm) return `${layers}, BatchNorm1d after fc1 (evaluated with its running statistics)`;
  if (model.dropout !== undefined) return `${layers}, dropout p = ${model.dropout} on fc1's output before the ReLU (off for evaluation)`;
  return layers;
}

export function describeData(protocol: MoonsProtocol): string {
  const { nSamples, noise, margin, rotationDegrees } = protocol.data;
  const signed = margin > 0 ? `+${margin}` : String(margin).replace("-", "−");
  return `${nSamples} two-moons points, noise ${noise}, margin Δ = ${signed}${rotationDegrees ? `, rotated ${rotationDegrees}°` : ""}`;
}

export function describeSd(sdCoef: number): string {
  return sdCoef === 0 ? "none (plain cross-entropy)" : `loss += ${formatCoefficient(sdCoef)}·mean(ŷ²)`;
}

/** The objective each toy solver minimises, as the authors' script writes it. */
export function describeToySolver(protocol: ToyProtocol): string {
  const { solver, lr, coefficient, C } = protocol.toy;
  const step = `SGD, learning rate ${formatCoefficient(lr)}`;
  if (solver === "dual")
    return `${step} on the dual (C/2)·αᵀKα − H(α), α starting at ${formatCoefficient(coefficient)} and clamped to [0, 1] (C = ${C})`;
  const penalty =
    solver === "primal-wd"
      ? `(${formatCoefficient(coefficient * C)}/C)·‖θ‖² (weight decay)`
      : `(${formatCoefficient(coefficient * C)}/C)·Σŷ² (Spectral Decoupling)`;
  return `${step} from θ = 0 on Σ softplus(−y·ŷ) + ${penalty}, C = ${C}`;
}

/** Steps a run takes, in words ("10,000 full-batch steps", "5,000 steps for each of 6 values of s1"). */
export function describeSteps(protocol: Protocol): string {
  if (protocol.family === "toy-dynamics")
    return `${formatCount(protocol.toy.steps)} steps for each of the ${protocol.toy.s1Values.length} values of s1`;
  return `${formatCount(protocol.training.steps)} full-batch steps`;
}

/** Colored MNIST's data in words: the restart's environments and how much of them a run trains on. */
export function describeCmnistData(protocol: CmnistProtocol): string {
  const perEnv = protocol.data.examplesPerEnv;
  const train = perEnv === null ? "both training environments whole (2 × 25,000 images)" : `the first ${formatCount(perEnv)} images of each training environment (2 × ${formatCount(perEnv)} of 25,000)`;
  const inputs = protocol.model.inputs === "grayscale" ? "; the model sees the sum of the two colour channels (grayscale)" : "";
  return `MNIST at 14×14, restart r's environments from the seed (label noise 0.25, colour flips 0.2 / 0.1, test 0.9): ${train}${inputs}`;
}

/** The Colored-MNIST objective in words (ERM, the SD two-phase loss, IRM's or REx's annealed penalty). */
export function describeCmnistObjective(protocol: CmnistProtocol): string {
  const t = protocol.training;
  switch (t.method) {
    case "erm":
      return "binary cross-entropy (BCE) alone";
    case "sd":
      return `BCE + ${formatCoefficient(t.sdCoef)}·mean(ŷ²) for ${t.annealStep} steps, then ${formatCoefficient(t.sdCoef)}·(BCE + mean(ŷ²))`;
    case "irm":
    case "rex": {
      const penalty = t.method === "irm" ? "the IRMv1 penalty" : "(R_A − R_B)²";
      const risk = t.method === "irm" ? "mean environment BCE" : "sum of the environments' BCE";
      return `${risk} + ${formatCoefficient(t.penalty.l2)}·Σ‖w‖² + ${penalty}, weight 1 for ${t.penalty.annealStep} steps, then ${t.penalty.weight.toLocaleString("en-US", { maximumFractionDigits: 2 })} with the loss divided by it`;
    }
  }
}

/** The network of a Colored-MNIST protocol (392 or 196 inputs → h → h → 1). */
export const describeCmnistNetwork = (protocol: CmnistProtocol): string => describeNetwork(cmnistMlpSpec(protocol.model));

/** The number of optimisation steps of a run (for lists: "(10,000 steps)"). */
export const stepCount = (protocol: Protocol): number => (protocol.family === "toy-dynamics" ? protocol.toy.steps : protocol.training.steps);

/**
 * Floating-point operations of one full-batch training step: forward 2·n·W multiply-adds for the W
 * weights of the dense layers, backward about twice that, so ≈ 6·n·W (elementwise work is negligible).
 */
export function flopsPerStep(protocol: MoonsProtocol): number {
  const sizes = protocol.model.layerSizes;
  let weights = 0;
  for (let layer = 1; layer < sizes.length; layer++) weights += sizes[layer - 1]! * sizes[layer]!;
  return 6 * protocol.data.nSamples * weights;
}

export function formatFlops(flops: number): string {
  // Two significant digits in plain notation ("270 GFLOP", never toPrecision's "2.7e+2 GFLOP").
  const plain = (x: number) => Number(x.toPrecision(2)).toLocaleString("en-US");
  if (flops >= 1e12) return `${plain(flops / 1e12)} TFLOP`;
  if (flops >= 1e9) return `${plain(flops / 1e9)} GFLOP`;
  if (flops >= 1e6) return `${plain(flops / 1e6)} MFLOP`;
  return `${Math.round(flops / 1e3)} kFLOP`;
}

/** Floating-point operations of one full-batch Colored-MNIST step (≈ 6·n·W, as flopsPerStep): ~62 GFLOP for ERM. */
export function cmnistFlopsPerStep(protocol: CmnistProtocol): number {
  const images = 2 * (protocol.data.examplesPerEnv ?? 25000);
  const sizes = cmnistMlpSpec(protocol.model).layerSizes;
  const weights = sizes.slice(1).reduce((sum, size, k) => sum + size * sizes[k]!, 0);
  return 6 * images * weights;
}
