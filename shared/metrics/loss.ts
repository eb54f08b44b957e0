// The two-moons objective in plain float64 TypeScript: softplus cross-entropy on ±1 targets plus the
// Spectral Decoupling penalty, shared by the verifier's loss recomputation and its replay.

/** softplus(z) = log(1 + e^z), evaluated without overflow for any finite z. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** 1 / (1 + e^-z) without overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** mean_i softplus(-t_i * yhat_i) + sdCoef * mean_i yhat_i^2 (the authors' `loss += sd_coef * (y_hat**2).mean()`). */
export function moonsLoss(logits: Float64Array, targets: Float64Array, sdCoef: number): number {
  let ce = 0;
  let sq = 0;
  for (let i = 0; i < logits.length; i++) {
    const yhat = logits[i]!;
    ce += softplus(-targets[i]! * yhat);
    sq += yhat * yhat;
  }
  return ce / logits.length + (sdCoef * sq) / logits.length;
}

/** d loss / d yhat_i for moonsLoss. */
export function moonsLossGradient(logits: Float64Array, targets: Float64Array, sdCoef: number): Float64Array {
  const n = logits.length;
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = targets[i]!;
    const yhat = logits[i]!;
    grad[i] = (-t * sigmoid(-t * yhat) + 2 * sdCoef * yhat) / n;
  }
  return grad;
}

/** ±1 targets from 0/1 labels (the paper's `2y - 1`). */
export function signedTargets(labels: Uint8Array): Float64Array {
  return Float64Array.from(labels, (label) => 2 * label - 1);
}
