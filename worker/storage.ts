// Where a run's artifacts live in R2: final weights, loss evidence, the recomputed output grid and the
// trajectory checkpoints.
export const artifactKeys = (runId: string) => ({
  weights: `runs/${runId}/weights.f32`,
  evidence: `runs/${runId}/evidence.json`,
  grid: `runs/${runId}/grid.f32`,
  checkpoints: `runs/${runId}/checkpoints.f32`,
});
