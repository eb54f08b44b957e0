// The ten variants of the paper's Fig. 3 (authors' Figure_3/moon_fig_3.py): Δ = +0.1 trained ten ways, to
// show that weight decay, longer training, Adam, a rotated input, dropout, BatchNorm and depth all leave the
// boundary straight, and only Spectral Decoupling curves it. Frozen: change a recipe only by adding a version.
import type { ClaimCheck, MoonsProtocol } from "./types";

const SOFTPLUS_NOTE =
  "The authors' code computes log(1 + exp(-y·ŷ)); GS Lab computes the same loss as softplus(-y·ŷ), which cannot overflow.";
const STEPS_NOTE =
  "The NeurIPS figure trains for 10,000 steps (100,000 for 'train longer'); the repository's script has 1,000 (10,000). GS Lab follows the paper's 10,000.";

const base: MoonsProtocol = {
  id: "fig3-none",
  version: 1,
  family: "two-moons",
  seeding: "seeds",
  title: "Fig. 3: no regularisation",
  figure: "Fig. 3",
  paperRef: "Pezeshki et al. 2021, Fig. 3 (first panel); authors' Figure_3/moon_fig_3.py, experiment 'No regularization'",
  summary: "The baseline of Fig. 3: moons with a small gap (Δ = +0.1), a 2-500-1 ReLU net, 10,000 full-batch SGD steps (lr 0.01, momentum 0.9). Gradient starvation keeps the boundary straight.",
  codeNote: `${STEPS_NOTE} ${SOFTPLUS_NOTE}`,
  data: { nSamples: 300, noise: 0.1, margin: 0.1, rotationDegrees: 0 },
  model: { layerSizes: [2, 500, 1] },
  training: { steps: 10_000, optimizer: { kind: "sgd", lr: 0.01, momentum: 0.9, weightDecay: 0 }, sdCoef: 0 },
  evidence: { replaySteps: 20, historyEvery: 50, checkpointEvery: 250 },
  claims: [],
};

const variant = (id: string, title: string, paperName: string, summary: string, changes: Partial<MoonsProtocol>): MoonsProtocol => ({
  ...base,
  ...changes,
  id,
  title: `Fig. 3: ${title}`,
  paperRef: `Pezeshki et al. 2021, Fig. 3; authors' Figure_3/moon_fig_3.py, experiment '${paperName}'`,
  summary,
});

const ADAM = { kind: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

export const FIG3_VARIANTS: readonly MoonsProtocol[] = [
  base,
  variant("fig3-weight-decay", "SGD weight decay 0.01", "weight_decay", "The baseline with weight decay 0.01: a penalty on the weights does not decouple the features; the boundary stays straight.", {
    training: { ...base.training, optimizer: { kind: "sgd", lr: 0.01, momentum: 0.9, weightDecay: 0.01 } },
  }),
  variant("fig3-longer", "100,000 steps", "Train longer", "The baseline trained ten times longer: the starved feature never recovers its gradient.", {
    training: { ...base.training, steps: 100_000 },
    // 39 checkpoints (16 KB each); a 2,500-step segment is for a peer's browser, not the Worker's CPU.
    evidence: { replaySteps: 20, historyEvery: 500, checkpointEvery: 2500, segmentReplay: "peers" },
  }),
  variant("fig3-adam-small-lr", "Adam, lr 1e-4", "adam - smaller lr", "Adam (lr 1e-4, β = (0.9, 0.999), ε = 1e-8) instead of SGD: adaptive steps do not cure starvation.", {
    training: { ...base.training, optimizer: { ...ADAM, lr: 1e-4 } },
  }),
  variant("fig3-adam-large-lr", "Adam, lr 3e-3", "adam - large lr", "Adam with a large learning rate (3e-3): still a straight boundary.", {
    training: { ...base.training, optimizer: { ...ADAM, lr: 3e-3 } },
  }),
  variant("fig3-rotated", "input rotated 45°", "45 deg Rotation", "The data rotated by 45°, so that no single input coordinate separates the classes: the boundary is still straight (in the data's own frame).", {
    data: { ...base.data, rotationDegrees: 45 },
  }),
  variant("fig3-dropout", "dropout 0.7", "dropout", "Dropout with p = 0.7 on fc1's output before the ReLU (masks from the seed; evaluation without dropout): no curvature.", {
    model: { layerSizes: [2, 500, 1], dropout: 0.7 },
  }),
  variant("fig3-batchnorm", "BatchNorm after fc1", "batchnorm", "BatchNorm1d after fc1 (evaluated with its running statistics): no curvature.", {
    model: { layerSizes: [2, 500, 1], batchNorm: true },
  }),
  variant("fig3-deeper", "5 layers (2-500-500-500-500-1)", "deeper network (5 layers)", "A deeper network, four hidden layers of 500: depth alone does not curve the boundary. About 1.4 GFLOP per step: a job for a GPU.", {
    model: { layerSizes: [2, 500, 500, 500, 500, 1] },
    // One checkpoint at step 5,000 (weights and momentum, 6 MB): two segments, each half a run, replayed by peers.
    evidence: { replaySteps: 2, historyEvery: 50, checkpointEvery: 5000, segmentReplay: "peers" },
  }),
  variant("fig3-sd", "Spectral Decoupling 0.003", "SD", "The baseline with Spectral Decoupling, loss += 0.003·mean(ŷ²): the only variant whose boundary curves around the moons.", {
    training: { ...base.training, sdCoef: 0.003 },
  }),
];

/** "Only SD curves the boundary": SD's curvature exceeds every other variant's. */
const sdClaims: ClaimCheck[] = FIG3_VARIANTS.filter((p) => p.id !== "fig3-sd").map((other) => ({
  text: `Spectral Decoupling curves the boundary more than ${other.title.replace("Fig. 3: ", "")}.`,
  metric: "curvature",
  relation: ">",
  otherProtocolId: other.id,
}));

export const FIG3_PROTOCOLS: readonly MoonsProtocol[] = FIG3_VARIANTS.map((p) => (p.id === "fig3-sd" ? { ...p, claims: sdClaims } : p));
