// Why: the Colored-MNIST training objective at each step (ERM, SD, IRMv1, V-REx schedules), as plain coefficients
// without tfjs, so the trainer (shared/nn/cmnist-objective.ts) and the Worker's chain check
// (shared/metrics/cmnist-subsample.ts) share one definition.
import type { CmnistTraining } from "./colored-mnist";

/**
 * The loss at one step, as a function of the per-environment means R_e = mean BCE, G_e = mean (σ(ŷ) − y)·ŷ,
 * M_e = mean ŷ² and of the weights:
 * - pooled (ERM, SD, oracle): bce·(pooled mean BCE) + sd·(pooled mean ŷ²), i.e. Σ_e n_e/N·(bce·R_e + sd·M_e);
 * - irm: risk·Σ_e R_e + penalty·Σ_e G_e² + l2·Σ‖θ‖²;
 * - rex: risk·Σ_e R_e + penalty·(R_A − R_B)² + l2·Σ‖θ‖².
 */
export type StepObjective =
  | { readonly kind: "pooled"; readonly bce: number; readonly sd: number }
  | { readonly kind: "irm" | "rex"; readonly risk: number; readonly penalty: number; readonly l2: number };

/**
 * The scripts' loss at `step` as coefficients. IRM (cmnist.py): mean of the env NLLs + l2·‖θ‖² + p·mean of
 * the env penalties; REx (REx_code_release main.py): sum of the env NLLs + l2·‖θ‖² + p·(R_A − R_B)²; both with
 * p = 1 before the anneal step and the whole loss divided by p while p > 1.
 */
export function objectiveAt(training: CmnistTraining, step: number, envCount = 2): StepObjective {
  switch (training.method) {
    case "erm":
      return { kind: "pooled", bce: 1, sd: 0 };
    case "sd":
      return step < training.annealStep ? { kind: "pooled", bce: 1, sd: training.sdCoef } : { kind: "pooled", bce: training.sdCoef, sd: training.sdCoef };
    case "irm":
    case "rex": {
      const { l2, weight, annealStep } = training.penalty;
      const p = step >= annealStep ? weight : 1;
      const scale = p > 1 ? 1 / p : 1;
      const perEnv = training.method === "irm" ? 1 / envCount : 1;
      return { kind: training.method, risk: perEnv * scale, penalty: perEnv * p * scale, l2: l2 * scale };
    }
  }
}
