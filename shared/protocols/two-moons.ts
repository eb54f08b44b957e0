// The two-moons protocols of the paper's Fig. 1 and Fig. 2, transcribed from the authors' scripts
// (Figure_1/moon_fig_1.py, Figure_2/moon_fig_2.py) and frozen: change a recipe only by adding a version.
import type { MoonsProtocol, SgdSpec } from "./types";

const TWO_LAYER = { layerSizes: [2, 500, 1] } as const;
const PAPER_SGD: SgdSpec = { kind: "sgd", lr: 0.01, momentum: 0.9, weightDecay: 0 };
const MOONS = { nSamples: 300, noise: 0.1, rotationDegrees: 0 } as const;
const EVIDENCE = { replaySteps: 20, historyEvery: 10, checkpointEvery: 100 } as const;
const SOFTPLUS_NOTE =
  "The authors' code computes log(1 + exp(-y·ŷ)); GS Lab computes the same loss as softplus(-y·ŷ), which cannot overflow.";

export const fig1MarginNeg: MoonsProtocol = {
  id: "fig1-margin-neg",
  version: 1,
  family: "two-moons",
  seeding: "seeds",
  title: "Two moons, Δ = −0.1 (overlapping classes)",
  figure: "Fig. 1",
  paperRef: "Pezeshki et al. 2021, Fig. 1 (top row); authors' Figure_1/moon_fig_1.py, experiment 'Delta = -0.1'",
  summary:
    "A 2-500-1 ReLU net trained for 1,000 full-batch SGD steps on two moons whose classes overlap. With no gap between the classes the network must use both coordinates, and its boundary curves around the moons.",
  codeNote: `The arXiv text trains for 10,000 steps; the authors' script, which drew the figure, uses 1,000. ${SOFTPLUS_NOTE}`,
  data: { ...MOONS, margin: -0.1 },
  model: TWO_LAYER,
  training: { steps: 1000, optimizer: PAPER_SGD, sdCoef: 0 },
  evidence: EVIDENCE,
  claims: [
    {
      text: "With overlapping classes (Δ = −0.1) the boundary is curved: more curved than with a gap (Δ = +0.1).",
      metric: "curvature",
      relation: ">",
      otherProtocolId: "fig1-margin-pos",
    },
  ],
};

export const fig1MarginPos: MoonsProtocol = {
  ...fig1MarginNeg,
  id: "fig1-margin-pos",
  title: "Two moons, Δ = +0.1 (small gap)",
  paperRef: "Pezeshki et al. 2021, Fig. 1 (bottom row); authors' Figure_1/moon_fig_1.py, experiment 'Delta = +0.1'",
  summary:
    "The same network and training, but the classes are pulled apart by a small gap. Gradient starvation: once the gap direction separates the data the other feature stops receiving gradient, and the boundary stays an almost straight line hugging the data.",
  data: { ...MOONS, margin: 0.1 },
  claims: [
    {
      text: "With a small gap (Δ = +0.1) the boundary is almost straight: less curved than with overlapping classes.",
      metric: "curvature",
      relation: "<",
      otherProtocolId: "fig1-margin-neg",
    },
  ],
};

const FIG2_SGD: SgdSpec = { ...PAPER_SGD, weightDecay: 2e-4 };

export const fig2MarginNeg: MoonsProtocol = {
  ...fig1MarginNeg,
  id: "fig2-margin-neg",
  title: "Fig. 2(a): Δ = −0.1, weight decay, 10,000 steps",
  figure: "Fig. 2",
  paperRef: "Pezeshki et al. 2021, Fig. 2 (first panel); authors' Figure_2/moon_fig_2.py, experiment 'margin=-0.1'",
  summary: "Overlapping moons trained for 10,000 SGD steps with weight decay 2e-4 (the Fig. 2 setting).",
  version: 2,
  codeNote: `The authors record |z| = |ŷᵀU| at every step; GS Lab records the first 32 components every 50 steps (version 2 added them). ${SOFTPLUS_NOTE}`,
  training: { steps: 10_000, optimizer: FIG2_SGD, sdCoef: 0 },
  evidence: { replaySteps: 20, historyEvery: 50, ntkEvery: 50, checkpointEvery: 250 },
  claims: [],
};

export const fig2MarginPos: MoonsProtocol = {
  ...fig2MarginNeg,
  id: "fig2-margin-pos",
  title: "Fig. 2(b): Δ = +0.1, weight decay, 10,000 steps",
  paperRef: "Pezeshki et al. 2021, Fig. 2 (second panel); authors' Figure_2/moon_fig_2.py, experiment 'margin=+0.1'",
  summary:
    "Moons with a small gap, 10,000 SGD steps with weight decay 2e-4: gradient starvation keeps the boundary straight and close to the data, and weight decay does not help.",
  data: { ...MOONS, margin: 0.1 },
  claims: [],
};

export const fig2MarginPosSd: MoonsProtocol = {
  ...fig2MarginPos,
  id: "fig2-margin-pos-sd",
  title: "Fig. 2(c): Δ = +0.1 with Spectral Decoupling",
  paperRef: "Pezeshki et al. 2021, Fig. 2 (third panel); authors' Figure_2/moon_fig_2.py, experiment 'margin=+0.1 with SP' (sp_coef 0.003)",
  summary:
    "The Fig. 2(b) run with Spectral Decoupling, loss += 0.003·mean(ŷ²). Penalising the logits instead of the weights decouples the features: the boundary curves around the moons and the margin grows.",
  training: { ...fig2MarginPos.training, sdCoef: 0.003 },
  claims: [
    {
      text: "Spectral Decoupling curves the boundary: more curvature than the same run without SD.",
      metric: "curvature",
      relation: ">",
      otherProtocolId: "fig2-margin-pos",
    },
    {
      text: "Spectral Decoupling enlarges the margin: a larger minimum distance from the data to the boundary than without SD.",
      metric: "minMargin",
      relation: ">",
      otherProtocolId: "fig2-margin-pos",
    },
  ],
};

export const TWO_MOONS_PROTOCOLS: readonly MoonsProtocol[] = [fig1MarginNeg, fig1MarginPos, fig2MarginNeg, fig2MarginPos, fig2MarginPosSd];
