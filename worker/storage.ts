// Where a run's artifacts live in R2: final weights, loss evidence and the recomputed output grid.
export const artifactKeys = (runId: string) => ({
  weights: `runs/${runId}/weights.f32`,
  evidence: `runs/${runId}/evidence.json`,
  grid: `runs/${runId}/grid.f32`,
});
