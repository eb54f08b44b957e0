// Why: checks the Colored-MNIST protocols against PAPER.md §4 and the authors' table_1.sh, and the reduced helper.
import { describe, expect, it } from "vitest";
import { CMNIST_PROTOCOLS, CMNIST_REDUCED_PROTOCOLS, cmnistErm, cmnistIrm, cmnistOracle, cmnistRex, cmnistSd, reducedCmnistProtocol } from "./colored-mnist";
import { PROTOCOLS } from "./registry";

describe("Colored-MNIST protocols", () => {
  it("carry the scripts' hyper-parameters with Adam ε = 1e-8", () => {
    for (const p of CMNIST_PROTOCOLS) expect(p.training.optimizer).toMatchObject({ kind: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect([cmnistErm.model.hidden, cmnistErm.training.optimizer.lr, cmnistErm.training.steps]).toEqual([300, 1e-4, 1001]);
    expect(cmnistSd.training).toMatchObject({ method: "sd", steps: 2001, sdCoef: 2e-5, annealStep: 450 });
    expect(cmnistSd.training.optimizer.lr).toBe(1e-4);
    expect(cmnistIrm.model.hidden).toBe(390);
    expect(cmnistIrm.training).toMatchObject({ method: "irm", steps: 501, penalty: { l2: 1.10794568e-3, weight: 91257.18613115903, annealStep: 190 } });
    expect(cmnistIrm.training.optimizer.lr).toBe(4.898536566546834e-4);
    expect(cmnistRex.training).toEqual({ ...cmnistIrm.training, method: "rex" });
    expect(cmnistRex.codeNote).toMatch(/stand-in/);
    expect(cmnistOracle.model).toEqual({ inputs: "grayscale", hidden: 300 });
    expect(cmnistOracle.training).toEqual(cmnistErm.training);
  });

  it("hold the published Table 1 and Fig. 4 numbers", () => {
    expect(cmnistErm.reference.table1).toEqual({ train: { mean: 91.1, std: 0.4 }, test: { mean: 23.7, std: 0.8 } });
    expect(cmnistRex.reference.table1.test).toEqual({ mean: 68.7, std: 0.9 });
    expect(cmnistSd.reference.scriptFooter?.test).toEqual({ mean: 68.4, std: 1.24 });
    expect(cmnistOracle.reference.table1.train).toEqual({ mean: 73.5, std: 0.2 });
    expect(cmnistIrm.reference.fig4?.blankColoured).toEqual({ accuracy: 49.6, entropy: 0.64 });
    expect(cmnistErm.reference.fig4?.blankColoured).toEqual({ accuracy: 9.4, entropy: 0 });
  });

  it("are registered, with their reduced configurations, under unique ids", () => {
    const ids = [...CMNIST_PROTOCOLS, ...CMNIST_REDUCED_PROTOCOLS].map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(PROTOCOLS.filter((p) => p.id === id)).toHaveLength(1);
    expect(CMNIST_REDUCED_PROTOCOLS.every((p) => p.reduced && p.claims.length === 0)).toBe(true);
  });
});

describe("reducedCmnistProtocol", () => {
  it("scales steps and switch-over steps, subsets the data and says it is not the paper's protocol", () => {
    const sd = reducedCmnistProtocol(cmnistSd);
    expect(sd.id).toBe("cmnist-sd-reduced");
    expect(sd.title).toMatch(/not the paper's protocol/);
    expect(sd.reduced?.note).toMatch(/NOT the paper's protocol/);
    expect(sd.training).toMatchObject({ steps: 200, annealStep: 45 });
    expect(sd.data.examplesPerEnv).toBe(1000);
    expect(reducedCmnistProtocol(cmnistErm, { stepFraction: 0.2, examplesPerEnv: 5000 })).toMatchObject({ training: { steps: 200 }, data: { examplesPerEnv: 5000 } });
    const irm = reducedCmnistProtocol(cmnistIrm, { stepFraction: 0.1, examplesPerEnv: 1000 });
    expect(irm.training).toMatchObject({ steps: 50, penalty: { annealStep: 19 } });
    expect(cmnistIrm.reduced).toBeUndefined();
    expect(() => reducedCmnistProtocol(cmnistErm, { stepFraction: 0 })).toThrow(RangeError);
    expect(() => reducedCmnistProtocol(cmnistErm, { examplesPerEnv: 30000 })).toThrow(RangeError);
  });
});
